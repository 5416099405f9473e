/**
 * Assertions on the value at a JSON pointer into the output: that it exists (or not), equals a
 * value, or fits a schema.
 */
import { UserError } from '../../contract/errors.js';
import { fromPointer, toPointer } from '../../schema/json-pointer.js';
import type { JsonSchema } from '../../contract/spec.js';
import type { Evaluator } from '../evaluator.js';
import type { EvaluatorOptions } from './options.js';
import { firstMismatch, mismatchText, preview, strictValidator } from './json-values.js';

/** What `pointer` checks at its place; with none of `equals` and `schema`, that a value is there. */
export interface PointerOptions extends EvaluatorOptions {
  /** The value there deep-equals this. */
  equals?: unknown;
  /** The value there fits this JSON Schema (strictly: no lax scalars). */
  schema?: JsonSchema;
  /** `false`: asserts nothing is there (default true: something is). */
  exists?: boolean;
}

/**
 * The value at `pointer` (RFC 6901, `/risk`, `/items/0/name`; `''` is the whole output) exists,
 * and equals `equals` and fits `schema` when given; `exists: false` asserts it is absent. Result
 * name: `pointer <pointer>`.
 */
export function pointer(at: string, options: PointerOptions = {}): Evaluator {
  if (at !== '' && !at.startsWith('/')) throw new UserError(`pointer ${JSON.stringify(at)}: a JSON pointer starts with "/" (or is "" for the whole output)`);
  const segments = fromPointer(at);
  const { equals, schema, exists = true } = options;
  if (!exists && (equals !== undefined || schema !== undefined)) throw new UserError(`pointer ${at}: exists: false cannot go with equals or schema`);
  const fits = schema === undefined ? undefined : strictValidator(schema, `evaluator pointer ${at}: schema`);
  return {
    name: options.name ?? `pointer ${at}`,
    kind: 'pointer',
    evaluate: (ctx) => {
      const found = resolve(ctx.output, segments);
      if (!exists) return found.present ? { value: false, reason: `expected nothing at ${at}, found ${preview(found.value)}` } : true;
      if (!found.present) return { value: false, reason: `nothing at ${at}${found.stop === undefined ? '' : ` (${found.stop})`}` };
      if (equals !== undefined) {
        const mismatch = firstMismatch(equals, found.value, false);
        if (mismatch) return { value: false, reason: `${at}: ${mismatchText(mismatch)}` };
      }
      if (fits) {
        const checked = fits(found.value);
        if (!checked.ok) return { value: false, reason: `${at} = ${preview(found.value)} does not fit the schema: ${checked.errors}` };
      }
      return true;
    },
  };
}

/** The value at a pointer's segments, or why there is none. */
function resolve(root: unknown, segments: readonly string[]): { present: true; value: unknown } | { present: false; stop?: string } {
  let value = root;
  for (const [i, segment] of segments.entries()) {
    const parent = toPointer(segments.slice(0, i));
    if (Array.isArray(value)) {
      if (!/^(0|[1-9][0-9]*)$/.test(segment) || Number(segment) >= value.length)
        return { present: false, stop: `the array at ${parent || '(root)'} has ${value.length} items` };
      value = value[Number(segment)];
    } else if (typeof value === 'object' && value !== null) {
      if (!Object.hasOwn(value, segment)) return { present: false };
      value = (value as Record<string, unknown>)[segment];
    } else {
      return { present: false, stop: `${parent || 'the output'} is ${preview(value, 40)}` };
    }
    if (value === undefined) return { present: false };
  }
  return { present: true, value };
}
