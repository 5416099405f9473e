/**
 * The strict form of a schema for providers that enforce schemas while sampling (OpenAI and the
 * servers that follow its dialect), and the closed form Anthropic wants. Generated code brings the
 * strict form prepared; for hand-written tools it is computed here. Both are computed once per
 * schema object, not on every request.
 */
import { toOpenAIStrict } from '../../schema/openai-strict.js';
import type { JsonSchema } from '../../contract/spec.js';

const computed = new WeakMap<object, JsonSchema | null>();

/** The strict form to send (the prepared one, or a computed one), or undefined when there is none. */
export function strictForm(schema: JsonSchema, prepared: JsonSchema | undefined): JsonSchema | undefined {
  if (prepared !== undefined) return prepared;
  if (typeof schema !== 'object') return undefined;
  let hit = computed.get(schema);
  if (hit === undefined) {
    const result = toOpenAIStrict(schema);
    const form = result.ok ? result.schema : null;
    computed.set(schema, form);
    hit = form;
  }
  return hit ?? undefined;
}

/** Closed forms already computed, by schema object. */
const closed = new WeakMap<object, JsonSchema>();

/**
 * The schema with every object closed (see closedObjects), as Anthropic's structured output and
 * strict tools want; computed once per schema object.
 */
export function closedForm(schema: JsonSchema): JsonSchema {
  if (schema === null || typeof schema !== 'object') return schema;
  let hit = closed.get(schema);
  if (hit === undefined) {
    hit = closedObjects(schema);
    closed.set(schema, hit);
  }
  return hit;
}

/** Keywords whose value is a schema, and those whose value maps names (or indexes) to schemas. */
const SCHEMA_KEYWORDS = new Set([
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);

/**
 * The schema with every object closed: `additionalProperties: false` added where the schema
 * leaves it out, as Anthropic's structured output and strict tools want (the run validates against
 * the schema as written anyway). Walks sub-schemas only, so property names are never mistaken for
 * keywords.
 */
function closedObjects(schema: JsonSchema): JsonSchema {
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    let mapped = value;
    if (SCHEMA_KEYWORDS.has(key) && typeof value === 'object' && value !== null) mapped = closedObjects(value as JsonSchema);
    else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) mapped = value.map((v) => closedObjects(v as JsonSchema));
    else if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null) {
      const map: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value))
        Object.defineProperty(map, name, { value: closedObjects(sub as JsonSchema), enumerable: true, writable: true, configurable: true });
      mapped = map;
    }
    Object.defineProperty(out, key, { value: mapped, enumerable: true, writable: true, configurable: true });
  }
  if (out['type'] === 'object' && !('additionalProperties' in out)) out['additionalProperties'] = false;
  return out;
}
