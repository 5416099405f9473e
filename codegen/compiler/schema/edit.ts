/**
 * Small copy-on-write edits of schema objects.
 */
import { ANNOTATION_ONLY } from './keywords.js';
import { defineOwn, isObject, type SchemaObject } from './walk.js';

/** `node` without the keywords `drop` selects (`node` itself when it has none). */
export function withoutKeys(node: SchemaObject, drop: (keyword: string) => boolean): SchemaObject {
  if (!Object.keys(node).some(drop)) return node;
  const out: SchemaObject = {};
  for (const [k, v] of Object.entries(node)) if (!drop(k)) defineOwn(out, k, v);
  return out;
}

/**
 * Puts an inlined copy where a `$ref` was. Annotations written beside the `$ref` win; assertions
 * beside it apply too (draft 2020-12 semantics), through `allOf`.
 */
export function mergeInline(site: SchemaObject, copy: unknown): unknown {
  const keys = Object.keys(site);
  if (keys.length === 0) return copy;
  if (keys.every((k) => ANNOTATION_ONLY.has(k)) && isObject(copy)) return { ...copy, ...site };
  return { ...site, allOf: [...(Array.isArray(site['allOf']) ? site['allOf'] : []), copy] };
}
