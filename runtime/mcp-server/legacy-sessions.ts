/**
 * 2025-era clients over streamable HTTP (every client that does not negotiate the 2026 revision,
 * which is most of them): one session per client, each with its own transport and server
 * instance, kept until the client ends it (DELETE) or the server closes. Sessions, rather than
 * the SDK's stateless fallback, because a stateless server cannot route a client's
 * `notifications/cancelled` to the request it cancels, nor serve its GET stream.
 */
import { WebStandardStreamableHTTPServerTransport, type McpServer } from '@modelcontextprotocol/server';

interface Session {
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly server: McpServer;
}

/** The sessions of one HTTP endpoint. */
export class LegacySessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly factory: () => McpServer) {}

  /** Answers one request of a 2025-era client: in its session, or opening one (`initialize`). */
  async handle(request: Request): Promise<Response> {
    const id = request.headers.get('mcp-session-id');
    if (id !== null) {
      const session = this.sessions.get(id);
      if (session) return session.transport.handleRequest(request);
      return Response.json(
        { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found: it ended, or the server restarted; initialize a new one' }, id: null },
        { status: 404 },
      );
    }
    const server = this.factory();
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => globalThis.crypto.randomUUID(),
      onsessioninitialized: (sessionId) => void this.sessions.set(sessionId, { transport, server }),
      onsessionclosed: (sessionId) => void this.drop(sessionId),
    });
    await server.connect(transport);
    // The transport answers anything but an `initialize` without a session with an error; then
    // no session was opened, and the instance goes.
    const response = await transport.handleRequest(request);
    if (transport.sessionId === undefined) await server.close();
    return response;
  }

  /** Ends every session (their requests in flight are aborted). */
  async close(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.drop(id)));
  }

  private async drop(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    await session.server.close().catch(() => undefined);
  }
}
