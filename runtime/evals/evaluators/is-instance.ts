/**
 * Which member of the agent's output the output is, decided by validating it with each member's
 * validator (the agent's own: generated, or compiled by `agent()`).
 *
 * Members are named as in the definitions: a union member by its output tool
 * (`final_result_<Member>`) or validator (`validateOutput<Member>`). A single structured output is
 * named by its schema (a `$ref` to `#/$defs/<Name>`, else its `title`), else `output`. A text
 * output, or a union that also allows text, has the member `text`: any string. Members whose
 * schemas overlap can all hold for one output: the assertion is that the output fits `member`,
 * and a failure names the first member it fits instead.
 */
import { UserError } from '../../contract/errors.js';
import { loadValidators } from '../../agent/load-validators.js';
import type { AgentSpec, JsonSchema } from '../../contract/spec.js';
import type { Evaluator } from '../evaluator.js';
import type { EvaluatorOptions } from './options.js';
import { cloneJson, preview, validationText } from './json-values.js';

/** One member of an output, and whether a value is an instance of it. */
interface Member {
  name: string;
  fits(value: unknown): boolean;
  /** Why the last value did not fit (empty when unknown). */
  why(): string;
}

/** The output is the member `member` of the agent's output (its definitions name: `Success`; `text` for text). Result name: `isInstance <member>`. */
export function isInstance(member: string, options: EvaluatorOptions = {}): Evaluator {
  return {
    name: options.name ?? `isInstance ${member}`,
    kind: 'isInstance',
    evaluate: async (ctx) => {
      const members = await outputMembers(ctx.agent.spec as AgentSpec<unknown, unknown>);
      const target = members.find((m) => m.name === member);
      if (!target)
        throw new UserError(
          `isInstance ${member}: agent ${ctx.agent.spec.name} has no output member ${member} (its members: ${members.map((m) => m.name).join(', ')})`,
        );
      if (target.fits(ctx.output)) return true;
      const why = target.why();
      const other = members.find((m) => m !== target && m.fits(ctx.output));
      const found = other ? `found ${other.name}` : `the output fits no member: ${preview(ctx.output, 80)}`;
      return { value: false, reason: `expected ${member}, ${found}${why ? ` (${why})` : ''}` };
    },
  };
}

/** The members of an agent's output, with their validators (loaded once per spec). */
async function outputMembers(spec: AgentSpec<unknown, unknown>): Promise<Member[]> {
  const text: Member = { name: 'text', fits: (value) => typeof value === 'string', why: () => '' };
  if (spec.output.kind === 'text') return [text];
  const validators = await loadValidators(spec, `agent ${spec.name}`);
  const members: Member[] = spec.output.members.map((m) => {
    const validate = validators.outputs.get(m.toolName)!;
    return {
      name: memberName(m.toolName, m.validator, m.schema),
      // A copy: validators fill in defaults and coerce lax scalars in place.
      fits: (value) => validate(cloneJson(value)),
      why: () => validationText(validate),
    };
  });
  return spec.output.allowsText ? [...members, text] : members;
}

/** A member's definitions name (see the module comment). */
function memberName(toolName: string, validator: string, schema: JsonSchema): string {
  if (toolName.startsWith('final_result_')) return toolName.slice('final_result_'.length);
  if (validator !== 'validateOutput') return validator.slice('validateOutput'.length);
  if (typeof schema === 'object') {
    const ref = schema['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#/$defs/') && !ref.slice(8).includes('/')) return ref.slice(8);
    if (typeof schema['title'] === 'string') return schema['title'];
  }
  return 'output';
}
