/**
 * Google's error body, put back where the shared translation looks for it. `@google/genai` keeps
 * the body of an HTTP error only as the text of its ApiError's message (`{"error": {...}}`, or
 * `got status: UNAVAILABLE. {"error": {...}}` for an error chunk in a stream) and keeps no `error`
 * field, so without this an error raised by a client the caller made, or in the middle of a
 * stream, would reach the caller with no body and without Google's own message. A client made
 * here keeps the raw body of an HTTP error anyway (shared/sdk-calls.ts); that one still wins.
 */

/** The error with Google's body as its `error` field, when it is an ApiError whose message holds one. */
export function withErrorBody(err: unknown): unknown {
  if (!(err instanceof Error) || err.name !== 'ApiError' || typeof (err as { status?: unknown }).status !== 'number') return err;
  if ((err as { error?: unknown }).error !== undefined) return err;
  const start = err.message.indexOf('{');
  if (start < 0) return err;
  try {
    const body: unknown = JSON.parse(err.message.slice(start));
    if (body !== null && typeof body === 'object') Object.defineProperty(err, 'error', { value: body, enumerable: false, configurable: true, writable: true });
  } catch {
    // Not JSON: the message stays the only account of the error.
  }
  return err;
}

/** A call whose ApiError, if it fails with one, carries Google's body. */
export async function bodyKept<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw withErrorBody(err);
  }
}

/** A stream's chunks, an ApiError raised while reading them carrying Google's body. */
export async function* chunksBodyKept<T>(chunks: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* chunks;
  } catch (err) {
    throw withErrorBody(err);
  }
}
