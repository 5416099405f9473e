/**
 * Message histories in assertions: timestamps (which change every run) masked.
 */

/** A deep copy with every `timestamp` string replaced by `<timestamp>`. */
export function masked(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v) => (key === 'timestamp' && typeof v === 'string' ? '<timestamp>' : v));
}
