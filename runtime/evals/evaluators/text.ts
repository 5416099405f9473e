/**
 * Text checks: the output contains a value (a substring, or a subset of a structured output), or
 * matches a regular expression. A structured output is read as its JSON.
 */
import { UserError } from '../../contract/errors.js';
import type { Evaluator } from '../evaluator.js';
import type { EvaluatorOptions } from './options.js';
import { firstMismatch, mismatchText, outputText, preview } from './json-values.js';

/** Options of `contains`. */
export interface ContainsOptions extends EvaluatorOptions {
  /** Compare text case-sensitively (default true); structured values always compare exactly. */
  caseSensitive?: boolean;
}

/**
 * The output contains `value`. A string (or number, or boolean) is looked for as a substring of
 * a text output, or of the JSON of a structured one. An object is a subset of an object output
 * (its properties equal the output's, recursively, as `partialEquals`); an array is a subset of an
 * array output (each of its items is, in that sense, in some item of the output).
 */
export function contains(value: unknown, options: ContainsOptions = {}): Evaluator {
  const caseSensitive = options.caseSensitive ?? true;
  const structured = typeof value === 'object' && value !== null;
  if (!structured && !['string', 'number', 'boolean'].includes(typeof value)) throw new UserError(`contains: cannot look for ${preview(value)}`);
  return {
    name: options.name ?? 'contains',
    kind: 'contains',
    evaluate: (ctx) => (structured ? containsValue(value, ctx.output) : containsText(String(value), ctx.output, caseSensitive)),
  };
}

function containsText(needle: string, output: unknown, caseSensitive: boolean): boolean | { value: boolean; reason: string } {
  const text = outputText(output);
  const found = caseSensitive ? text.includes(needle) : text.toLowerCase().includes(needle.toLowerCase());
  if (found) return true;
  return { value: false, reason: `expected ${JSON.stringify(needle)}${caseSensitive ? '' : ' (any case)'} in the output, found ${preview(text)}` };
}

function containsValue(value: object, output: unknown): boolean | { value: boolean; reason: string } {
  if (Array.isArray(value)) {
    if (!Array.isArray(output)) return { value: false, reason: `expected an array containing ${preview(value)}, found ${preview(output)}` };
    const missing = value.find((item) => !output.some((o) => firstMismatch(item, o, true) === undefined));
    return missing === undefined ? true : { value: false, reason: `expected an item matching ${preview(missing)}, found none in ${preview(output)}` };
  }
  if (typeof output !== 'object' || output === null || Array.isArray(output))
    return { value: false, reason: `expected an object containing ${preview(value)}, found ${preview(output)}` };
  const mismatch = firstMismatch(value, output, true);
  return mismatch ? { value: false, reason: mismatchText(mismatch) } : true;
}

/** Options of `regex`. */
export interface RegexOptions extends EvaluatorOptions {
  /** JavaScript regular expression flags (`i`, `s`, `m`, `u`); `g` and `y` are ignored. */
  flags?: string;
}

/** A text output (or the JSON of a structured one) matches `pattern` somewhere (anchor it with `^...$` for the whole text). */
export function regex(pattern: string, options: RegexOptions = {}): Evaluator {
  let expression: RegExp;
  try {
    // Without `g`/`y`: a stateful regular expression would start each test where the last stopped.
    expression = new RegExp(pattern, (options.flags ?? '').replace(/[gy]/g, ''));
  } catch (err) {
    throw new UserError(`regex ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
  return {
    name: options.name ?? 'regex',
    kind: 'regex',
    evaluate: (ctx) => {
      const text = outputText(ctx.output);
      return expression.test(text) ? true : { value: false, reason: `expected a match of ${String(expression)}, found ${preview(text)}` };
    },
  };
}
