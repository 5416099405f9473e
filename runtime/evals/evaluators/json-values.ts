/**
 * What the built-in evaluators share about JSON values: deep equality (key order irrelevant), the
 * first place two values differ, a short preview for reasons, the text a text evaluator reads, and
 * strict schema validation of a value without touching it.
 */
import { canonicalJson } from '../../agent/agent-contract.js';
import { compileSchema } from '../../schema/compile.js';
import { LAX_KEYWORD } from '../../schema/ajv-options.js';
import { toPointer } from '../../schema/json-pointer.js';
import type { JsonSchema } from '../../contract/spec.js';
import type { Validator } from '../../validators/index.js';

/** Deep equality of JSON values: objects compare by keys (in any order), arrays element by element. */
export function jsonEquals(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Where two values first differ: a JSON pointer, and the value expected and found there. */
export interface Mismatch {
  at: string;
  expected: unknown;
  found: unknown;
  /** True when the expected property is missing from the found value. */
  missing?: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first place `found` differs from `expected` (undefined when they match). With `partial`,
 * properties `found` has beyond `expected`'s are ignored, at every depth; arrays always compare
 * element by element with the same length.
 */
export function firstMismatch(expected: unknown, found: unknown, partial: boolean, path: (string | number)[] = []): Mismatch | undefined {
  if (Array.isArray(expected) && Array.isArray(found)) {
    if (expected.length !== found.length) return { at: toPointer(path), expected, found };
    for (let i = 0; i < expected.length; i++) {
      const inner = firstMismatch(expected[i], found[i], partial, [...path, i]);
      if (inner) return inner;
    }
    return undefined;
  }
  if (isRecord(expected) && isRecord(found)) {
    for (const key of Object.keys(expected).sort()) {
      if (expected[key] === undefined) continue;
      if (!Object.hasOwn(found, key) || found[key] === undefined)
        return { at: toPointer([...path, key]), expected: expected[key], found: undefined, missing: true };
      const inner = firstMismatch(expected[key], found[key], partial, [...path, key]);
      if (inner) return inner;
    }
    if (!partial) {
      const extra = Object.keys(found)
        .sort()
        .find((k) => found[k] !== undefined && (!Object.hasOwn(expected, k) || expected[k] === undefined));
      if (extra !== undefined) return { at: toPointer([...path, extra]), expected: undefined, found: found[extra] };
    }
    return undefined;
  }
  return jsonEquals(expected, found) ? undefined : { at: toPointer(path), expected, found };
}

/** A mismatch as a reason: `at /risk: expected 3, found 1` (the root has no `at`). */
export function mismatchText(m: Mismatch): string {
  const where = m.at === '' ? '' : `at ${m.at}: `;
  if (m.missing) return `${where}expected ${preview(m.expected)}, found nothing`;
  if (m.expected === undefined) return `${where}found ${preview(m.found)}, expected nothing`;
  return `${where}expected ${preview(m.expected)}, found ${preview(m.found)}`;
}

/** A value as JSON, cut to `max` characters (reasons stay short whatever the output's size). */
export function preview(value: unknown, max = 120): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return truncate(text, max);
}

/** Text cut to `max` characters, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The text a text evaluator reads: a string output itself, the JSON of anything else. */
export function outputText(output: unknown): string {
  return typeof output === 'string' ? output : (JSON.stringify(output) ?? '');
}

/**
 * A validator for a schema an evaluator was given. Strict (no lax scalars: `"5"` does not fit
 * `type: number`), since an assertion that coerced would pass values the schema rules out,
 * unless the schema's root sets `x-schemantic-lax` itself. Compiled once, when the evaluator is made.
 */
export function strictValidator(schema: JsonSchema, where: string): (value: unknown) => { ok: boolean; errors: string } {
  const strict = typeof schema === 'boolean' || LAX_KEYWORD in schema ? schema : { ...schema, [LAX_KEYWORD]: false };
  const validate: Validator<unknown> = compileSchema(strict, where);
  return (value) => {
    // A copy: Ajv fills in defaults in place, and the run's output must stay as it was.
    const ok = validate(cloneJson(value));
    return { ok, errors: ok ? '' : validationText(validate) };
  };
}

/** A validator's last errors on one line, the first few: `/a must be string; (root) must have b`. */
export function validationText(validate: Validator<unknown>, max = 3): string {
  const errors = validate.errors ?? [];
  const shown = errors.slice(0, max).map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}`);
  return shown.join('; ') + (errors.length > max ? `; and ${errors.length - max} more` : '');
}

/** A deep copy of a JSON value (the value itself when it cannot be copied). */
export function cloneJson<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}
