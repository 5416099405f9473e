/**
 * The structural comparison of two canonical JSON Schemas (one per revision), keyword by keyword,
 * through `$ref`s: a reference to a named type is followed on each side, so a change inside a
 * shared type shows at every place that reaches it, and each pair of types is compared once per
 * contract, which is also what stops recursive types.
 *
 * The comparison says what changed (a rule and a pointer); whether that breaks anyone depends on
 * the direction of the place the schema sits, which the caller knows (rules.ts). Where the named
 * types are, and where a node was written, the caller says too ({@link SchemaSides}): the
 * generator compares its IR, located in the definitions files (codegen/diff/side.ts), and the
 * runtime compares bare schemas with their own `$defs` and no positions (schema-changes.ts).
 */
import { escapePointerSegment as esc } from '../schema/json-pointer.js';
import { isSchemaObject as isObject, type SchemaObject } from '../schema/json-kinds.js';
import { ANNOTATIONS, compareAnnotations, compareBounds, compareTypes, compareValues, MAX_BOUNDS, MIN_BOUNDS, type Emit } from './compare-keywords.js';
import type { RuleId } from './rules.js';
import type { SchemaChange } from './schema-change.js';
import { canonical, describe } from './schema-text.js';
import { typeRef } from './type-ref.js';

/** A schema on one side, with where it was written (`C`: the caller's cursor, passed through untouched). */
export interface SchemaAt<C> {
  schema: unknown;
  cursor: C;
  /** The named type it is part of, if any. */
  inType?: string;
}

/** One revision's named types. */
export interface SchemaSide<C> {
  /** The schema of the named type `name` (from a `#/$defs/<name>` reference) and where it was written; undefined when there is none. */
  type(name: string): { schema: unknown; cursor: C } | undefined;
}

/** What the comparison needs from its caller: both revisions' named types, and how to step into a schema from a cursor. */
export interface SchemaSides<C> {
  old: SchemaSide<C>;
  new: SchemaSide<C>;
  /** The cursor of a child of `cursor`, by keywords, property names and indexes (not escaped). */
  child(cursor: C, ...segments: (string | number)[]): C;
}

/** The state of one contract's comparison. */
interface Walk<C> {
  sides: SchemaSides<C>;
  /** Pairs of named types already compared (`Old|New`). */
  seen: Set<string>;
  out: SchemaChange<C>[];
}

/** Compares `before` (old revision) with `after` (new); `pointer` is where they sit in the contract. */
export function compareSchemas<C>(sides: SchemaSides<C>, before: SchemaAt<C>, after: SchemaAt<C>, pointer: string): SchemaChange<C>[] {
  const walk: Walk<C> = { sides, seen: new Set(), out: [] };
  compareNode(walk, before, after, pointer);
  return walk.out;
}

/** Keywords compared by their own rules; any other keyword is compared as a whole. */
const HANDLED = new Set([
  '$ref',
  'description',
  'type',
  'enum',
  'const',
  'pattern',
  'format',
  'multipleOf',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'prefixItems',
  'anyOf',
  'oneOf',
  'allOf',
  'patternProperties',
  'propertyNames',
  'dependentSchemas',
  'uniqueItems',
  ...ANNOTATIONS,
  ...MIN_BOUNDS,
  ...MAX_BOUNDS,
]);

/** A schema with `$ref`s to named types followed (siblings of the `$ref` win over the type's keywords). */
interface Resolved<C> {
  schema: SchemaObject;
  cursor: C;
  inType?: string;
  /** The named type the node referred to, if it was a reference. */
  ref?: string;
}

function resolve<C>(side: SchemaSide<C>, at: SchemaAt<C>): Resolved<C> {
  let schema: unknown = at.schema;
  let cursor = at.cursor;
  let inType = at.inType;
  let ref: string | undefined;
  // A chain of references (a type that is just a $ref) is followed to its end; one that names no type stays as written.
  for (let name = typeRef(schema), hops = 0; name !== undefined && hops < 64; name = typeRef(schema), hops++) {
    const type = side.type(name);
    if (!type) break;
    const { $ref: _ref, ...siblings } = schema as SchemaObject;
    ref ??= name;
    schema = isObject(type.schema) ? { ...type.schema, ...siblings } : type.schema;
    cursor = type.cursor;
    inType = name;
  }
  // Boolean schemas: `true` accepts anything (no keywords), `false` nothing (an impossible type).
  const object: SchemaObject = isObject(schema) ? schema : schema === false ? { not: {} } : {};
  return { schema: object, cursor, ...(inType !== undefined ? { inType } : {}), ...(ref !== undefined ? { ref } : {}) };
}

