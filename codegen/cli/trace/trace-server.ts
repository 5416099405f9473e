/**
 * The server of `schemantic trace`: an OTLP/HTTP receiver and the run viewer on one loopback
 * port, over node:http.
 *
 * Any process on the machine can reach a loopback port, and so can any web page open in the
 * developer's browser. Before anything else, every request must be addressed to a loopback name
 * (a page whose DNS name was rebound to 127.0.0.1 sends its own name: 421) and, when a browser
 * says where it comes from (`Origin`), come from the viewer itself (403): no other page can add
 * spans or read them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorSent, sendError } from './http-reply.js';
import { hostnameOf, httpOrigin, isLoopbackHost } from './loopback.js';
import { receiveOther, receiveTraces } from './otlp-receiver.js';
import { DEFAULT_MAX_TRACES, TraceStore, type TraceSummary } from './trace-store.js';
import { sendPage, sendTrace, sendTraceList, streamChanges } from './viewer-api.js';

/** OTLP/HTTP's standard port: an app's exporter reaches it with no configuration. */
export const DEFAULT_PORT = 4318;

/** The default address to listen on. */
export const DEFAULT_HOST = '127.0.0.1';

/** Options of {@link startTraceServer}. */
export interface TraceServerOptions {
  /** A loopback address or `localhost` (default 127.0.0.1); anything else is refused. */
  host?: string;
  /** The port (default 4318); 0 takes a free one. */
  port?: number;
  /** How many traces are kept (default 200); the least recently updated go first. */
  maxTraces?: number;
  /** Called when a run's root span arrives, with the run's summary. */
  onRun?: (run: TraceSummary) => void;
  /** Called when a request is refused: an export (a wrong encoding, a malformed body, a wrong path), or a foreign Host or Origin. */
  onRefused?: (status: number, message: string) => void;
}

/** A running server. */
export interface TraceServer {
  /** `http://127.0.0.1:4318`: the page, and the OTLP endpoint (`/v1/traces` is added by exporters). */
  url: string;
  port: number;
  /** What it has received. */
  store: TraceStore;
  /** Stops listening, ends the pages' event streams and closes every connection. */
  close(): Promise<void>;
}

interface Route {
  path: RegExp;
  method: 'GET' | 'POST';
  handle(req: IncomingMessage, res: ServerResponse, match: RegExpExecArray): void | Promise<void>;
}

/** Starts the server; rejects with Node's listen error (`code` EADDRINUSE when the port is taken). */
export async function startTraceServer(options: TraceServerOptions = {}): Promise<TraceServer> {
  const host = options.host ?? DEFAULT_HOST;
  if (!isLoopbackHost(host)) throw new Error(`${host} is not a loopback address: the receiver listens on this machine only`);
  const store = new TraceStore(options.maxTraces ?? DEFAULT_MAX_TRACES);
  const streams = new Set<() => void>();

  const routes: Route[] = [
    { path: /^\/$/, method: 'GET', handle: (_req, res) => sendPage(res) },
    { path: /^\/api\/traces$/, method: 'GET', handle: (_req, res) => sendTraceList(res, store) },
    { path: /^\/api\/traces\/([^/]+)$/, method: 'GET', handle: (_req, res, m) => sendTrace(res, store, m[1]!) },
    {
      path: /^\/api\/events$/,
      method: 'GET',
      handle: (_req, res) => {
        const end = streamChanges(res, store);
        streams.add(end);
        res.on('close', () => streams.delete(end));
      },
    },
    {
      path: /^\/v1\/traces$/,
      method: 'POST',
      async handle(req, res) {
        const added = await receiveTraces(req, res, store);
        for (const run of added?.completed ?? []) options.onRun?.(run);
      },
    },
    { path: /^\/v1\/(metrics|logs)$/, method: 'POST', handle: (req, res, m) => receiveOther(req, res, store, m[1] as 'metrics' | 'logs') },
    // Browsers ask for it; an empty answer keeps their console quiet.
    { path: /^\/favicon\.ico$/, method: 'GET', handle: (_req, res) => void res.writeHead(204).end() },
  ];

  const server = createServer((req, res) => {
    res.on('finish', () => {
      // Exports that went wrong, and anyone turned away at the door: worth a line on the terminal.
      const message = errorSent(res);
      if (message !== undefined && (req.method === 'POST' || res.statusCode === 403 || res.statusCode === 421)) options.onRefused?.(res.statusCode, message);
    });
    const hostHeader = req.headers.host;
    const hostname = hostnameOf(hostHeader);
    if (hostname === undefined || !isLoopbackHost(hostname))
      return sendError(res, 421, `this server answers only requests addressed to localhost, 127.0.0.1 or [::1], not ${JSON.stringify(hostHeader ?? '')}`);
    const origin = req.headers.origin;
    if (origin !== undefined && origin.toLowerCase() !== `http://${hostHeader}`.toLowerCase())
      return sendError(res, 403, `requests from other web pages are refused (Origin ${JSON.stringify(origin)})`);
    const path = (req.url ?? '/').split('?')[0]!;
    const matching = routes.filter((r) => r.path.test(path));
    if (matching.length === 0) return sendError(res, 404, `nothing at ${path}`);
    const route = matching.find((r) => r.method === req.method);
    if (!route)
      return sendError(res, 405, `${path} answers ${matching.map((r) => r.method).join(', ')} only`, { Allow: matching.map((r) => r.method).join(', ') });
    Promise.resolve()
      .then(() => route.handle(req, res, route.path.exec(path)!))
      .catch((err: unknown) => {
        // A bug of ours, not the client's: said, and the server goes on.
        if (!res.headersSent) sendError(res, 500, `schemantic trace: ${(err as Error).message}`);
        else res.destroy();
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? DEFAULT_PORT, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: httpOrigin(host, port),
    port,
    store,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const end of streams) end();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
