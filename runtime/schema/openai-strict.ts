/**
 * JSON Schemas in OpenAI's strict structured-outputs dialect.
 *
 * Strict mode makes the model's output follow the schema token by token, but accepts only a
 * subset of JSON Schema: every object closed (`additionalProperties: false`) with every property
 * required, no schema that accepts any value, no tuples, `anyOf` but not `oneOf` or `allOf`, no
 * siblings next to `$ref`, and a short list of constraint keywords. This module rewrites a bundled
 * draft 2020-12 schema into that subset, or says (with JSON pointers into the input) why it
 * cannot.
 *
 * The rewrite may widen a schema but never loses what the runtime needs: constraints OpenAI does
 * not take are moved into the node's `description` (the runtime still validates against the
 * original schema, so they stay enforced), and optional properties become required but nullable;
 * `optional-nulls.ts` removes the nulls the model then sends for them, deciding with the same
 * `acceptsNull`, so the two always agree on which properties became nullable.
 */
import { escapePointerSegment } from './json-pointer.js';
import type { JsonSchema } from '../contract/spec.js';
import { entriesOf, flattenAllOf, propertyPointer, type Entry } from './all-of.js';
import { acceptsNull, isSchemaObject, refName, refTarget, rootDefs, type Defs, type SchemaObject } from './json-kinds.js';
import { ANY_VALUE, NO_VALUE, sortedProblems, type StrictProblem, type StrictResult } from './strict-problems.js';
import { withUsedDefs } from './schema-shapes.js';
import { countProperties, MAX_ENUM_VALUES, MAX_OBJECT_DEPTH, MAX_PROPERTIES } from './strict-size.js';

// The problem types are part of this module's API (toOpenAIStrict returns them).
export type { StrictProblem, StrictResult } from './strict-problems.js';

/** The only formats strict mode takes; any other is described in words. */
const STRICT_FORMATS: ReadonlySet<string> = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);

/** Keywords strict mode takes as they are (those with sub-schemas are handled one by one). */
const KEPT: ReadonlySet<string> = new Set([
  'type',
  'enum',
  'const',
  'description',
  'title',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
]);

/** Keywords that name or locate a schema rather than constrain values: dropped without a word. */
const IDENTIFIERS: ReadonlySet<string> = new Set(['$schema', '$id', '$anchor', '$dynamicAnchor', '$vocabulary', '$defs']);

/** Keywords that shape objects: only meaningful (and only handled) on object schemas. */
const OBJECT_KEYWORDS: ReadonlySet<string> = new Set(['properties', 'required', 'additionalProperties', 'unevaluatedProperties', 'patternProperties']);

/** Keywords that shape arrays: only meaningful (and only handled) on array schemas. */
const ARRAY_KEYWORDS: ReadonlySet<string> = new Set(['items', 'prefixItems']);

/**
 * Keywords that cannot stand next to a `$ref` in words: they change the shape of the value, and a
 * model told about them in prose but held to the referenced schema could never satisfy them.
 */
const SHAPING_KEYWORDS: ReadonlySet<string> = new Set([...OBJECT_KEYWORDS, ...ARRAY_KEYWORDS, 'anyOf', 'oneOf']);

// ---------------------------------------------------------------------------------------------
// The transform

/** What one transform reads from the root and collects across the whole schema. */
interface Context {
  readonly defs: Defs | undefined;
  readonly problems: StrictProblem[];
  /** The root is a tool's arguments: declaring no properties there means "no arguments". */
  readonly rootIsArguments: boolean;
}

/** Constraints strict mode does not take, moved into the description (in parentheses after it). */
function describe(description: unknown, moved: readonly (readonly [string, unknown])[]): unknown {
  if (moved.length === 0) return description;
  // As the reference does: `<description> (<key>: <value>, ...)`, or the list alone.
  const notes = moved.map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(', ');
  if (typeof description !== 'string' || description === '') return notes;
  // A description ending in a full stop keeps it last: `The page (format: "uri").`
  return description.endsWith('.') ? `${description.slice(0, -1)} (${notes}).` : `${description} (${notes})`;
}

/** Output entries with the (possibly extended) description set in place, or appended. */
function withDescription(out: [string, unknown][], moved: readonly (readonly [string, unknown])[]): SchemaObject {
  if (moved.length > 0) {
    const at = out.findIndex(([key]) => key === 'description');
    if (at >= 0) out[at] = ['description', describe(out[at]![1], moved)];
    else out.push(['description', describe(undefined, moved)]);
  }
  return Object.fromEntries(out);
}

