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
  // The inlined type stays in `$defs` only if something still refers to it (a recursive type).
  return withUsedDefs({ ...(target as SchemaObject), ...siblings }, defs);
}

/**
 * The schema with root `$defs` holding only the entries it reaches by `#/$defs/...` references
 * (directly or through other entries), none if it reaches none.
 */
export function withUsedDefs(schema: { readonly [keyword: string]: unknown }, defs: Record<string, unknown> | undefined): JsonSchema {
  const { $defs: _own, ...rest } = schema;
  if (!defs) return rest;
  const used = new Set<string>();
  const pending: unknown[] = [rest];
  while (pending.length > 0) {
    for (const name of refNames(pending.pop())) {
      if (used.has(name) || !Object.hasOwn(defs, name)) continue;
      used.add(name);
      pending.push(defs[name]);
    }
  }
  if (used.size === 0) return rest;
  const kept: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(defs)) if (used.has(name)) kept[name] = def;
  return { ...rest, $defs: kept };
}

/** The `$defs` names a schema's `#/$defs/<name>` references point at (their first segment). */
function refNames(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refNames(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, sub] of Object.entries(value)) {
      if (key === '$ref' && typeof sub === 'string' && sub.startsWith('#/$defs/')) {
        out.push(sub.slice('#/$defs/'.length).split('/')[0]!.replace(/~1/g, '/').replace(/~0/g, '~'));
      } else refNames(sub, out);
    }
  }
  return out;
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
