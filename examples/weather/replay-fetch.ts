/**
 * A `fetch` that answers from recordings instead of the network: what the weather example's clients
 * call when no API key is set. The clients cannot tell the difference (same URLs, same status
 * codes, same JSON), so the example's handlers run exactly as they would against the services.
 * How a request finds its recording is described in recordings/README.md.
 */
import { KEY_PARAMS, type Recording } from './recordings.js';

/** How far apart (degrees) a requested `lat,lng` may be from a recorded one and still match. */
export const POSITION_TOLERANCE = 0.05;

/** Served when nothing matches and there is no fallback for the endpoint: the replay's own 404. */
function notRecorded(method: string, url: URL): Response {
  const message = `this replay has no recording for ${method} ${url.origin}${url.pathname}`;
  return Response.json({ code: 404000, type: 'Not Recorded', message }, { status: 404 });
}

/** A `fetch` serving `recordings`; `onRequest` sees each request (key-free), for a log or a test. */
export function replayFetch(recordings: readonly Recording[], onRequest?: (method: string, url: URL, served: Recording | undefined) => void): typeof fetch {
  const replay = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    signal?.throwIfAborted();
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const url = keyFree(new URL(input instanceof Request ? input.url : input));
    const sameEndpoint = recordings.filter((r) => r.method === method && r.url.origin === url.origin && r.url.pathname === url.pathname);
    const served = sameEndpoint.find((r) => !r.fallback && sameQuery(r.url.searchParams, url.searchParams)) ?? sameEndpoint.find((r) => r.fallback);
    onRequest?.(method, url, served);
    if (served === undefined) return notRecorded(method, url);
    return Response.json(served.body, { status: served.status });
  };
  return replay as typeof fetch;
}

/** `url` without its API key parameters. */
function keyFree(url: URL): URL {
  const copy = new URL(url);
  for (const key of KEY_PARAMS) copy.searchParams.delete(key);
  return copy;
}

/** Same parameter names, each value matching (see {@link sameValue}). */
function sameQuery(recorded: URLSearchParams, requested: URLSearchParams): boolean {
  const names = new Set([...recorded.keys(), ...requested.keys()]);
  for (const name of names) {
    const a = recorded.getAll(name);
    const b = requested.getAll(name);
    if (a.length !== b.length || a.some((value, i) => !sameValue(value, b[i]!))) return false;
  }
  return true;
}

/** Equal ignoring case and runs of spaces, or two positions within {@link POSITION_TOLERANCE}. */
function sameValue(recorded: string, requested: string): boolean {
  const p = position(recorded);
  const q = position(requested);
  if (p && q) return Math.abs(p[0] - q[0]) <= POSITION_TOLERANCE && Math.abs(p[1] - q[1]) <= POSITION_TOLERANCE;
  const normal = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return normal(recorded) === normal(requested);
}

/** `lat,lng` as two numbers, or undefined for any other value. */
function position(value: string): [number, number] | undefined {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}
