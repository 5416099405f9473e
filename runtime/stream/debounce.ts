/**
 * Debouncing a stream: with a window of `ms`, at most one value per window reaches the reader
 * (the latest, or the values merged), and the last value always does. Without a timer: a value is
 * passed on when it arrives after the window has passed, so a stream costs nothing while idle.
 */

/** Yields from `source` at most once per `ms` (0: every value); `merge` combines skipped values. */
export function debounce<T>(source: AsyncIterable<T>, ms: number, merge?: (held: T, next: T) => T): AsyncIterable<T> {
  // No window: the source itself, without a generator in between (each one costs every value an await).
  return ms <= 0 ? source : debounced(source, ms, merge);
}

async function* debounced<T>(source: AsyncIterable<T>, ms: number, merge: ((held: T, next: T) => T) | undefined): AsyncIterable<T> {
  let last = -Infinity;
  let held: { value: T } | undefined;
  for await (const value of source) {
    held = held && merge ? { value: merge(held.value, value) } : { value };
    const at = performance.now();
    if (at - last >= ms) {
      last = at;
      const out = held.value;
      held = undefined;
      yield out;
    }
  }
  if (held) yield held.value;
}
