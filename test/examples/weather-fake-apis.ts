/**
 * A local stand-in for geocode.maps.co and Tomorrow.io, on 127.0.0.1, for the weather example's
 * tests: the example's clients reach it with the real `fetch` and the URLs they build, and it
 * records what they sent. It answers from the shipped recordings with its own plain lookup (exact
 * `q` ignoring case, exact `location`), not the replay's matching, so the two check each other. A
 * test can require a key (401 in the service's shape without it) or script the next answers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { loadRecordings, type Recording } from '../../examples/weather/recordings.js';

/** An answer a test scripts: a status and a raw body (JSON or not), or silence (the client times out). */
export type ScriptedAnswer = { status: number; body: string; contentType?: string } | { hang: true };

/** The running server. */
export interface FakeWeatherApis {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Each request's URL as received (path and query, parsed against `url`). */
  readonly requests: URL[];
  /** Answers for the next requests, in order, before any lookup. */
  readonly script: ScriptedAnswer[];
  close(): Promise<void>;
}

/** Starts the server; with `requireKey`, a request without `api_key`/`apikey` equal to it gets the service's 401. */
export async function startFakeWeatherApis(options: { requireKey?: string } = {}): Promise<FakeWeatherApis> {
  const recordings = (await loadRecordings()).filter((r) => !r.fallback);
  const requests: URL[] = [];
  const script: ScriptedAnswer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const scripted = script.shift();
    if (scripted && 'hang' in scripted) return; // never answers: the client's time limit must end the call
    if (scripted) return send(res, scripted.status, scripted.body, scripted.contentType);
    answer(req, url, res, recordings, options.requireKey);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function answer(req: IncomingMessage, url: URL, res: ServerResponse, recordings: readonly Recording[], requireKey: string | undefined): void {
  const geocoding = url.pathname.endsWith('/search');
  const weather = url.pathname.endsWith('/v4/weather/realtime');
  if (req.method !== 'GET' || (!geocoding && !weather)) return send(res, 404, JSON.stringify({ error: `no route ${req.method} ${url.pathname}` }));
  if (requireKey !== undefined && url.searchParams.get(geocoding ? 'api_key' : 'apikey') !== requireKey) {
    // Each service's own way of refusing a request without a valid key.
    return geocoding
      ? send(res, 401, 'Invalid API Key', 'text/plain')
      : send(
          res,
          401,
          JSON.stringify({ code: 401001, type: 'Invalid Auth', message: 'The method requires authentication but it was not presented or is invalid.' }),
        );
  }
  if (geocoding) {
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const found = recordings.find((r) => r.url.pathname === '/search' && r.url.searchParams.get('q')?.toLowerCase() === q);
    return send(res, 200, JSON.stringify(found?.body ?? []));
  }
  const location = url.searchParams.get('location');
  const found = recordings.find((r) => r.url.pathname === '/v4/weather/realtime' && r.url.searchParams.get('location') === location);
  if (found) return send(res, 200, JSON.stringify(found.body));
  send(res, 400, JSON.stringify({ code: 400001, type: 'Invalid Query Parameters', message: `no recording at ${location}` }));
}

function send(res: ServerResponse, status: number, body: string, contentType = 'application/json'): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}