function transformSchema(schema: unknown, pointer: string, depth: number, ctx: Context): JsonSchema {
  if (schema === true) return fail(ctx, pointer, ANY_VALUE, schema);
  if (schema === false) return fail(ctx, pointer, NO_VALUE, schema);
  if (!isSchemaObject(schema)) return fail(ctx, pointer, 'not a schema', {});
  const entries = flattenAllOf(entriesOf(schema, pointer), ctx.problems);
  return entries.some((e) => e.key === '$ref') ? transformRef(entries, ctx) : transformNode(entries, pointer, depth, ctx, undefined);
}

function fail<T extends JsonSchema>(ctx: Context, pointer: string, message: string, result: T): T {
  ctx.problems.push({ pointer, message });
  return result;
}

/**
 * A reference, which strict mode takes only on its own: `description` and `title` go on an
 * `anyOf` wrapper, other constraints into words, keywords that shape the value are problems.
 */
function transformRef(entries: readonly Entry[], ctx: Context): JsonSchema {
  const ref = entries.find((e) => e.key === '$ref')!;
  checkRef(ref, ctx);
  const { annotations, moved } = refSiblings(entries, ctx);
  if (annotations.length === 0 && moved.length === 0) return { $ref: ref.value };
  return withDescription([['anyOf', [{ $ref: ref.value }]], ...annotations], moved);
}

function checkRef(ref: Entry, ctx: Context): void {
  if (refName(ref.value) === undefined) ctx.problems.push({ pointer: ref.pointer, message: 'only references to root $defs (#/$defs/Name) can be strict' });
  else if (refTarget(ref.value, ctx.defs) === undefined)
    ctx.problems.push({ pointer: ref.pointer, message: `unresolved reference ${JSON.stringify(ref.value)}` });
}

/** The keywords beside a `$ref`: annotations kept, constraints moved into words, the rest reported. */
function refSiblings(entries: readonly Entry[], ctx: Context): { annotations: [string, unknown][]; moved: [string, unknown][] } {
  const annotations: [string, unknown][] = [];
  const moved: [string, unknown][] = [];
  for (const e of entries) {
    if (e.key === '$ref' || e.key === 'allOf' || IDENTIFIERS.has(e.key)) continue; // allOf left here was reported
    if (e.key === 'description' || e.key === 'title') annotations.push([e.key, e.value]);
    else if (SHAPING_KEYWORDS.has(e.key)) ctx.problems.push({ pointer: e.pointer, message: `${e.key} next to $ref cannot be strict` });
    else moved.push([e.key, e.value]);
  }
  return { annotations, moved };
}

/** The JSON types a node declares, or undefined when it has no (well-formed) `type`. */
function declaredTypes(entries: readonly Entry[]): readonly string[] | undefined {
  const type = entries.find((e) => e.key === 'type')?.value;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) && type.every((t) => typeof t === 'string') ? (type as string[]) : undefined;
}

/**
 * The type to add to a node without one whose keywords can only mean objects (`properties`...) or
 * only arrays (`items`): strict mode wants a type, and saying it only narrows what the model sends.
 */
function inferredType(entries: readonly Entry[]): 'object' | 'array' | undefined {
  const object = entries.some((e) => OBJECT_KEYWORDS.has(e.key));
  const array = entries.some((e) => ARRAY_KEYWORDS.has(e.key));
  return object === array ? undefined : object ? 'object' : 'array';
}

/** True when something in the node restricts values to fewer than all (else it is `{}` in effect). */
function restricts(entries: readonly Entry[]): boolean {
  return entries.some((e) => ['type', 'enum', 'const', 'anyOf', 'oneOf', 'allOf'].includes(e.key));
}

/**
 * A node without `$ref`. `defs` is given for the root only, whose `$defs` stay in place (already
 * transformed); anywhere else `$defs` cannot be referenced in a bundled schema and is dropped.
 */
