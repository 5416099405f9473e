/**
 * Content hashes: what the generator's fingerprints, manifest and cache compare. SHA-256, cut to
 * 96 bits and written as 24 hex digits: short enough to keep the manifest reviewable, long enough
 * that two different contents never meet by chance.
 */
import { createHash } from 'node:crypto';

/** The hash of a text (as UTF-8) or of bytes. */
export function contentHash(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 24);
}
