/**
 * JSON Schema as the Gemini API takes it (`responseJsonSchema`, `parametersJsonSchema`): a
 * subset. Keywords outside it are dropped at request time, each reported once as an unsupported
 * setting: the run still validates what comes back against the schema as written, so a dropped
 * constraint is checked, only no longer enforced while sampling. (A variant prepared at generate
 * time, with located warnings, is a later step; until then this runs per request, cached per
 * schema object.)
 */
import type { JsonSchema } from '../../contract/spec.js';

/** Keywords Gemini's JSON Schema subset takes as they are. */
const KEPT = new Set([
  'type',
  'title',
  'description',
  'enum',
  'format',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'required',
  'propertyOrdering',
  '$ref',
  '$id',
  '$anchor',
]);

/** Keywords that constrain nothing (annotations, ours): dropped without a warning. */
const SILENT = new Set(['$schema', '$comment', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', 'nullable']);

/** Keywords whose value is one schema (or, for additionalProperties, a boolean). */
const ONE_SCHEMA = new Set(['items', 'additionalProperties']);
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAPS = new Set(['properties', '$defs', 'definitions']);
/** Keywords whose value lists schemas. */
const SCHEMA_LISTS = new Set(['anyOf', 'prefixItems']);

/** A schema in Gemini's subset, and the keywords it had to drop. */
export interface GeminiSchema {
  schema: JsonSchema;
  dropped: readonly string[];
}

const computed = new WeakMap<object, GeminiSchema>();

/** The schema in Gemini's subset (computed once per schema object), with the keywords dropped. */
export function geminiSchema(schema: JsonSchema): GeminiSchema {
  if (schema === null || typeof schema !== 'object') return { schema, dropped: [] };
  let hit = computed.get(schema);
  if (hit === undefined) {
    const dropped = new Set<string>();
    hit = { schema: subset(schema, dropped), dropped: [...dropped].sort() };
    computed.set(schema, hit);
  }
  return hit;
}

/** Walks sub-schemas only, so that property names are never mistaken for keywords. */
function subset(schema: JsonSchema, dropped: Set<string>): JsonSchema {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (key === '$ref' && typeof value === 'string') put(key, value.replace(/^#\/definitions\//, '#/$defs/'));
    else if (KEPT.has(key)) put(key, value);
    else if (ONE_SCHEMA.has(key)) put(key, typeof value === 'object' && value !== null ? subset(value as JsonSchema, dropped) : value);
    else if (SCHEMA_LISTS.has(key) && Array.isArray(value))
      put(
        key,
        value.map((v) => subset(v as JsonSchema, dropped)),
      );
    else if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null) {
      const map: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value))
        Object.defineProperty(map, name, { value: subset(sub as JsonSchema, dropped), enumerable: true, writable: true, configurable: true });
      // Gemini resolves `$ref`s against `$defs` only.
      put(key === 'definitions' ? '$defs' : key, map);
    } else if (key === 'const') {
      // One allowed value is an enum of one: the same constraint in a keyword Gemini takes.
      put('enum', [value]);
    } else if (key === 'oneOf' && Array.isArray(value)) {
      // "Exactly one of" read as "any of": the run's validation still rejects a value matching two.
      put(
        'anyOf',
        value.map((v) => subset(v as JsonSchema, dropped)),
      );
    } else if (!SILENT.has(key) && !key.startsWith('x-')) {
      dropped.add(key);
    }
  }
  return out;
}
