/**
 * Reshaping JSON Schemas for what models accept: providers want an object at the root of every
 * tool's parameters and of a native output schema.
 */
import type { JsonSchema } from '../contract/spec.js';

type SchemaObject = { readonly [keyword: string]: unknown };

function isSchemaObject(schema: JsonSchema): schema is SchemaObject {
  return typeof schema === 'object' && schema !== null;
}

/**
 * The schema with a root `$ref` into its own `$defs` replaced by what it points to (a bundled
 * schema often starts `{"$ref": "#/$defs/Booking", "$defs": ...}`, which providers reject).
 */
export function inlineRootRef(schema: JsonSchema): JsonSchema {
  if (!isSchemaObject(schema)) return schema;
  const ref = schema['$ref'];
  const defs = schema['$defs'] as Record<string, JsonSchema> | undefined;
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/') || !defs) return schema;
  const target = defs[ref.slice('#/$defs/'.length)];
  if (!isSchemaObject(target ?? false)) return schema;
  const { $ref: _ref, $defs: _defs, ...siblings } = schema;
  return { ...(target as SchemaObject), ...siblings, $defs: defs };
}

/** True when the schema (after inlining a root reference) describes objects only. */
export function isObjectSchema(schema: JsonSchema): boolean {
  const inlined = inlineRootRef(schema);
  return isSchemaObject(inlined) && inlined['type'] === 'object';
}

/**
 * Wraps a schema as the single required property `key` of an object, moving its `$defs` to the
 * new root so its references still resolve.
 */
export function wrapInObject(schema: JsonSchema, key: string, description?: string): JsonSchema {
  const inner: Record<string, unknown> = isSchemaObject(schema) ? { ...schema } : {};
  const defs = inner['$defs'];
  delete inner['$defs'];
  const property = isSchemaObject(schema) ? inner : schema;
  return {
    type: 'object',
    ...(description !== undefined ? { description } : {}),
    properties: { [key]: property },
    required: [key],
    additionalProperties: false,
    ...(defs !== undefined ? { $defs: defs } : {}),
  };
}

/** All `$defs` of several schemas, merged (bundled schemas of one corpus never disagree). */
export function mergedDefs(schemas: readonly JsonSchema[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const s of schemas) if (isSchemaObject(s) && s['$defs']) Object.assign(out, s['$defs']);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The schema without its root `$defs`. */
export function withoutDefs(schema: JsonSchema): JsonSchema {
  if (!isSchemaObject(schema) || !('$defs' in schema)) return schema;
  const { $defs: _defs, ...rest } = schema;
  return rest;
}
