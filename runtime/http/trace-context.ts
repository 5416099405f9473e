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
  for (const name of ['traceparent', 'tracestate']) {
    const value =
      typeof (headers as Headers).get === 'function'
        ? (headers as Headers).get(name)
        : (headers as Record<string, string | readonly string[] | undefined>)[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text === 'string' && text !== '') out[name] = text;
  }
  return out;
}
