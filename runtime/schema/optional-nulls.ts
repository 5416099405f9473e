/**
 * Undoing, in the model's answers, the one change strict mode makes to their shape.
 *
 * OpenAI's strict mode wants every property required, so `openai-strict.ts` turns each optional
 * property into a required nullable one, and the model sends `null` where it means "absent". The
 * original schema (which the runtime validates against) usually rejects that null; this module
 * removes it first. It decides which properties those are with the same `acceptsNull` and the same
 * `allOf` merge as the transform, so the two agree property by property.
 *
 * Which schemas apply to a value is found without reading the value (the schema, its `$ref`
 * target, `allOf` members, the `anyOf`/`oneOf` members that can be of the value's type), except in
 * one place: among several object members of a union, the ones whose `const`/`enum` properties
 * contradict the value are set aside, so a discriminated union (`kind: "circle" | "square"`) is read
 * through the member the value is. A null is dropped only when no applicable schema requires the
 * property and none that declares it accepts null: dropping it then cannot make a valid value
 * invalid through `required`.
 *
 * It runs on every tool call and output, so what depends only on the schema is computed once per
 * schema object and cached, and a schema under which no null can be dropped is not walked at all.
 */
import { defineOwn } from './own.js';
import type { JsonSchema } from '../contract/spec.js';
import { mergeSingleAllOf } from './all-of.js';
import { acceptsJsonType, acceptsNull, isSchemaObject, refTarget, rootDefs, type Defs, type JsonKind, type SchemaObject } from './json-kinds.js';

/** The schema objects that apply to a value of one JSON type, found without reading the value. */
interface Shape {
  /** Apply together: the schema (single-member allOf merged), its `$ref` target, allOf members. */
  readonly nodes: readonly SchemaObject[];
  /** Each an anyOf/oneOf with several members that can be of the type: some of them apply. */
  readonly unions: readonly (readonly Member[])[];
}

/** A union member, with the values its `const`/`enum` properties allow, to tell members apart. */
interface Member {
  readonly shape: Shape;
  readonly tags: ReadonlyMap<string, readonly unknown[]>;
}

/** What to do with the properties of an object value, for one set of applicable schemas. */
type ObjectPlan = ReadonlyMap<string, PropertyPlan>;

interface PropertyPlan {
  /** The schema the property's value is walked with (an anyOf when several schemas declare it). */
  readonly schema: JsonSchema;
  /** A null here is removed: no applicable schema requires the property, none declaring it takes null. */
  readonly dropNull: boolean;
}

/** Everything decided for one schema object. */
interface Plan {
  readonly objectShape: Shape;
  /** Every node of the object shape, numbered, to key object plans by the set that applies. */
  readonly nodeIndex: ReadonlyMap<SchemaObject, number>;
  /** The object plan when no union is involved (the same for every value). */
  readonly fixed: ObjectPlan | undefined;
  /** Object plans by applicable node set, when a union is involved. */
  readonly byNodes: Map<string, ObjectPlan>;
  /** The schema each array element is walked with. */
  readonly items: JsonSchema | undefined;
  /** Whether some value under this schema can hold a null to drop; computed on first use. */
  mayDrop?: boolean;
}

/** Plans per schema object, per root `$defs` (a plan depends on what references resolve to). */
type PlanCache = WeakMap<object, Plan>;

const EMPTY_PLAN: Plan = {
  objectShape: { nodes: [], unions: [] },
  nodeIndex: new Map(),
  fixed: new Map(),
  byNodes: new Map(),
  items: undefined,
  mayDrop: false,
};
const NO_DEFS = {};
const caches = new WeakMap<object, PlanCache>();

/** One walk's view of the schema: its `$defs` and the plans made under them. */
interface Context {
  readonly defs: Defs | undefined;
  readonly plans: PlanCache;
}

/**
 * A copy of `value` without the nulls a strict-mode model sends for optional properties: a property
 * that is not required by `schema` and whose schema does not accept null is removed when its value
 * is null. Recurses through properties, items, $ref (root $defs), allOf and, for anyOf/oneOf, the
 * members that can be of the value's type (for objects, those its `const`/`enum` properties do not
 * rule out). `schema` is the original (non-strict) bundled schema. Returns `value` itself (same
 * reference) when nothing changes; never mutates it.
 */
