/**
 * Bundling for the exporters: a root schema plus the named types it reaches, under `$defs`. Like
 * `ir/bundle.ts`, but for roots the exporters build themselves (a union of output members, a named
 * type inlined at the root), whose closure is not in the IR.
 */
import { directRefs } from '../ir/refs.js';
import type { IRType } from '../ir/types.js';
import { defineOwn, isObject, type SchemaObject } from '../schema/walk.js';

/** The named types `root` reaches, directly or through other named types, sorted. */
export function closureOf(root: unknown, types: ReadonlyMap<string, IRType>): string[] {
  const out = new Set<string>();
  for (const name of directRefs(root)) {
    out.add(name);
    // A type's closure is already transitive (build IR computes it), so one level is enough.
    for (const reached of types.get(name)?.schema.closure ?? []) out.add(reached);
  }
  return [...out].sort();
}

/** `root` as an object: `true` is `{}`, `false` is `{"not": {}}` (a document needs members). */
export function schemaObject(root: unknown): SchemaObject {
  if (isObject(root)) return root;
  return root === false ? { not: {} } : {};
}

/** `root` with `$defs` holding `names` (in that order), or `root` alone when there are none. */
export function withDefs(root: SchemaObject, names: readonly string[], types: ReadonlyMap<string, IRType>): SchemaObject {
  if (names.length === 0) return root;
  const defs: SchemaObject = {};
  for (const name of names) {
    const type = types.get(name);
    if (type) defineOwn(defs, name, type.schema.schema);
  }
  return { ...root, $defs: defs };
}