function compareNode<C>(walk: Walk<C>, beforeAt: SchemaAt<C>, afterAt: SchemaAt<C>, pointer: string): void {
  const a = resolve(walk.sides.old, beforeAt);
  const b = resolve(walk.sides.new, afterAt);
  if (a.ref !== undefined && b.ref !== undefined) {
    const pair = `${a.ref}|${b.ref}`;
    if (walk.seen.has(pair)) return;
    walk.seen.add(pair);
    if (a.ref !== b.ref) {
      // Compared on the side first, to say whether only the name changed.
      const inner: Walk<C> = { ...walk, out: [] };
      compareKeywords(inner, a, b, pointer);
      const shapeChanged = inner.out.some((c) => c.rule !== 'description-changed' && c.rule !== 'annotation-changed');
      walk.out.push(change(shapeChanged ? 'ref-retargeted' : 'ref-renamed', pointer, `now refers to ${b.ref} instead of ${a.ref}`, a.cursor, b.cursor, a, b));
      walk.out.push(...inner.out);
      return;
    }
  }
  compareKeywords(walk, a, b, pointer);
}

/** A change at `before` and `after`, in the named type of the pair `a`, `b` (the new side's first). */
function change<C>(
  rule: RuleId,
  pointer: string,
  message: string,
  before: C,
  after: C,
  a: Resolved<C>,
  b: Resolved<C>,
  extra: Pick<SchemaChange<C>, 'text'> = {},
): SchemaChange<C> {
  const inType = b.inType ?? a.inType;
  return { rule, pointer, message, before, after, ...(inType !== undefined ? { inType } : {}), ...extra };
}

function compareKeywords<C>(walk: Walk<C>, a: Resolved<C>, b: Resolved<C>, pointer: string): void {
  const x = a.schema;
  const y = b.schema;
  // A keyword's change is placed at the keyword on each side that has it, else at the schema.
  const emit: Emit = (rule, message, path = [], extra = {}) => {
    const here = (r: Resolved<C>) => (path.length > 0 && has(r.schema, path) ? walk.sides.child(r.cursor, ...path) : r.cursor);
    const at = pointer + path.map((s) => '/' + esc(String(s))).join('');
    walk.out.push(change<C>(rule, at, message, here(a), here(b), a, b, extra));
  };
  compareAnnotations(x, y, emit);
  if (!compareTypes(x, y, emit)) return;
  compareValues(x, y, emit);
  compareBounds(x, y, emit);
  for (const keyword of ['pattern', 'format'] as const) {
    const [p, q] = [x[keyword], y[keyword]];
    if (p === q) continue;
    const k = keyword === 'pattern' ? 'pattern' : 'format';
    if (p === undefined) emit(`${k}-added`, `${keyword} ${JSON.stringify(q)} added`, [keyword]);
    else if (q === undefined) emit(`${k}-removed`, `${keyword} ${JSON.stringify(p)} removed`, [keyword]);
    else emit(`${k}-changed`, `${keyword} changed from ${JSON.stringify(p)} to ${JSON.stringify(q)}`, [keyword]);
  }
  compareObjects(walk, a, b, pointer, emit);
  compareArrays(walk, a, b, pointer, emit);
  compareVariants(walk, a, b, pointer, emit);
  for (const keyword of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (HANDLED.has(keyword) || canonical(x[keyword]) === canonical(y[keyword])) continue;
    if (x[keyword] === undefined) emit('constraint-added', `${keyword} added`, [keyword]);
    else if (y[keyword] === undefined) emit('constraint-removed', `${keyword} removed`, [keyword]);
    else emit('constraint-changed', `${keyword} changed`, [keyword]);
  }
}

