/**
 * The streamable HTTP endpoint as a web-standard handler (`Request` in, `Response` out), for any
 * server that speaks fetch: `serveHttp` wraps it for Node's http, an app can mount it itself.
 * Requests addressed to another host than the allowed ones, or sent by a web page of another
 * origin, are refused (DNS rebinding: a page must not reach a server on the user's machine).
 * 2025-era traffic goes to sessions (legacy-sessions.ts), 2026-era traffic to the SDK's
 * per-request handler; the SDK's own predicate decides which is which.
 */
import {
  createMcpHandler,
  isJsonContentType,
  isLegacyRequest,
  localhostAllowedHostnames,
  originValidationResponse,
  validateHostHeader,
  type McpServer,
} from '@modelcontextprotocol/server';
import { LegacySessions } from './legacy-sessions.js';

/** A web-standard MCP endpoint. */
export interface HttpEndpoint {
  /** Answers one HTTP request. */
  fetch(request: Request): Promise<Response>;
  /** Ends every session and the exchanges in flight. */
  close(): Promise<void>;
}

/** The endpoint of `factory`'s servers, answering requests addressed to `allowedHosts` only. */
export function httpEndpoint(factory: () => McpServer, allowedHosts: readonly string[] = localhostAllowedHostnames()): HttpEndpoint {
  const hosts = [...allowedHosts];
  const legacy = new LegacySessions(factory);
  const modern = createMcpHandler(factory, { legacy: 'reject' });
  return {
    async fetch(request) {
      const refused = hostRefusal(request, hosts) ?? originValidationResponse(request, hosts);
      if (refused) return refused;
      if (request.method === 'POST' && !isJsonContentType(request.headers.get('content-type'))) {
        return Response.json({ jsonrpc: '2.0', error: { code: -32000, message: 'Unsupported Media Type: send application/json' }, id: null }, { status: 415 });
      }
      return (await isLegacyRequest(request)) ? legacy.handle(request) : modern.fetch(request);
    },
    async close() {
      await Promise.all([legacy.close(), modern.close()]);
    },
  };
}

/**
 * A 403 when the request is addressed to a host not allowed. The `Host` header, else the URL's
 * host: a `Request` an app builds itself has no `Host` header, and its URL then says where it went.
 */
function hostRefusal(request: Request, hosts: string[]): Response | undefined {
  const check = validateHostHeader(request.headers.get('host') ?? new URL(request.url).host, hosts);
  if (check.ok) return undefined;
  return Response.json({ jsonrpc: '2.0', error: { code: -32000, message: check.message }, id: null }, { status: 403 });
}
