/**
 * Bundling for the exporters: a root schema plus the named types it reaches, under `$defs`. Like
 * `ir/bundle.ts`, but for roots the exporters build themselves (a union of output members, a named
 * type inlined at the root), whose closure is not in the IR; they pass the closure to `withDefs`
 * (ir/bundle.ts).
 */
import { directRefs } from '../../compiler/ir/refs.js';
import type { IRType } from '../../compiler/ir/types.js';

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
