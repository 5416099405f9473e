/**
 * The W3C trace context of an incoming request (`traceparent`, `tracestate`), for a traced run
 * served over HTTP to continue the caller's trace: pass it as the run's `traceContext`. Reads web
 * `Headers` (fetch-style servers, a `Request`'s `headers`) and Node's `IncomingHttpHeaders` alike.
 */

/** Headers as either platform gives them. */
export type HeadersLike = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The trace context headers of a request (an empty object when it carries none). */
export function traceContext(headers: HeadersLike): Record<string, string> {
  const out: Record<string, string> = {};
  const web = typeof (headers as Headers).get === 'function';
  const plain = headers as Readonly<Record<string, unknown>>;
  for (const name of ['traceparent', 'tracestate']) {
    // Headers objects ignore case; a plain object (Node's are lower-case, others may not be) is searched.
    const key = web ? undefined : Object.keys(plain).find((k) => k.toLowerCase() === name);
    const value: unknown = web ? (headers as Headers).get(name) : key !== undefined ? plain[key] : undefined;
    const text: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof text === 'string' && text !== '') out[name] = text;
  }
  return out;
}
