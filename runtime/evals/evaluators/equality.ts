/**
 * Equality of the output: with the case's expected output, with a given value, or partially (the
 * properties a value names, ignoring the rest).
 */
import { UserError } from '../../contract/errors.js';
import type { Evaluator } from '../evaluator.js';
import type { EvaluatorOptions } from './options.js';
import { firstMismatch, mismatchText } from './json-values.js';

/** The output deep-equals the case's `expected` (key order irrelevant); an error when the case has none. */
export function equalsExpected(options: EvaluatorOptions = {}): Evaluator {
  return {
    name: options.name ?? 'equalsExpected',
    kind: 'equalsExpected',
    evaluate: (ctx) => {
      if (ctx.expected === undefined) throw new UserError(`case ${ctx.name} has no expected output to compare with`);
      return compare(ctx.expected, ctx.output, false);
    },
  };
}

/** The output deep-equals `value` (key order irrelevant). */
export function equals(value: unknown, options: EvaluatorOptions = {}): Evaluator {
  return { name: options.name ?? 'equals', kind: 'equals', evaluate: (ctx) => compare(value, ctx.output, false) };
}

/**
 * Every property present in `value` (default: the case's `expected`) equals the output's,
 * recursively; properties the output has beyond them are ignored. Arrays compare element by
 * element, with the same length.
 */
export function partialEquals(value?: unknown, options: EvaluatorOptions = {}): Evaluator {
  return {
    name: options.name ?? 'partialEquals',
    kind: 'partialEquals',
    evaluate: (ctx) => {
      const expected = value === undefined ? ctx.expected : value;
      if (expected === undefined) throw new UserError(`partialEquals has no value, and case ${ctx.name} no expected output, to compare with`);
      return compare(expected, ctx.output, true);
    },
  };
}

function compare(expected: unknown, found: unknown, partial: boolean): { value: boolean; reason?: string } {
  const mismatch = firstMismatch(expected, found, partial);
  return mismatch ? { value: false, reason: mismatchText(mismatch) } : { value: true };
}
