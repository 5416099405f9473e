/**
 * References between named types.
 */
import { forEachSubschema } from '../schema/walk.js';

/** The prefix of every canonical reference. */
export const DEFS_PREFIX = '#/$defs/';

/** Named types a canonical schema references directly, sorted. */
export function directRefs(schema: unknown): string[] {
  const refs = new Set<string>();
  forEachSubschema(schema, '', (node) => {
    const ref = node['$ref'];
    if (typeof ref === 'string' && ref.startsWith(DEFS_PREFIX)) refs.add(ref.slice(DEFS_PREFIX.length));
  });
  return [...refs].sort();
}