function transformNode(entries: readonly Entry[], pointer: string, depth: number, ctx: Context, defs: SchemaObject | undefined): JsonSchema {
  const types = declaredTypes(entries);
  const inferred = types === undefined ? inferredType(entries) : undefined;
  if (!inferred && !restricts(entries)) return fail(ctx, pointer, ANY_VALUE, {});
  const isObject = inferred === 'object' || (types?.includes('object') ?? false);
  const isArray = inferred === 'array' || (types?.includes('array') ?? false);
  const level = isObject ? depth + 1 : depth;
  if (isObject && depth === MAX_OBJECT_DEPTH) {
    ctx.problems.push({ pointer, message: `objects nested deeper than ${MAX_OBJECT_DEPTH} levels cannot be strict` });
  }

  const out: [string, unknown][] = inferred ? [['type', inferred]] : [];
  const moved: [string, unknown][] = [];
  const object = isObject ? closeObject(entries, pointer, level, ctx) : undefined;
  let arrayDone = false;
  for (const e of entries) {
    if (object && OBJECT_KEYWORDS.has(e.key)) {
      const value = object.get(e.key);
      if (value !== undefined) out.push([e.key, value]);
      object.delete(e.key);
    } else if (isArray && ARRAY_KEYWORDS.has(e.key)) {
      // items and prefixItems are read together, at whichever comes first
      if (!arrayDone) out.push(...strictItems(entries, pointer, level, ctx));
      arrayDone = true;
    } else if (e.key === '$defs') {
      if (defs) out.push(['$defs', defs]);
    } else if (e.key === 'anyOf' || e.key === 'oneOf') {
      out.push(['anyOf', transformMembers(e, entries, level, ctx)]);
    } else if (e.key === 'allOf' || IDENTIFIERS.has(e.key)) {
      // an allOf still here was reported by flattenAllOf
    } else if (e.key === 'enum') {
      if (Array.isArray(e.value) && e.value.length > MAX_ENUM_VALUES)
        ctx.problems.push({ pointer: e.pointer, message: `an enum with more than ${MAX_ENUM_VALUES} values cannot be strict` });
      out.push([e.key, e.value]);
    } else if (KEPT.has(e.key) || (e.key === 'format' && typeof e.value === 'string' && STRICT_FORMATS.has(e.value))) {
      out.push([e.key, e.value]);
    } else {
      moved.push([e.key, e.value]);
    }
  }
  if (object) out.push(...object);
  if (isArray && !arrayDone) strictItems(entries, pointer, level, ctx); // reports the missing items

  return withDescription(out, moved);
}

function transformMembers(e: Entry, entries: readonly Entry[], depth: number, ctx: Context): JsonSchema[] {
  if (e.key === 'oneOf' && entries.some((other) => other.key === 'anyOf')) {
    ctx.problems.push({ pointer: e.pointer, message: 'anyOf and oneOf together cannot be strict' });
  }
  if (!Array.isArray(e.value)) {
    ctx.problems.push({ pointer: e.pointer, message: `${e.key} must be an array of schemas` });
    return [];
  }
  return e.value.map((member: unknown, i) => transformSchema(member, `${e.pointer}/${i}`, depth, ctx));
}

/**
 * `properties`, `required` and `additionalProperties` of an object made strict, in that order:
 * all properties required, those that were optional made nullable, the object closed.
 */
function closeObject(entries: readonly Entry[], pointer: string, level: number, ctx: Context): Map<string, unknown> {
  const find = (key: string) => entries.find((e) => e.key === key);
  const properties = find('properties');
  const required = find('required');
  const requiredNames = new Set(Array.isArray(required?.value) ? (required.value as unknown[]) : []);
  const out: [string, JsonSchema][] = [];
  const declared = properties?.value;
  if (properties && !isSchemaObject(declared)) ctx.problems.push({ pointer: properties.pointer, message: 'properties must be an object' });
  else if (properties && isSchemaObject(declared)) {
    for (const [name, schema] of Object.entries(declared)) {
      const strict = transformSchema(schema, propertyPointer(properties, name), level, ctx);
      out.push([name, requiredNames.has(name) || acceptsNull(schema as JsonSchema, ctx.defs) ? strict : nullable(strict)]);
    }
  }
  const names = new Set(out.map(([name]) => name));
  const undeclared = [...requiredNames].filter((name) => typeof name !== 'string' || !names.has(name));
  if (required && undeclared.length > 0) {
    ctx.problems.push({
      pointer: required.pointer,
      message: `required ${undeclared.map((n) => JSON.stringify(n)).join(', ')} without a schema in properties cannot be strict`,
    });
  }
  checkClosed(find('additionalProperties'), find('unevaluatedProperties'), find('patternProperties'), ctx);
  // An object that declares no properties (and does not close itself) takes any properties:
  // closed, it could only ever be {}. Only a tool's arguments read "none declared" as "none".
  const closed = find('additionalProperties')?.value === false || find('unevaluatedProperties')?.value === false;
  if (!properties && !closed && !find('additionalProperties') && !find('patternProperties') && !(level === 1 && ctx.rootIsArguments)) {
    ctx.problems.push({ pointer, message: 'a free-form object (no properties) cannot be strict' });
  }
  return new Map<string, unknown>([
    ['properties', Object.fromEntries(out)],
    ['required', out.map(([name]) => name)],
    ['additionalProperties', false],
  ]);
}

function checkClosed(additional: Entry | undefined, unevaluated: Entry | undefined, patterns: Entry | undefined, ctx: Context): void {
  if (additional && additional.value !== false)
    ctx.problems.push({ pointer: additional.pointer, message: 'an open object (additionalProperties) cannot be strict' });
  if (unevaluated && unevaluated.value !== false)
    ctx.problems.push({ pointer: unevaluated.pointer, message: 'an open object (unevaluatedProperties) cannot be strict' });
  if (patterns) ctx.problems.push({ pointer: patterns.pointer, message: 'patternProperties cannot be strict' });
}