function compareObjects<C>(walk: Walk<C>, a: Resolved<C>, b: Resolved<C>, pointer: string, emit: Emit): void {
  const x = a.schema;
  const y = b.schema;
  const props = (s: SchemaObject) => (isObject(s['properties']) ? s['properties'] : {});
  const req = (s: SchemaObject) => new Set(Array.isArray(s['required']) ? s['required'].filter((r): r is string => typeof r === 'string') : []);
  const [px, py, rx, ry] = [props(x), props(y), req(x), req(y)];
  const names = (p: SchemaObject, r: Set<string>) => new Set([...Object.keys(p), ...r]);
  const [nx, ny] = [names(px, rx), names(py, ry)];
  const at = (name: string) => `${pointer}/properties/${esc(name)}`;
  const cx = (name: string) => (Object.hasOwn(px, name) ? walk.sides.child(a.cursor, 'properties', name) : a.cursor);
  const cy = (name: string) => (Object.hasOwn(py, name) ? walk.sides.child(b.cursor, 'properties', name) : b.cursor);
  const gone = [...nx].filter((n) => !ny.has(n));
  const fresh = [...ny].filter((n) => !nx.has(n));
  // A property that left under one name and came back under another with the same schema was renamed.
  const renamed = new Map<string, string>();
  for (const name of gone) {
    const twins = fresh.filter((f) => rx.has(name) === ry.has(f) && Object.hasOwn(px, name) && Object.hasOwn(py, f) && sameShape(px[name], py[f]));
    const rivals = gone.filter((g) => g !== name && Object.hasOwn(px, g) && twins.length === 1 && sameShape(px[g], py[twins[0]!]));
    if (twins.length === 1 && rivals.length === 0 && ![...renamed.values()].includes(twins[0]!)) renamed.set(name, twins[0]!);
  }
  for (const name of gone) {
    const to = renamed.get(name);
    if (to !== undefined) walk.out.push(change('property-renamed', at(name), `property "${name}" renamed to "${to}"`, cx(name), cy(to), a, b));
    else walk.out.push(change('property-removed', at(name), `property "${name}" removed`, cx(name), b.cursor, a, b));
  }
  const renamedTo = new Set(renamed.values());
  for (const name of fresh) {
    if (renamedTo.has(name)) continue;
    const rule = ry.has(name) ? 'property-added-required' : 'property-added-optional';
    walk.out.push(change(rule, at(name), `${ry.has(name) ? 'required' : 'optional'} property "${name}" added`, a.cursor, cy(name), a, b));
  }
  for (const name of [...nx].filter((n) => ny.has(n))) {
    if (!rx.has(name) && ry.has(name))
      walk.out.push(change('property-made-required', at(name), `property "${name}" is now required`, cx(name), cy(name), a, b));
    if (rx.has(name) && !ry.has(name))
      walk.out.push(change('property-made-optional', at(name), `property "${name}" is now optional`, cx(name), cy(name), a, b));
    if (Object.hasOwn(px, name) || Object.hasOwn(py, name)) {
      compareNode(walk, sub(walk, a, px[name] ?? true, 'properties', name), sub(walk, b, py[name] ?? true, 'properties', name), at(name));
    }
  }
  compareAdditional(walk, a, b, pointer, emit);
  for (const keyword of ['patternProperties', 'dependentSchemas'] as const) {
    const p = isObject(x[keyword]) ? x[keyword] : {};
    const q = isObject(y[keyword]) ? y[keyword] : {};
    for (const key of new Set([...Object.keys(p), ...Object.keys(q)])) {
      const where = `${pointer}/${keyword}/${esc(key)}`;
      if (!Object.hasOwn(p, key)) emit('constraint-added', `${keyword} ${JSON.stringify(key)} added`, [keyword, key]);
      else if (!Object.hasOwn(q, key)) emit('constraint-removed', `${keyword} ${JSON.stringify(key)} removed`, [keyword, key]);
      else compareNode(walk, sub(walk, a, p[key], keyword, key), sub(walk, b, q[key], keyword, key), where);
    }
  }
  if (x['propertyNames'] !== undefined && y['propertyNames'] !== undefined) {
    compareNode(walk, sub(walk, a, x['propertyNames'], 'propertyNames'), sub(walk, b, y['propertyNames'], 'propertyNames'), `${pointer}/propertyNames`);
  } else if (x['propertyNames'] !== y['propertyNames']) {
    emit(
      x['propertyNames'] === undefined ? 'constraint-added' : 'constraint-removed',
      `propertyNames ${x['propertyNames'] === undefined ? 'added' : 'removed'}`,
      ['propertyNames'],
    );
  }
}

function compareAdditional<C>(walk: Walk<C>, a: Resolved<C>, b: Resolved<C>, pointer: string, emit: Emit): void {
  const p = a.schema['additionalProperties'] ?? true;
  const q = b.schema['additionalProperties'] ?? true;
  const at = ['additionalProperties'];
  if (p === true && q === true) return;
  if (p === true)
    return emit('additional-properties-closed', q === false ? 'no longer accepts unlisted properties' : 'unlisted properties must now match a schema', at);
  if (q === true) return emit('additional-properties-opened', 'now accepts any unlisted property', at);
  if (p === false && q === false) return;
  if (p === false) return emit('additional-properties-opened', 'now accepts unlisted properties matching a schema', at);
  if (q === false) return emit('additional-properties-closed', 'no longer accepts unlisted properties', at);
  compareNode(walk, sub(walk, a, p, 'additionalProperties'), sub(walk, b, q, 'additionalProperties'), `${pointer}/additionalProperties`);
}

