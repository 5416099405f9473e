/**
 * Which JSON types a schema accepts (a static approximation), and `$defs` references: what the
 * OpenAI strict transform (openai-strict.ts) and the removal of nulls the model sends for optional
 * properties (optional-nulls.ts) must decide the same way.
 */
import { unescapePointerSegment } from './json-pointer.js';
import type { JsonSchema } from '../contract/spec.js';

/** A schema object, read only. */
export type SchemaObject = { readonly [keyword: string]: unknown };
/** The root `$defs` of a bundled schema. */
export type Defs = Readonly<Record<string, JsonSchema>>;

const DEFS_PREFIX = '#/$defs/';

/** True for a schema object (not a boolean schema, not an array). */
export function isSchemaObject(value: unknown): value is SchemaObject {
  return isJsonObject(value);
}

/** True for a JSON object: not null, not an array (data read from a store or a client). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `$defs` name a reference of the form `#/$defs/Name` points to; undefined for any other form. */
export function refName(ref: unknown): string | undefined {
  if (typeof ref !== 'string' || !ref.startsWith(DEFS_PREFIX)) return undefined;
  const encoded = ref.slice(DEFS_PREFIX.length);
  if (encoded === '' || encoded.includes('/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  return unescapePointerSegment(decoded);
}

/**
 * The `$defs` entry a `{"$ref": "#/$defs/Name"}` points to; undefined when the reference has
 * another form or names no entry. Shared with optional-nulls.ts.
 */
export function refTarget(ref: unknown, defs: Defs | undefined): JsonSchema | undefined {
  const name = refName(ref);
  return name !== undefined && defs && Object.hasOwn(defs, name) ? defs[name] : undefined;
}

/** The root `$defs` of a bundled schema. */
export function rootDefs(schema: JsonSchema): Defs | undefined {
  const defs = isSchemaObject(schema) ? schema['$defs'] : undefined;
  return isSchemaObject(defs) ? (defs as Defs) : undefined;
}

/** The JSON types `acceptsJsonType` answers for: the ones the transforms need to know about. */
export type JsonKind = 'null' | 'object' | 'array';

function isOfKind(value: unknown, kind: JsonKind): boolean {
  if (kind === 'null') return value === null;
  if (kind === 'array') return Array.isArray(value);
  return isSchemaObject(value);
}

function typeAllows(type: unknown, kind: JsonKind): boolean {
  if (typeof type === 'string') return type === kind;
  return Array.isArray(type) ? type.includes(kind) : true;
}

/**
 * Whether some value of the JSON type `kind` may satisfy a schema: every keyword that restricts
 * types (`type`, `const`, `enum`, `$ref`, `anyOf`, `oneOf`, `allOf`) must let that type through,
 * and a schema with none of them accepts anything. Keywords that look at one value rather than its
 * type (`not`, conditionals, `oneOf`'s "exactly one") are ignored. A reference cycle counts as not
 * accepting the type. Shared with optional-nulls.ts.
 */
export function acceptsJsonType(schema: JsonSchema, defs: Defs | undefined, kind: JsonKind): boolean {
  return accepts(schema, defs, kind, new Map());
}

function accepts(schema: unknown, defs: Defs | undefined, kind: JsonKind, refs: Map<string, boolean | 'pending'>): boolean {
  if (typeof schema === 'boolean') return schema;
  if (!isSchemaObject(schema)) return false;
  if ('type' in schema && !typeAllows(schema['type'], kind)) return false;
  if ('const' in schema && !isOfKind(schema['const'], kind)) return false;
  const values = schema['enum'];
  if (Array.isArray(values) && !values.some((v) => isOfKind(v, kind))) return false;
  if ('$ref' in schema && !refAccepts(schema['$ref'], defs, kind, refs)) return false;
  const some = (key: string) => {
    const members = schema[key];
    return !Array.isArray(members) || members.some((m) => accepts(m, defs, kind, refs));
  };
  if (!some('anyOf') || !some('oneOf')) return false;
  const allOf = schema['allOf'];
  return !Array.isArray(allOf) || allOf.every((m) => accepts(m, defs, kind, refs));
}

/** Memoised per call by `$defs` name, so shared targets are checked once and cycles end. */
function refAccepts(ref: unknown, defs: Defs | undefined, kind: JsonKind, refs: Map<string, boolean | 'pending'>): boolean {
  const name = refName(ref);
  const target = refTarget(ref, defs);
  if (name === undefined || target === undefined) return false;
  const known = refs.get(name);
  if (known !== undefined) return known === true;
  refs.set(name, 'pending');
  const result = accepts(target, defs, kind, refs);
  refs.set(name, result);
  return result;
}

/** Whether a schema accepts null (static approximation, shared with optional-nulls.ts). */
export function acceptsNull(schema: JsonSchema, defs: Readonly<Record<string, JsonSchema>> | undefined): boolean {
  return acceptsJsonType(schema, defs, 'null');
}
