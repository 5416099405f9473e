/**
 * The per-provider schema variants emitted next to tool and output schemas: here OpenAI's strict
 * form (every property required, optional ones nullable, closed objects, unsupported constraints
 * in descriptions), which OpenAI and the servers following its dialect enforce while sampling.
 * Gemini's subset is gemini-variants.ts.
 *
 * What cannot take that form is a warning located in the definitions; the tool (or output) is
 * then sent without strict mode, and the run still validates everything against the schema.
 */
import type { IRSource, IRType } from '../../compiler/ir/types.js';
import { unescapePointerSegment, type Problem, type SourcePos } from '../../compiler/problems.js';
import { toOpenAIStrict } from 'schemantic/internal';

/** Finds the position of a pointer in a definitions file (by its folder-relative path). */
export type Locate = (rel: string, pointer: string) => SourcePos;

/**
 * A warning not yet given a line and column: positions are looked up on every run, so a warning
 * kept from an earlier run in watch mode still points at the right line after edits above it.
 */
export type PendingProblem = Omit<Problem, 'line' | 'col'> & { rel: string };

/** A pending problem, located. */
export function locateProblem(pending: PendingProblem, locate: Locate): Problem {
  const { rel, ...rest } = pending;
  const pos = locate(rel, pending.pointer);
  return { ...rest, line: pos.line, col: pos.col };
}

/** What a variant is for, to word and locate its warnings. */
export interface VariantSubject {
  /** `tool "get_weather"`, `the output of agent "sql"`. */
  what: string;
  /** Where the schema is written: the entry's source, and the pointer of the schema slot in it. */
  source: IRSource;
  slotPointer: string;
  /**
   * A part of the schema written elsewhere: pointers under `at` are located under `slotPointer`
   * instead (a delegate's `context` argument is the agent's `context` schema).
   */
  nested?: { at: string; slotPointer: string };
}

/**
 * The strict form of a bundled schema when it differs from the schema; undefined when the schema
 * is already strict, or cannot be (then with warnings added). Pointers into `$defs` are located
 * at the named type's own definition.
 */
export function strictVariant(
  bundled: unknown,
  options: { objectRoot: boolean },
  subject: VariantSubject,
  types: ReadonlyMap<string, IRType>,
  warnings: PendingProblem[],
): unknown {
  const result = toOpenAIStrict(bundled as never, { requireObjectRoot: options.objectRoot });
  // A schema already in strict form is not written twice: the runtime sees it is strict itself.
  if (result.ok) return JSON.stringify(result.schema) === JSON.stringify(bundled) ? undefined : result.schema;
  for (const problem of result.problems) {
    const at = sourceOf(problem.pointer, subject, types);
    warnings.push({
      code: 'not-strict',
      severity: 'warning',
      message: `${subject.what} cannot use strict mode (OpenAI): ${problem.message}; it is sent without it (set strict: false to say so)`,
      file: at.file,
      rel: at.rel,
      pointer: at.pointer,
    });
  }
  return undefined;
}

/** The definitions location of a pointer into a bundled schema (variants of other providers use it too). */
export function sourceOf(pointer: string, subject: VariantSubject, types: ReadonlyMap<string, IRType>): { file: string; rel: string; pointer: string } {
  const inDefs = /^\/\$defs\/([^/]+)(.*)$/.exec(pointer);
  const type = inDefs ? types.get(unescapePointerSegment(inDefs[1]!)) : undefined;
  if (inDefs && type) return { file: type.source.file, rel: type.source.rel, pointer: type.source.pointer + inDefs[2]! };
  const nested = subject.nested;
  if (nested && (pointer === nested.at || pointer.startsWith(`${nested.at}/`)))
    return { file: subject.source.file, rel: subject.source.rel, pointer: nested.slotPointer + pointer.slice(nested.at.length) };
  return { file: subject.source.file, rel: subject.source.rel, pointer: subject.slotPointer + pointer };
}
