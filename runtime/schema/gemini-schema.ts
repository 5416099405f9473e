/**
 * JSON Schema as the Gemini API takes it (`responseJsonSchema`, `parametersJsonSchema`): a
 * subset. Keywords outside it are dropped: the run still validates what comes back against the
 * schema as written, so a dropped constraint is checked, only no longer enforced while sampling.
 *
 * Both halves use it: the generator prepares the variant of each tool and output schema (and warns,
 * located, about each keyword dropped); the Gemini adapter sends that variant, or computes it here
 * at request time for hand-written agents (and warns then). Here, so that both drop the same.
 */
import type { JsonSchema } from '../contract/spec.js';
import { escapePointerSegment } from './json-pointer.js';

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

/** One keyword dropped, where it was. */
export interface GeminiDrop {
  keyword: string;
  /** JSON pointer of the keyword in the input schema (`/properties/code/pattern`). */
  pointer: string;
}

/** A schema in Gemini's subset, and the keywords it had to drop. */
export interface GeminiSchema {
  schema: JsonSchema;
  /** The names of the keywords dropped (annotations excepted), sorted, each once. */
  dropped: readonly string[];
  /** Each keyword dropped (annotations excepted), in the order met: one per occurrence. */
  drops: readonly GeminiDrop[];
}

const computed = new WeakMap<object, GeminiSchema>();

/** The schema in Gemini's subset (computed once per schema object), with the keywords dropped. */
export function geminiSchema(schema: JsonSchema): GeminiSchema {
  if (schema === null || typeof schema !== 'object') return { schema, dropped: [], drops: [] };
  let hit = computed.get(schema);
  if (hit === undefined) {
    const drops: GeminiDrop[] = [];
    const out = subset(schema, '', drops);
    hit = { schema: out, dropped: [...new Set(drops.map((d) => d.keyword))].sort(), drops };
    computed.set(schema, hit);
  }
  return hit;
}

/** Walks sub-schemas only, so that property names are never mistaken for keywords. */
function subset(schema: JsonSchema, at: string, drops: GeminiDrop[]): JsonSchema {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    const here = `${at}/${escapePointerSegment(key)}`;
    if (key === '$ref' && typeof value === 'string') put(key, value.replace(/^#\/definitions\//, '#/$defs/'));
    else if (KEPT.has(key)) put(key, value);
    else if (ONE_SCHEMA.has(key)) put(key, typeof value === 'object' && value !== null ? subset(value as JsonSchema, here, drops) : value);
    else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) put(key, subsetList(value, here, drops));
    else if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null) {
      const map: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value))
        Object.defineProperty(map, name, {
          value: subset(sub as JsonSchema, `${here}/${escapePointerSegment(name)}`, drops),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      // Gemini resolves `$ref`s against `$defs` only.
      put(key === 'definitions' ? '$defs' : key, map);
    } else if (key === 'const') {
      // One allowed value is an enum of one: the same constraint in a keyword Gemini takes.
      put('enum', [value]);
    } else if (key === 'oneOf' && Array.isArray(value)) {
      // "Exactly one of" read as "any of": the run's validation still rejects a value matching two.
      put('anyOf', subsetList(value, here, drops));
    } else if (!SILENT.has(key) && !key.startsWith('x-')) {
      drops.push({ keyword: key, pointer: here });
    }
  }
  return out;
}

function subsetList(list: readonly unknown[], at: string, drops: GeminiDrop[]): JsonSchema[] {
  return list.map((v, i) => subset(v as JsonSchema, `${at}/${i}`, drops));
}
