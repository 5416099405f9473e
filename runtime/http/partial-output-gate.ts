/**
 * How often a partial output goes over the wire. Each `partial-output` event carries the whole
 * output so far, so sending every one would cost a long output its size times its number of
 * deltas; a page redraws a few times a second at most anyway. The final output always follows
 * (`run-result`, or `data-output` in the UI message stream), so a skipped partial loses nothing.
 */

/** The default least time between two partial outputs sent (milliseconds). */
export const DEFAULT_PARTIAL_OUTPUT_MS = 100;

/**
 * A gate that opens at most once per `ms` milliseconds (the first call always opens it; 0 opens
 * it every time; `false` never).
 */
export function partialOutputGate(ms: number | false = DEFAULT_PARTIAL_OUTPUT_MS): () => boolean {
  if (ms === false) return () => false;
  let last = -Infinity;
  return () => {
    if (ms <= 0) return true;
    const now = Date.now();
    if (now - last < ms) return false;
    last = now;
    return true;
  };
}