/**
 * A schema that also accepts null: `anyOf` with `{"type": "null"}`, the annotations on the wrapper
 * (where the model reads them). An `anyOf` alone gains a member rather than a level.
 */
function nullable(schema: JsonSchema): JsonSchema {
  if (!isSchemaObject(schema)) return schema; // already reported
  const annotations = Object.entries(schema).filter(([key]) => key === 'description' || key === 'title');
  const rest = Object.fromEntries(Object.entries(schema).filter(([key]) => key !== 'description' && key !== 'title'));
  const keys = Object.keys(rest);
  const anyOf = rest['anyOf'];
  const members = keys.length === 1 && Array.isArray(anyOf) ? [...(anyOf as unknown[]), { type: 'null' }] : [rest, { type: 'null' }];
  return Object.fromEntries([['anyOf', members], ...annotations]);
}

/** `items` of an array made strict, as output entries (none when there is a problem: tuples, no items). */
function strictItems(entries: readonly Entry[], pointer: string, depth: number, ctx: Context): [string, unknown][] {
  const prefixItems = entries.find((e) => e.key === 'prefixItems');
  const items = entries.find((e) => e.key === 'items');
  if (prefixItems) ctx.problems.push({ pointer: prefixItems.pointer, message: 'tuples (prefixItems) cannot be strict' });
  else if (!items) ctx.problems.push({ pointer, message: `${ANY_VALUE} (an array without items)` });
  else if (Array.isArray(items.value)) ctx.problems.push({ pointer: items.pointer, message: 'tuples (items as an array) cannot be strict' });
  else return [['items', transformSchema(items.value, items.pointer, depth, ctx)]];
  return [];
}

/** The root `$defs`, each entry transformed once (references between them stay references). */
function transformDefs(schema: SchemaObject, ctx: Context): SchemaObject | undefined {
  if (!('$defs' in schema)) return undefined;
  const defs = schema['$defs'];
  if (!isSchemaObject(defs)) return fail(ctx, '/$defs', '$defs must be an object', {});
  return Object.fromEntries(Object.entries(defs).map(([name, def]) => [name, transformSchema(def, `/$defs/${escapePointerSegment(name)}`, 0, ctx)]));
}

/**
 * A root `{"$ref": "#/$defs/X", "$defs": ...}` as the transformed X itself (providers want an
 * object at the root, not a reference), with the root's own annotations winning and the `$defs` it
 * still uses kept.
 */
function strictRootRef(entries: readonly Entry[], defs: SchemaObject | undefined, ctx: Context): JsonSchema {
  const ref = entries.find((e) => e.key === '$ref')!;
  checkRef(ref, ctx);
  const target = refTarget(ref.value, defs as Defs | undefined);
  const { annotations, moved } = refSiblings(entries, ctx);
  if (!isSchemaObject(target)) return withDescription([['$ref', ref.value], ...annotations, ...(defs ? [['$defs', defs] as [string, unknown]] : [])], moved);
  const own = new Set(annotations.map(([key]) => key));
  const out: [string, unknown][] = [];
  for (const e of entries) {
    if (e.key === '$ref') out.push(...Object.entries(target).filter(([key]) => !own.has(key)));
    else if (own.has(e.key)) out.push([e.key, e.value]);
  }
  // The inlined type stays in `$defs` only if something still refers to it (a recursive type).
  return withUsedDefs(withDescription(out, moved), defs as Record<string, unknown> | undefined);
}

/** The schema in OpenAI's strict structured-outputs dialect, or why it cannot take that form. */
export function toOpenAIStrict(schema: JsonSchema, options?: { requireObjectRoot?: boolean /* default true */ }): StrictResult {
  const ctx: Context = { defs: rootDefs(schema), problems: [], rootIsArguments: options?.requireObjectRoot ?? true };
  let strict: JsonSchema;
  if (!isSchemaObject(schema)) {
    strict = transformSchema(schema, '', 0, ctx);
  } else {
    const defs = transformDefs(schema, ctx);
    const entries = flattenAllOf(entriesOf(schema, ''), ctx.problems);
    strict = entries.some((e) => e.key === '$ref') ? strictRootRef(entries, defs, ctx) : transformNode(entries, '', 0, ctx, defs);
  }
  if ((options?.requireObjectRoot ?? true) && !(isSchemaObject(strict) && strict['type'] === 'object')) {
    ctx.problems.push({ pointer: '', message: 'the root must be an object schema (type: "object")' });
  }
  const propertyCount = countProperties(strict);
  if (propertyCount > MAX_PROPERTIES) {
    ctx.problems.push({ pointer: '', message: `${propertyCount} properties in total; strict mode allows at most ${MAX_PROPERTIES}` });
  }
  return ctx.problems.length > 0 ? { ok: false, problems: sortedProblems(ctx.problems) } : { ok: true, schema: strict };
}
