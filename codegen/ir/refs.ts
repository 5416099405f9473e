/**
 * References between named types.
 */
import { forEachSubschema } from '../schema/walk.js';

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
    const ref = node['$ref'];
    if (typeof ref === 'string' && ref.startsWith(DEFS_PREFIX)) refs.add(ref.slice(DEFS_PREFIX.length));
  });
  return [...refs].sort();
}
