/**
 * Walking and rewriting JSON Schemas: every stage that looks inside a schema goes through these two
 * functions, so the list of places where subschemas can sit is written once.
 */
import { defineOwn } from 'schemantic/internal';
import { escapePointerSegment } from '../problems.js';
import { SINGLE_SUBSCHEMA, SUBSCHEMA_ARRAY, SUBSCHEMA_MAP } from './keywords.js';

const SINGLE: ReadonlySet<string> = new Set(SINGLE_SUBSCHEMA);
const MAP: ReadonlySet<string> = new Set([...SUBSCHEMA_MAP, 'dependencies']);
const ARRAY: ReadonlySet<string> = new Set(SUBSCHEMA_ARRAY);

/** A JSON Schema: an object of keywords, or a boolean. */
export type JsonSchema = boolean | SchemaObject;

/** A JSON Schema object. */
export type SchemaObject = { [keyword: string]: unknown };

/** True for a plain object (not an array, not null). */
export function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `root` as an object: `true` is `{}`, `false` is `{"not": {}}` (a document needs members). */
export function schemaObject(root: unknown): SchemaObject {
  if (isObject(root)) return root;
  return root === false ? { not: {} } : {};
}

/** Calls `visit` on every schema object in `schema`, depth first, with its pointer. */
export function forEachSubschema(schema: unknown, pointer: string, visit: (node: SchemaObject, pointer: string) => void): void {
  if (!isObject(schema)) return;
  visit(schema, pointer);
  for (const [keyword, value] of Object.entries(schema)) {
    const at = `${pointer}/${escapePointerSegment(keyword)}`;
    if (SINGLE.has(keyword)) {
      if (Array.isArray(value)) value.forEach((item, i) => forEachSubschema(item, `${at}/${i}`, visit));
      else forEachSubschema(value, at, visit);
    } else if (MAP.has(keyword)) {
      if (!isObject(value)) continue;
      for (const [name, sub] of Object.entries(value)) forEachSubschema(sub, `${at}/${escapePointerSegment(name)}`, visit);
    } else if (ARRAY.has(keyword)) {
      if (Array.isArray(value)) value.forEach((item, i) => forEachSubschema(item, `${at}/${i}`, visit));
    }
  }
}

/**
 * Rebuilds `schema` bottom-up: each schema object is first rebuilt from its rewritten subschemas,
 * then passed to `rewrite` with its pointer, and the result replaces it. Never mutates its input.
 */
export function mapSubschemas(schema: unknown, rewrite: (node: SchemaObject, pointer: string) => unknown, pointer = ''): unknown {
  if (!isObject(schema)) return schema;
  const out: SchemaObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    const at = `${pointer}/${escapePointerSegment(keyword)}`;
    let next: unknown = value;
    if (SINGLE.has(keyword)) {
      next = Array.isArray(value) ? value.map((v, i) => mapSubschemas(v, rewrite, `${at}/${i}`)) : mapSubschemas(value, rewrite, at);
    } else if (MAP.has(keyword)) {
      if (isObject(value)) {
        const mapped: SchemaObject = {};
        for (const [name, sub] of Object.entries(value)) {
          defineOwn(mapped, name, mapSubschemas(sub, rewrite, `${at}/${escapePointerSegment(name)}`));
        }
        next = mapped;
      }
    } else if (ARRAY.has(keyword)) {
      if (Array.isArray(value)) next = value.map((v, i) => mapSubschemas(v, rewrite, `${at}/${i}`));
    }
    defineOwn(out, keyword, next);
  }
  return rewrite(out, pointer);
}

/** The runtime's own `defineOwn` (`__proto__`-safe property setting): one implementation for both halves. */
export { defineOwn };