function compareArrays<C>(walk: Walk<C>, a: Resolved<C>, b: Resolved<C>, pointer: string, emit: Emit): void {
  const x = a.schema;
  const y = b.schema;
  if (x['items'] !== undefined || y['items'] !== undefined) {
    compareNode(walk, sub(walk, a, x['items'] ?? true, 'items'), sub(walk, b, y['items'] ?? true, 'items'), `${pointer}/items`);
  }
  const p = Array.isArray(x['prefixItems']) ? x['prefixItems'] : [];
  const q = Array.isArray(y['prefixItems']) ? y['prefixItems'] : [];
  for (let i = 0; i < Math.max(p.length, q.length); i++) {
    const where = `${pointer}/prefixItems/${i}`;
    if (i >= p.length) emit('constraint-added', `prefixItems ${i} added`, ['prefixItems', i]);
    else if (i >= q.length) emit('constraint-removed', `prefixItems ${i} removed`, ['prefixItems', i]);
    else compareNode(walk, sub(walk, a, p[i], 'prefixItems', i), sub(walk, b, q[i], 'prefixItems', i), where);
  }
  if (x['uniqueItems'] !== true && y['uniqueItems'] === true) emit('constraint-added', 'items must now be unique', ['uniqueItems']);
  if (x['uniqueItems'] === true && y['uniqueItems'] !== true) emit('constraint-removed', 'items no longer need to be unique', ['uniqueItems']);
}

/** anyOf/oneOf alternatives paired up (same text, same named type, same index), then allOf. */
function compareVariants<C>(walk: Walk<C>, a: Resolved<C>, b: Resolved<C>, pointer: string, emit: Emit): void {
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const p = Array.isArray(a.schema[keyword]) ? (a.schema[keyword] as unknown[]) : [];
    const q = Array.isArray(b.schema[keyword]) ? (b.schema[keyword] as unknown[]) : [];
    if (p.length === 0 && q.length === 0) continue;
    const pairs = pairVariants(p, q);
    for (const [i, j] of pairs) {
      if (i === undefined) emit('variant-added', `alternative ${describe(q[j!])} added`, [keyword, j!]);
      else if (j === undefined) emit('variant-removed', `alternative ${describe(p[i])} removed`, [keyword, i]);
      else compareNode(walk, sub(walk, a, p[i], keyword, i), sub(walk, b, q[j], keyword, j), `${pointer}/${keyword}/${j}`);
    }
  }
  const p = Array.isArray(a.schema['allOf']) ? (a.schema['allOf'] as unknown[]) : [];
  const q = Array.isArray(b.schema['allOf']) ? (b.schema['allOf'] as unknown[]) : [];
  if (p.length === q.length) p.forEach((s, i) => compareNode(walk, sub(walk, a, s, 'allOf', i), sub(walk, b, q[i], 'allOf', i), `${pointer}/allOf/${i}`));
  else if (p.length < q.length) emit('constraint-added', `allOf now has ${q.length} schemas (was ${p.length})`, ['allOf']);
  else emit('constraint-removed', `allOf now has ${q.length} schemas (was ${p.length})`, ['allOf']);
}

/** Index pairs of matching alternatives; an unmatched one has undefined on the other side. */
function pairVariants(p: unknown[], q: unknown[]): [number | undefined, number | undefined][] {
  const pairs: [number | undefined, number | undefined][] = [];
  const left = new Set(p.keys());
  const right = new Set(q.keys());
  const match = (same: (s: unknown, t: unknown) => boolean) => {
    for (const i of [...left]) {
      const j = [...right].find((k) => same(p[i], q[k]));
      if (j === undefined) continue;
      pairs.push([i, j]);
      left.delete(i);
      right.delete(j);
    }
  };
  match((s, t) => canonical(s) === canonical(t));
  match((s, t) => typeRef(s) !== undefined && typeRef(s) === typeRef(t));
  if (left.size === right.size) match(() => true);
  for (const i of left) pairs.push([i, undefined]);
  for (const j of right) pairs.push([undefined, j]);
  return pairs.sort((m, n) => (m[1] ?? m[0]!) - (n[1] ?? n[0]!));
}

/** True when `schema` has a value at `path` (keywords and indexes). */
function has(schema: unknown, path: (string | number)[]): boolean {
  let node: unknown = schema;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isObject(node) && Object.hasOwn(node, String(segment))) node = node[String(segment)];
    else return false;
  }
  return node !== undefined;
}

function sub<C>(walk: Walk<C>, parent: Resolved<C>, schema: unknown, ...segments: (string | number)[]): SchemaAt<C> {
  return { schema, cursor: walk.sides.child(parent.cursor, ...segments), ...(parent.inType !== undefined ? { inType: parent.inType } : {}) };
}

/** True when two schemas are equal but for their annotations. */
function sameShape(s: unknown, t: unknown): boolean {
  return canonical(s, true) === canonical(t, true);
}