export function dropOptionalNulls(value: unknown, schema: JsonSchema): unknown {
  if (value === null || typeof value !== 'object') return value;
  const defs = rootDefs(schema);
  let plans = caches.get(defs ?? NO_DEFS);
  if (!plans) caches.set(defs ?? NO_DEFS, (plans = new WeakMap()));
  return walk(value, schema, { defs, plans });
}

// ---------------------------------------------------------------------------------------------
// Walking the value (copy on write)

function walk(value: unknown, schema: JsonSchema, ctx: Context): unknown {
  if (value === null || typeof value !== 'object') return value;
  const plan = planFor(schema, ctx);
  plan.mayDrop ??= computeMayDrop(schema, ctx);
  if (!plan.mayDrop) return value;
  if (Array.isArray(value)) return plan.items === undefined ? value : walkArray(value, plan.items, ctx);
  const record = value as Readonly<Record<string, unknown>>;
  return walkObject(record, plan.fixed ?? objectPlanFor(plan, record, ctx.defs), ctx);
}

function walkArray(value: readonly unknown[], items: JsonSchema, ctx: Context): unknown {
  let out: unknown[] | undefined;
  value.forEach((element, i) => {
    const walked = walk(element, items, ctx);
    if (walked !== element) (out ??= value.slice())[i] = walked;
  });
  return out ?? value;
}

function walkObject(value: Readonly<Record<string, unknown>>, plan: ObjectPlan, ctx: Context): unknown {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const property = plan.get(key);
    if (!property) continue;
    const current = value[key];
    if (current === null) {
      if (property.dropNull) delete (out ??= { ...value })[key];
      continue;
    }
    const walked = walk(current, property.schema, ctx);
    // defineOwn, not assignment: a property named __proto__ must stay a property.
    if (walked !== current) defineOwn((out ??= { ...value }), key, walked);
  }
  return out ?? value;
}

// ---------------------------------------------------------------------------------------------
// Plans

function planFor(schema: JsonSchema, ctx: Context): Plan {
  if (!isSchemaObject(schema)) return EMPTY_PLAN;
  let plan = ctx.plans.get(schema);
  if (!plan) ctx.plans.set(schema, (plan = buildPlan(schema, ctx.defs)));
  return plan;
}

function buildPlan(schema: SchemaObject, defs: Defs | undefined): Plan {
  const objectShape = shapeOf(schema, defs, 'object', new Set());
  const nodeIndex = new Map<SchemaObject, number>();
  for (const node of allNodes(objectShape)) if (!nodeIndex.has(node)) nodeIndex.set(node, nodeIndex.size);
  const fixed = objectShape.unions.length === 0 ? objectPlan(objectShape.nodes, defs) : undefined;
  const items = unionOf(
    allNodes(shapeOf(schema, defs, 'array', new Set())).flatMap((node) =>
      isSchemaObject(node['items']) || typeof node['items'] === 'boolean' ? [node['items'] as JsonSchema] : [],
    ),
  );
  return { objectShape, nodeIndex, fixed, byNodes: new Map(), items };
}

/**
 * The shape of `schema` for values of the JSON type `kind`. `path` holds the schemas being
 * visited, so a reference cycle ends while a schema reached twice by different routes (a base type
 * two union members share) appears in both.
 */
function shapeOf(schema: unknown, defs: Defs | undefined, kind: JsonKind, path: Set<object>): Shape {
  const nodes: SchemaObject[] = [];
  const unions: Member[][] = [];
  const visit = (node: unknown): void => {
    if (!isSchemaObject(node) || path.has(node)) return;
    path.add(node);
    const merged = mergeSingleAllOf(node) as SchemaObject;
    nodes.push(merged);
    if ('$ref' in merged) visit(refTarget(merged['$ref'], defs));
    const allOf = merged['allOf'];
    if (Array.isArray(allOf)) allOf.forEach(visit);
    for (const key of ['anyOf', 'oneOf']) {
      const members = merged[key];
      const candidates = Array.isArray(members) ? members.filter((m: JsonSchema) => acceptsJsonType(m, defs, kind)) : [];
      if (candidates.length === 1) visit(candidates[0]);
      else if (candidates.length > 1) unions.push(candidates.map((m) => member(shapeOf(m, defs, kind, path))));
    }
    path.delete(node);
  };
  visit(schema);
  return { nodes, unions };
}

