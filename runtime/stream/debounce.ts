/**
 * Debouncing a stream: with a window of `ms`, at most one value per window reaches the reader
 * (the latest, or the values merged), and the last value always does. Without a timer: a value is
 * passed on when it arrives after the window has passed, so a stream costs nothing while idle.
 */

/** Yields from `source` at most once per `ms` (0: every value); `merge` combines skipped values. */
export async function* debounce<T>(source: AsyncIterable<T>, ms: number, merge?: (held: T, next: T) => T): AsyncIterable<T> {
  if (ms <= 0) {
    yield* source;
    return;
  }
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
