/**
 * Whether a JSON pointer can lead anywhere in data of a schema: what the eval datasets' `pointer`
 * evaluator is checked with. Conservative: it says no only when no value of the schema can have
 * something there (a property an object closes out, an index into a string, a key of a list),
 * and yes whenever it cannot tell (`not`, `if`, `unevaluatedProperties`, a reference it cannot follow).
 */
import { isObject, type SchemaObject } from './walk.js';

const SCALAR_TYPES: ReadonlySet<string> = new Set(['string', 'number', 'integer', 'boolean', 'null']);

/**
 * True unless nothing fitting `schema` can hold a value at `segments` (the pointer's unescaped
 * segments). `root` is the document `#/$defs/<name>` references resolve in.
 */
export function pointerCanExist(schema: unknown, segments: readonly string[], root: unknown = schema): boolean {
  return reach(schema, segments, 0, root, new Set());
}

function reach(schema: unknown, segments: readonly string[], at: number, root: unknown, seen: Set<string>): boolean {
  // Nothing is there where the schema is `false` (an `additionalProperties: false`, say).
  if (schema === false) return false;
  if (at >= segments.length) return true;
  if (!isObject(schema)) return true;
  if ('const' in schema) return valueHas(schema['const'], segments, at);
  if (Array.isArray(schema['enum'])) return schema['enum'].some((v) => valueHas(v, segments, at));
  if (typeof schema['$ref'] === 'string') {
    const target = resolveRef(schema['$ref'], root);
    // Each reference once per depth: a recursive type is followed, never forever.
    const key = `${schema['$ref']}@${at}`;
    if (target !== undefined && !seen.has(key) && !reach(target, segments, at, root, new Set([...seen, key]))) return false;
  }
  if (Array.isArray(schema['allOf']) && !schema['allOf'].every((s) => reach(s, segments, at, root, seen))) return false;
  for (const keyword of ['anyOf', 'oneOf'])
    if (Array.isArray(schema[keyword]) && !(schema[keyword] as unknown[]).some((s) => reach(s, segments, at, root, seen))) return false;
  return own(schema, segments, at, root, seen);
}

/** What the node's own keywords allow at `segments[at]` (its type, properties, items). */
function own(schema: SchemaObject, segments: readonly string[], at: number, root: unknown, seen: Set<string>): boolean {
  const segment = segments[at]!;
  const types = typeof schema['type'] === 'string' ? [schema['type']] : Array.isArray(schema['type']) ? schema['type'].map(String) : undefined;
  if (types && types.every((t) => SCALAR_TYPES.has(t))) return false;
  const canObject = !types || types.includes('object');
  const canArray = !types || types.includes('array');
  const index = /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : undefined;
  let viaObject = false;
  if (canObject) viaObject = objectReach(schema, segment, segments, at, root, seen);
  let viaArray = false;
  if (canArray && index !== undefined) viaArray = arrayReach(schema, index, segments, at, root, seen);
  // Untyped nodes with neither object nor array keywords can be anything.
  return viaObject || viaArray;
}

function objectReach(schema: SchemaObject, segment: string, segments: readonly string[], at: number, root: unknown, seen: Set<string>): boolean {
  const properties = isObject(schema['properties']) ? schema['properties'] : undefined;
  if (properties && Object.hasOwn(properties, segment)) return reach(properties[segment], segments, at + 1, root, seen);
  if (isObject(schema['patternProperties'])) {
    for (const [pattern, sub] of Object.entries(schema['patternProperties'])) {
      let matches = true;
      try {
        matches = new RegExp(pattern, 'u').test(segment);
      } catch {
        matches = true;
      }
      if (matches && reach(sub, segments, at + 1, root, seen)) return true;
    }
  }
  const additional = schema['additionalProperties'];
  if (additional === undefined) return true;
  return reach(additional, segments, at + 1, root, seen);
}

function arrayReach(schema: SchemaObject, index: number, segments: readonly string[], at: number, root: unknown, seen: Set<string>): boolean {
  if (typeof schema['maxItems'] === 'number' && index >= schema['maxItems']) return false;
  const prefix = Array.isArray(schema['prefixItems']) ? schema['prefixItems'] : undefined;
  if (prefix && index < prefix.length) return reach(prefix[index], segments, at + 1, root, seen);
  const items = schema['items'];
  if (items === undefined) return true;
  return reach(items, segments, at + 1, root, seen);
}

function resolveRef(ref: string, root: unknown): unknown {
  const match = /^#\/\$defs\/([^/]+)$/.exec(ref);
  if (!match || !isObject(root) || !isObject(root['$defs'])) return undefined;
  const name = match[1]!.replace(/~1/g, '/').replace(/~0/g, '~');
  return Object.hasOwn(root['$defs'], name) ? root['$defs'][name] : undefined;
}

/** Whether a value has something at `segments` from `at`. */
function valueHas(value: unknown, segments: readonly string[], at: number): boolean {
  let node = value;
  for (let i = at; i < segments.length; i++) {
    const s = segments[i]!;
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(s) || Number(s) >= node.length) return false;
      node = node[Number(s)];
    } else if (isObject(node)) {
      if (!Object.hasOwn(node, s)) return false;
      node = node[s];
    } else return false;
  }
  return true;
}
