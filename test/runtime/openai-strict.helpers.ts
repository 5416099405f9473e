/**
 * Helpers of the toOpenAIStrict tests (openai-strict-shapes.test.ts, openai-strict-rules.test.ts).
 */
import { toOpenAIStrict, type StrictProblem } from '../../runtime/schema/openai-strict.js';
import type { JsonSchema } from '../../runtime/contract/spec.js';

/** Freezes a schema all the way down, so a test fails if the transform writes to its input. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The strict schema, failing the test when there are problems. */
export function strict(schema: JsonSchema, options?: { requireObjectRoot?: boolean }): JsonSchema {
  const result = toOpenAIStrict(deepFreeze(schema), options);
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`);
  return result.schema;
}

/** The problems, failing the test when the schema converts. */
export function problems(schema: JsonSchema, options?: { requireObjectRoot?: boolean }): StrictProblem[] {
  const result = toOpenAIStrict(deepFreeze(schema), options);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.schema)}`);
  return result.problems;
}

/** The pointers of the problems, in their order. */
export const pointers = (schema: JsonSchema, options?: { requireObjectRoot?: boolean }) => problems(schema, options).map((p) => p.pointer);

/** An object schema with the given properties, none required. */
export const obj = (properties: Record<string, JsonSchema>, extra: Record<string, unknown> = {}): JsonSchema => ({ type: 'object', properties, ...extra });
