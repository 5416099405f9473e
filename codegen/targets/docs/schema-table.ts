/**
 * A schema as a table: one row per property, nested objects flattened with dotted paths
 * (`site.root_url`) down to {@link MAX_DEPTH} levels, array items as `name[]` (`legs[].from`),
 * tuple members as `name[0]`. Named types are never expanded inside a table: they are links to the
 * types page, which has their own table (so recursive types stay finite).
 */
import { refName } from '../../compiler/ir/refs.js';
import type { IRSchema } from '../../compiler/ir/types.js';
import { isObject, type SchemaObject } from '../../compiler/schema/walk.js';
import { constraints } from './constraints.js';
import { code, join, md, type Markdown } from './markdown.js';
import type { PageLinks } from './site.js';
import { typeLabel } from './type-label.js';

/** How many levels of nested properties a table shows (`a.b.c`); deeper ones are named only. */
export const MAX_DEPTH = 3;

/** One row of a schema table. */
export interface SchemaRow {
  /** The path (`items[].sku`), or `(value)` for a schema that is not an object. */
  name: Markdown;
  type: Markdown;
  /** `yes` or `no` for properties; empty for values and array items. */
  required: string;
  /** User text (escaped by the template's `cell` helper). */
  description: string;
  /** Constraints, one per line of the cell. */
  constraints: Markdown;
}

/** A schema as a page shows it. */
export interface SchemaTable {
  /** `Type: [Name](…)` when the schema is a named type (the rows are then that type's). */
  typeLine: Markdown | null;
  /** The schema's own description (or its named type's): user text, shown above the table. */
  description: string;
  rows: SchemaRow[];
  /** What to say when there are no rows. */
  emptyText: string;
  /** Constraints on the object as a whole, below the table. */
  notes: Markdown | null;
}

type Segment = { prop: string } | { index: number } | 'items';

/**
 * The table of `schema`. With `expandRef`, a schema that is only a reference to a named type
 * shows that type's rows under a `Type:` line (tool and agent pages read without a detour); the
 * types page itself never expands, so a type's section is its own schema.
 */
export function schemaTable(schema: IRSchema, links: PageLinks, options: { expandRef: boolean }): SchemaTable {
  links.usesSchema(schema);
  const root = schema.schema;
  const ref = refName(root);
  const own = isObject(root) && typeof root['description'] === 'string' ? root['description'] : '';
  if (options.expandRef && ref !== undefined && isObject(root) && Object.keys(root).every((k) => k === '$ref' || k === 'description' || k === 'title')) {
    const type = links.site.types.get(ref)!;
    const inner = schemaTable(type.schema, links, { expandRef: false });
    return { ...inner, typeLine: md`Type: ${links.type(ref)}`, description: own || inner.description };
  }
  const rows: SchemaRow[] = [];
  if (isObjectWithProperties(root)) {
    const notes = constraints(root, links, { rows: true });
    const required = requiredOf(root);
    for (const [name, sub] of Object.entries(root['properties'] as SchemaObject)) {
      visit(sub, [{ prop: name }], required.has(name) ? 'yes' : 'no', 1, links, rows);
    }
    // An object with nothing in it and nothing else allowed: "None." says it all.
    const onlyClosed = rows.length === 0 && notes.length === 1 && root['additionalProperties'] === false;
    return {
      typeLine: null,
      description: own,
      rows,
      emptyText: rows.length === 0 && root['additionalProperties'] === false ? 'None.' : 'No properties declared.',
      notes: notes.length > 0 && !onlyClosed ? md`Object constraints: ${join(notes, '; ')}.` : null,
    };
  }
  visit(root, [], '', 0, links, rows, own !== '');
  return { typeLine: null, description: own, rows, emptyText: '', notes: null };
}

/** An object schema whose properties are best shown as rows of their own. */
function isObjectWithProperties(schema: unknown): schema is SchemaObject {
  if (!isObject(schema) || !isObject(schema['properties'])) return false;
  if (schema['type'] !== undefined && schema['type'] !== 'object') return false;
  return !['oneOf', 'anyOf', 'allOf', '$ref'].some((k) => k in schema);
}

function requiredOf(schema: SchemaObject): Set<string> {
  return new Set(Array.isArray(schema['required']) ? schema['required'].map(String) : []);
}

/** Adds the row of one schema (and its nested rows). */
function visit(schema: unknown, path: Segment[], required: string, depth: number, links: PageLinks, rows: SchemaRow[], describedAbove = false): void {
  const object = isObject(schema) && refName(schema) === undefined ? schema : undefined;
  const props = object && isObject(object['properties']) ? Object.keys(object['properties']) : [];
  // Too deep, or beside a `$ref`: the properties are named among the constraints instead.
  const expand = props.length > 0 && depth < MAX_DEPTH;
  const rules = constraints(schema, links, { rows: expand });
  const row: SchemaRow = {
    name: path.length === 0 ? md`(value)` : code(pathText(path)),
    type: typeLabel(schema, links),
    required,
    description: describedAbove ? '' : describe(schema, links),
    constraints: join(rules, '<br>'),
  };
  // Array items that are a plain object add nothing of their own: `lines[]` would repeat
  // `object` under `object[]`, so only their properties (`lines[].sku`) get rows.
  const plainItems = path.at(-1) === 'items' && expand && rules.length === 0 && row.description === '' && row.type.text === 'object';
  if (!plainItems) rows.push(row);
  if (!object) return;
  if (expand) {
    const names = requiredOf(object);
    for (const name of props)
      visit((object['properties'] as SchemaObject)[name], [...path, { prop: name }], names.has(name) ? 'yes' : 'no', depth + 1, links, rows);
  }
  // Array steps do not count as a level: `legs[].from` is as deep as `legs.from` would be.
  const prefix = object['prefixItems'];
  if (Array.isArray(prefix)) prefix.forEach((item, index) => interesting(item, links) && visit(item, [...path, { index }], '', depth, links, rows));
  const items = object['items'];
  if (interesting(items, links)) visit(items, [...path, 'items'], '', depth, links, rows);
}

/** Whether array items deserve a row of their own: the type label alone does not say all about them. */
function interesting(schema: unknown, links: PageLinks): boolean {
  if (!isObject(schema) || (refName(schema) !== undefined && Object.keys(schema).length === 1)) return false;
  if (typeof schema['description'] === 'string' || isObject(schema['properties'])) return true;
  if (constraints(schema, links).length > 0) return true;
  return interesting(schema['items'], links) || Array.isArray(schema['prefixItems']);
}

/** A schema's description, or that of the named type it refers to. */
function describe(schema: unknown, links: PageLinks): string {
  if (!isObject(schema)) return '';
  if (typeof schema['description'] === 'string') return schema['description'];
  const ref = refName(schema);
  const type = ref === undefined ? undefined : links.site.types.get(ref);
  return type && isObject(type.schema.schema) && typeof type.schema.schema['description'] === 'string' ? type.schema.schema['description'] : '';
}

/** `a.b`, `a[].b`, `a[0]`, and `a["odd name"]` for a name that is not a plain identifier. */
function pathText(path: Segment[]): string {
  let text = '';
  for (const segment of path) {
    if (segment === 'items') text += '[]';
    else if ('index' in segment) text += `[${segment.index}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment.prop)) text += text === '' ? segment.prop : `.${segment.prop}`;
    else text += `[${JSON.stringify(segment.prop)}]`;
  }
  return text;
}
