/** Short, stable ids made from content (a document's bytes, a failed generation). */

/**
 * `digits` hex digits (at most 8) of the FNV-1a hash of `value`: the same content gets the same id
 * in every request, so histories and snapshots stay stable. Not a cryptographic hash.
 */
export function shortHash(value: string, digits = 8): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0').slice(0, digits);
}