function member(shape: Shape): Member {
  const tags = new Map<string, readonly unknown[]>();
  for (const node of shape.nodes) {
    const properties = node['properties'];
    if (!isSchemaObject(properties)) continue;
    for (const [name, property] of Object.entries(properties)) {
      if (!isSchemaObject(property) || tags.has(name)) continue;
      if ('const' in property) tags.set(name, [property['const']]);
      else if (Array.isArray(property['enum'])) tags.set(name, property['enum']);
    }
  }
  return { shape, tags };
}

function allNodes(shape: Shape): SchemaObject[] {
  return [...shape.nodes, ...shape.unions.flatMap((union) => union.flatMap((m) => allNodes(m.shape)))];
}

/** One schema for several: itself when there is one, their anyOf when more. */
function unionOf(schemas: readonly JsonSchema[]): JsonSchema | undefined {
  const distinct = [...new Set(schemas)];
  return distinct.length <= 1 ? distinct[0] : { anyOf: distinct };
}

/** The object plan for the schemas that apply together. */
function objectPlan(nodes: readonly SchemaObject[], defs: Defs | undefined): ObjectPlan {
  const required = new Set<unknown>();
  const declared = new Map<string, { schemas: JsonSchema[]; acceptsNull: boolean }>();
  for (const node of nodes) {
    const names = node['required'];
    if (Array.isArray(names)) for (const name of names) required.add(name);
    const properties = node['properties'];
    if (!isSchemaObject(properties)) continue;
    for (const [name, schema] of Object.entries(properties)) {
      const entry = declared.get(name) ?? { schemas: [], acceptsNull: false };
      entry.schemas.push(schema as JsonSchema);
      entry.acceptsNull ||= acceptsNull(schema as JsonSchema, defs);
      declared.set(name, entry);
    }
  }
  return new Map(
    [...declared].map(([name, { schemas, acceptsNull: nullOk }]) => [name, { schema: unionOf(schemas)!, dropNull: !required.has(name) && !nullOk }]),
  );
}

/** The object plan for a value whose schema involves a union: the members it can be, cached by set. */
function objectPlanFor(plan: Plan, value: Readonly<Record<string, unknown>>, defs: Defs | undefined): ObjectPlan {
  const nodes = applicableNodes(plan.objectShape, value);
  const key = [...new Set(nodes.map((n) => plan.nodeIndex.get(n)!))].sort((a, b) => a - b).join(',');
  let hit = plan.byNodes.get(key);
  if (!hit) plan.byNodes.set(key, (hit = objectPlan(nodes, defs)));
  return hit;
}

function applicableNodes(shape: Shape, value: Readonly<Record<string, unknown>>): SchemaObject[] {
  const nodes = [...shape.nodes];
  for (const union of shape.unions) {
    const matching = union.filter((m) => fits(m, value));
    for (const m of matching.length > 0 ? matching : union) nodes.push(...applicableNodes(m.shape, value));
  }
  return nodes;
}

/** False when a `const`/`enum` property of the member rules the value out. */
function fits(m: Member, value: Readonly<Record<string, unknown>>): boolean {
  for (const [name, allowed] of m.tags) {
    if (!Object.hasOwn(value, name)) continue;
    const v = value[name];
    if ((typeof v !== 'object' || v === null) && !allowed.includes(v)) return false;
  }
  return true;
}

/**
 * Whether any schema reachable from this one (through properties and items, every union member
 * included) declares a property optional and not nullable. An over-approximation, computed over the
 * whole reachable set, so cycles need no care.
 */
function computeMayDrop(schema: JsonSchema, ctx: Context): boolean {
  const seen = new Set<JsonSchema>();
  const queue: JsonSchema[] = [schema];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    const plan = planFor(next, ctx);
    if (plan.mayDrop !== undefined) {
      if (plan.mayDrop) return true;
      continue; // decided over its own reach already
    }
    for (const node of plan.nodeIndex.keys()) {
      const required = node['required'];
      const properties = node['properties'];
      if (!isSchemaObject(properties)) continue;
      for (const [name, property] of Object.entries(properties)) {
        if (!(Array.isArray(required) && required.includes(name)) && !acceptsNull(property as JsonSchema, ctx.defs)) return true;
        queue.push(property as JsonSchema);
      }
    }
    if (plan.items !== undefined) queue.push(plan.items);
  }
  return false;
}
