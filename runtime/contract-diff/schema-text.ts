/**
 * Schemas as text, for comparing (canonical JSON) and for messages (short forms).
 */
import { isSchemaObject } from '../schema/json-kinds.js';
import { typeRef } from './type-ref.js';

/** JSON with sorted keys (optionally without descriptions and titles): equal values, equal text. */
export function canonical(value: unknown, shapeOnly = false): string {
  return (
    JSON.stringify(value, (key, v: unknown) => {
      // Annotations are strings (or, for examples, lists); a property *named* description is a schema object.
      if (shapeOnly && (key === 'description' || key === 'title' || key === 'examples') && !isSchemaObject(v)) return undefined;
      if (!isSchemaObject(v)) return v;
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
  const ref = typeRef(schema);
  if (ref !== undefined) return ref;
  if (isSchemaObject(schema) && typeof schema['title'] === 'string') return JSON.stringify(schema['title']);
  if (isSchemaObject(schema) && schema['type'] !== undefined) return short(schema['type']);
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
