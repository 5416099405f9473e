/**
 * References between named types.
 */
import { forEachSubschema, isObject } from '../schema/walk.js';

/** The prefix of every canonical reference. */
export const DEFS_PREFIX = '#/$defs/';

/**
 * Memo of {@link directRefs} by schema object. Schemas are never mutated after resolution, and
 * watch mode hands the same objects to every run, so each schema is walked once.
 */
const memo = new WeakMap<object, readonly string[]>();

/** Named types a canonical schema references directly, sorted. */
export function directRefs(schema: unknown): readonly string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  let refs = memo.get(schema);
  if (!refs) memo.set(schema, (refs = walkRefs(schema)));
  return refs;
}

function walkRefs(schema: object): string[] {
  const refs = new Set<string>();
  forEachSubschema(schema, '', (node) => {
    const name = refName(node);
    if (name !== undefined) refs.add(name);
  });
  return [...refs].sort();
}

/** The named type a schema is a reference to (`{"$ref": "#/$defs/Name"}`), if it is one. */
export function refName(node: unknown): string | undefined {
  if (!isObject(node)) return undefined;
  const ref = node['$ref'];
  return typeof ref === 'string' && ref.startsWith(DEFS_PREFIX) ? ref.slice(DEFS_PREFIX.length) : undefined;
}

/** The schema of the named type `node` refers to, when `node` is a reference. */
export function refTarget(node: unknown, types: ReadonlyMap<string, { schema: { schema: unknown } }>): unknown {
  const name = refName(node);
  return name === undefined ? undefined : types.get(name)?.schema.schema;
}

/** True when `node` is `type: object`, or a `$ref` chain that ends in one. */
export function acceptsOnlyObjects(node: unknown, types: ReadonlyMap<string, { schema: { schema: unknown } }>): boolean {
  for (let hops = 0; hops < 100 && isObject(node); hops++) {
    if (node['type'] === 'object') return true;
    node = refTarget(node, types);
  }
  return false;
}
