/**
 * Gemini's variant of tool and output schemas, prepared at generate time: the JSON Schema subset
 * the Gemini API takes (`const` as `enum`, `oneOf` as `anyOf`, other keywords dropped). The
 * transform is the runtime's own (`schemantic/internal`), so the variant is what the Gemini adapter
 * would send anyway; made here, each keyword dropped is a warning located where it is written,
 * and the adapter sends the variant as it is, with no warning at request time.
 *
 * Only for agents whose definition names a Gemini model, and for the tools and delegates they use:
 * a project that never talks to Gemini should neither carry the variants nor hear about keywords
 * Gemini would drop. A run that moves an agent to Gemini at run time gets the adapter's
 * request-time transform instead (and its warnings then).
 */
import type { IR, IRType } from '../../compiler/ir/types.js';
import { geminiSchema } from 'schemantic/internal';
import { sourceOf, type PendingProblem, type VariantSubject } from './strict-variants.js';

/** The prefixes of Gemini model ids (`schemantic/google` registers both). */
const GEMINI_PREFIXES = ['google:', 'gemini:'];

/** Whether a definition's `model` is a Gemini id. */
export function isGeminiModel(model: string | undefined): boolean {
  return model !== undefined && GEMINI_PREFIXES.some((p) => model.startsWith(p));
}

/** What gets a Gemini variant: the names of the Gemini agents, and of the tools and delegates they use. */
export interface GeminiTargets {
  agents: ReadonlySet<string>;
  tools: ReadonlySet<string>;
  /** Agents that a Gemini agent delegates to (their delegate spec is sent to Gemini). */
  delegates: ReadonlySet<string>;
}

/**
 * The agents whose definition names a Gemini model, and what they send Gemini besides their own
 * output: a tool or delegate shared with other agents is in (its variant is only data, unused by
 * the others), so its warnings, made where the tool is rendered, are said once.
 */
export function geminiTargets(ir: IR): GeminiTargets {
  const agents = ir.agents.filter((a) => isGeminiModel(a.model));
  return {
    agents: new Set(agents.map((a) => a.name)),
    tools: new Set(agents.flatMap((a) => a.tools)),
    delegates: new Set(agents.flatMap((a) => a.delegates)),
  };
}

/**
 * Gemini's form of a bundled schema when it differs from the schema; undefined when Gemini takes
 * the schema as it is (then the spec carries nothing more, and the adapter finds the same). Each
 * keyword dropped adds a `not-gemini` warning at the keyword; one written in a named type is
 * located at the type's definition (the pipeline reports each place once).
 */
export function geminiVariant(bundled: unknown, subject: VariantSubject, types: ReadonlyMap<string, IRType>, warnings: PendingProblem[]): unknown {
  const result = geminiSchema(bundled as never);
  for (const drop of result.drops) {
    const at = sourceOf(drop.pointer, subject, types);
    warnings.push({
      code: 'not-gemini',
      severity: 'warning',
      message: `Gemini's JSON Schema subset has no ${drop.keyword}: it is left out of the schema sent to Gemini, which then does not enforce it while sampling (replies are still validated against it)`,
      file: at.file,
      rel: at.rel,
      pointer: at.pointer,
    });
  }
  return JSON.stringify(result.schema) === JSON.stringify(bundled) ? undefined : result.schema;
}
