/**
 * The "type" column of a schema table: a short, TypeScript-like label (`string`, `integer | null`,
 * `FlightDetails[]`, `[number, number]`), where every named type is a link to its section of the
 * types page.
 */
import { refName } from '../../compiler/ir/refs.js';
import { isObject, type SchemaObject } from '../../compiler/schema/walk.js';
import { join, md, type Markdown } from './markdown.js';
import type { PageLinks } from './site.js';

/** The JSON type of a value, as JSON Schema names it. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** The label of a schema. */
export function typeLabel(schema: unknown, links: PageLinks): Markdown {
  if (schema === true) return md`any`;
  if (schema === false) return md`never`;
  if (!isObject(schema)) return md`any`;
  const ref = refName(schema);
  if (ref !== undefined) return links.type(ref);
  if (Array.isArray(schema['enum'])) return union([...new Set(schema['enum'].map(jsonType))].map((t) => md`${t}`));
  if ('const' in schema) return md`${jsonType(schema['const'])}`;
  const type = schema['type'];
  if (typeof type === 'string' || Array.isArray(type)) {
    const types = typeof type === 'string' ? [type] : type.map(String);
    return union(types.map((t) => (t === 'array' ? arrayLabel(schema, links) : md`${t}`)));
  }
  if (isObject(schema['properties']) || 'additionalProperties' in schema || isObject(schema['patternProperties'])) return md`object`;
  if ('items' in schema || Array.isArray(schema['prefixItems'])) return arrayLabel(schema, links);
  for (const [keyword, separator] of [
    ['oneOf', ' | '],
    ['anyOf', ' | '],
    ['allOf', ' & '],
  ] as const) {
    const list = schema[keyword];
    if (Array.isArray(list) && list.length > 0)
      return join(
        list.map((s) => grouped(typeLabel(s, links))),
        separator,
      );
  }
  return md`any`;
}

/** `X[]`, `(A | B)[]`, `[A, B]`, `[A, ...B[]]`. */
function arrayLabel(schema: SchemaObject, links: PageLinks): Markdown {
  const items = schema['items'];
  const prefix = schema['prefixItems'];
  if (Array.isArray(prefix)) {
    const parts = prefix.map((s) => typeLabel(s, links));
    // In draft 2020-12 items after the prefix are allowed unless `items` says otherwise.
    if (items !== false) parts.push(md`...${items === undefined || items === true ? md`any` : grouped(typeLabel(items, links))}[]`);
    return md`[${join(parts, ', ')}]`;
  }
  if (items === undefined) return md`array`;
  return md`${grouped(typeLabel(items, links))}[]`;
}

/** Alternatives joined with `|`. */
function union(parts: Markdown[]): Markdown {
  return join(parts, ' | ');
}

/** A label in parentheses when it is a union or an intersection (so `[]` applies to all of it). */
function grouped(label: Markdown): Markdown {
  // Links hold no spaced operators: only our own separators do.
  return / [|&] /.test(label.text) ? md`(${label})` : label;
}
