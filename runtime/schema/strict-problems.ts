/**
 * The problems the OpenAI strict transform (openai-strict.ts) reports, with their shared messages
 * and their order. Apart from the transform so that all-of.ts, which reports problems too, needs
 * no import of it.
 */
import type { JsonSchema } from '../contract/spec.js';

/** A reason a schema cannot take the strict form. */
export interface StrictProblem {
  /** JSON pointer inside the input schema */
  pointer: string;
  message: string;
}

/** The strict schema, or every reason it cannot be made. */
export type StrictResult = { ok: true; schema: JsonSchema } | { ok: false; problems: StrictProblem[] };

/** The message for a `false` schema, which accepts no value. */
export const NO_VALUE = 'a schema that accepts no value (false) cannot be strict';

/** The message for a schema that accepts any value (`true`, `{}` in effect, an array without items). */
export const ANY_VALUE = 'a schema that accepts any value cannot be strict';

/** Pointers compared segment by segment, array indices as numbers, so children follow their parent. */
export function comparePointers(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i]!;
    const y = bs[i]!;
    if (x === y) continue;
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return as.length - bs.length;
}

/** The problems in a stable order: by pointer (see comparePointers), then by message. */
export function sortedProblems(problems: readonly StrictProblem[]): StrictProblem[] {
  return [...problems].sort((a, b) => comparePointers(a.pointer, b.pointer) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}
