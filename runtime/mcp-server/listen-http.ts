/**
 * The HTTP endpoint on Node's http server, on a loopback address only: the server has no
 * authentication of its own, and its tools run with the app's deps. Node's http is reached
 * through `process.getBuiltinModule`, and the request/response adapter (`@modelcontextprotocol/node`)
 * is imported here, on first use, so that the rest of the entry point bundles for any platform.
 */
import { UserError } from '../contract/errors.js';
import type { HttpEndpoint } from './http-endpoint.js';

/** Where the endpoint listens, once it does. */
export interface HttpListener {
  /** The endpoint's URL (`http://127.0.0.1:3001/mcp`). */
  readonly url: string;
  readonly host: string;
  /** The port (the one taken, when asked for port 0). */
  readonly port: number;
  /** Stops listening and drops open connections (streams included). */
  close(): Promise<void>;
}

/** Where to listen. */
export interface ListenOptions {
  /** A loopback address: `127.0.0.1` (default), another `127.x.x.x`, `::1` or `localhost`. */
  host?: string;
  /** The port (default 3001); 0 takes a free one. */
  port?: number;
  /** The endpoint's path (default `/mcp`). */
  path?: string;
}

/** The default port of `serveHttp`. */
export const DEFAULT_MCP_PORT = 3001;

/** Whether a host name or address is a loopback one: `localhost`, `127.x.x.x` or `::1` (with or without brackets). */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(name);
}

/** The `Host` header names a loopback listener answers to: the usual local names, and its own address. */
export function loopbackHostNames(host: string): string[] {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const own = bare.includes(':') ? `[${bare}]` : bare;
  return [...new Set(['localhost', '127.0.0.1', '[::1]', own])];
}

interface NodeServer {
  listen(port: number, host: string): void;
  once(event: 'listening' | 'error', listener: (error?: Error & { code?: string }) => void): void;
  address(): { port: number } | string | null;
  close(callback?: () => void): void;
  closeAllConnections?(): void;
}

interface NodeHost {
  process?: { getBuiltinModule?: (id: string) => { createServer?: (listener: (req: never, res: never) => void) => NodeServer } | undefined };
}

type NodeHandler = (req: never, res: never) => Promise<void>;

/** Listens for `endpoint` on a loopback address. */
export async function listenHttp(endpoint: HttpEndpoint, options: ListenOptions = {}): Promise<HttpListener> {
  const host = (options.host ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  const path = options.path ?? '/mcp';
  const requested = options.port ?? DEFAULT_MCP_PORT;
  if (!isLoopbackHost(host))
    throw new UserError(
      `serveHttp: ${JSON.stringify(host)} is not a loopback address; the MCP server listens on 127.0.0.1, another 127.x.x.x, ::1 or localhost only`,
    );
  const createServer = (globalThis as NodeHost).process?.getBuiltinModule?.('node:http')?.createServer;
  if (!createServer) throw new UserError("serveHttp needs Node.js 20.16 or later; elsewhere, mount the server's fetch handler in your own HTTP server");
  const handle = await nodeHandler(endpoint);
  const server = createServer((req, res) => {
    const url = (req as { url?: string }).url ?? '/';
    if (url.split('?')[0] === path) void handle(req, res);
    else notFound(res, path);
  });
  const shown = host.includes(':') ? `[${host}]` : host;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', (error) => {
      const reason = error?.code === 'EADDRINUSE' ? 'the port is already in use' : (error?.message ?? 'unknown error');
      reject(new UserError(`cannot listen on ${shown}:${requested}: ${reason}`, { cause: error }));
    });
    server.listen(requested, host);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : requested;
  return {
    url: `http://${shown}:${port}${path}`,
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open streams (a client's GET stream) would keep the server from ever closing.
        server.closeAllConnections?.();
      }),
  };
}

/** Node's `(req, res)` face of the endpoint, by the SDK's adapter (which streams with back-pressure). */
async function nodeHandler(endpoint: HttpEndpoint): Promise<NodeHandler> {
  let adapter: typeof import('@modelcontextprotocol/node');
  try {
    adapter = await import('@modelcontextprotocol/node');
  } catch (error) {
    throw new UserError('serving MCP over HTTP needs the package @modelcontextprotocol/node: npm install @modelcontextprotocol/node', { cause: error });
  }
  return adapter.toNodeHandler({ fetch: (request) => endpoint.fetch(request) }) as unknown as NodeHandler;
}

function notFound(res: never, path: string): void {
  const response = res as { writeHead(status: number, headers: Record<string, string>): void; end(body: string): void };
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(`Not found: the MCP endpoint is ${path}\n`);
}
