/**
 * Schemas as text, for comparing (canonical JSON) and for messages (short forms).
 */
import { refName } from '../compiler/ir/refs.js';
import { isObject } from '../compiler/schema/walk.js';

/** JSON with sorted keys (optionally without descriptions and titles): equal values, equal text. */
export function canonical(value: unknown, shapeOnly = false): string {
  return (
    JSON.stringify(value, (key, v: unknown) => {
      // Annotations are strings (or, for examples, lists); a property *named* description is a schema object.
      if (shapeOnly && (key === 'description' || key === 'title' || key === 'examples') && !isObject(v)) return undefined;
      if (!isObject(v)) return v;
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, v[k]]),
      );
    }) ?? 'undefined'
  );
}

/** A schema named in a message: its type's name, its title, or its type. */
export function describe(schema: unknown): string {
  const ref = refName(schema);
  if (ref !== undefined) return ref;
  if (isObject(schema) && typeof schema['title'] === 'string') return JSON.stringify(schema['title']);
  if (isObject(schema) && schema['type'] !== undefined) return short(schema['type']);
  return short(schema);
}

/** Values named in a message. */
export function list(values: unknown[]): string {
  return values.map((v) => short(v)).join(', ');
}

/** A value in a message, cut to 60 characters. */
export function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}
