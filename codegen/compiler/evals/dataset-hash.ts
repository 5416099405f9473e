/**
 * The hash of an eval dataset file's text that its generated module records (`sourceHash`), so
 * that `schemantic eval` can tell a generated dataset from a stale one: it reads the file again,
 * hashes it with this function, and compares. Kept apart (it loads nothing but `node:crypto`) so
 * that the eval command can import it without the generator's parser or emitters.
 */
import { contentHash } from '../content-hash.js';

/**
 * The `sourceHash` of a dataset file: 24 hex digits of the SHA-256 of its text as read (UTF-8,
 * byte order mark included), the same hash the manifest records for the file.
 */
export function datasetSourceHash(text: string): string {
  return contentHash(text);
}
