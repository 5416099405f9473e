/**
 * What a served tool's structured content looks like. MCP wants an object there (and an object
 * `outputSchema`), so a value of any other shape (text, a number, an array, a union of members) is
 * wrapped as `{ "output": value }`, and its schema with it. One rule for agents and tools, in
 * every protocol era, rather than the SDK's own wrapping, which differs from era to era.
 */
import type { JsonSchema, OutputSpec } from '../contract/spec.js';
import { inlineRootRef, isObjectSchema, mergedDefs, withoutDefs, wrapInObject } from '../schema/schema-shapes.js';

/** The property a non-object value is wrapped in. */
export const OUTPUT_KEY = 'output';

/** A tool's structured content: its schema, and whether values are wrapped in {@link OUTPUT_KEY}. */
export interface OutputShape {
  readonly schema: JsonSchema;
  readonly wrapped: boolean;
}

/** The shape of a value described by `schema`: the schema itself when it describes objects, else wrapped. */
export function shapeOf(schema: JsonSchema): OutputShape {
  if (isObjectSchema(schema)) return { schema: inlineRootRef(schema), wrapped: false };
  return { schema: wrapInObject(schema, OUTPUT_KEY), wrapped: true };
}

/**
 * The structured content of an agent's answers: none for a text agent (its answer is the text),
 * else its output schema, the members of a union (and text, when the model may answer in text)
 * as one `anyOf`.
 */
export function agentOutputShape(output: OutputSpec): OutputShape | undefined {
  if (output.kind === 'text') return undefined;
  const schemas: JsonSchema[] = output.members.map((m) => m.schema);
  if (output.allowsText) schemas.push({ type: 'string' });
  if (schemas.length === 1) return shapeOf(schemas[0]!);
  const defs = mergedDefs(schemas);
  // Each member is self-contained; their `$defs` go to the union's root, where references resolve.
  return shapeOf({ anyOf: schemas.map(withoutDefs), ...(defs !== undefined ? { $defs: defs } : {}) });
}

/** The value as structured content of that shape. */
export function structuredValue(value: unknown, shape: OutputShape): Record<string, unknown> {
  return shape.wrapped ? { [OUTPUT_KEY]: value ?? null } : (value as Record<string, unknown>);
}
