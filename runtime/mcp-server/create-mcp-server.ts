/**
 * `createMcpServer`: agents and tools served over MCP, by stdio, by streamable HTTP on a loopback
 * address, over any other transport, or as a web-standard handler mounted in an app.
 */
import type { McpServer, Transport } from '@modelcontextprotocol/server';
import { checkOptions, servedTools, type McpServerOptions } from './mcp-server-options.js';
import { sdkServerFactory } from './sdk-server.js';
import { httpEndpoint, type HttpEndpoint } from './http-endpoint.js';
import { listenHttp, loopbackHostNames, type HttpListener, type ListenOptions } from './listen-http.js';
import { watchClose } from './watch-close.js';
import type { JsonSchema } from '../contract/spec.js';

/** Marks servers made by {@link createMcpServer}, from any copy of this package. */
const SERVER = Symbol.for('schemantic.mcp.server');

/** A tool as MCP clients list it. */
export interface ListedTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly outputSchema?: JsonSchema;
}

/** One connection being served. */
export interface McpConnection {
  /** Resolves when the connection has ended (the client left, or {@link close} was called). */
  readonly closed: Promise<void>;
  /** Ends the connection (requests in flight are aborted). */
  close(): Promise<void>;
}

/** Agents and tools served over MCP (see {@link createMcpServer}). */
export interface SchemanticMcpServer {
  readonly name: string;
  readonly version: string;
  /** What the server offers, as clients list it. */
  readonly tools: readonly ListedTool[];
  /**
   * A new instance of the SDK's server (`McpServer` from `@modelcontextprotocol/server`) with the
   * tools registered, for wiring of your own. One instance serves one connection.
   */
  sdkServer(): McpServer;
  /** Serves one connection over a transport of your choosing (an in-memory pair, a socket). */
  connect(transport: Transport): Promise<McpConnection>;
  /** Serves this process's stdin and stdout (write nothing else to stdout then: it is the protocol's). */
  serveStdio(): Promise<McpConnection>;
  /**
   * The streamable HTTP endpoint as a web-standard handler, to mount in your own server: requests
   * addressed to another host than `allowedHosts` are refused.
   */
  fetch(request: Request): Promise<Response>;
  /** Listens for streamable HTTP on a loopback address (default `http://127.0.0.1:3001/mcp`). */
  serveHttp(options?: ListenOptions): Promise<HttpListener>;
  /** Ends every connection, session and listener. */
  close(): Promise<void>;
}

/**
 * Serves agents and tools over MCP. Each agent becomes a tool named by its key, taking
 * `{ prompt, context }` (the agent's context schema) and answering with its output: text, or
 * structured content described by the tool's output schema (the agent's output schema when it
 * describes objects, else `{ output: <value> }`). A client that sends a progress token hears of
 * each model request and tool call of the run; one that cancels the request aborts the run. Each
 * function tool takes its parameters, checked by its own validator, and answers with what its
 * handler returns (structured content when it declares `returns`). Invalid arguments and
 * failures are `isError` results that say what went wrong.
 *
 * ```ts
 * const server = createMcpServer({
 *   name: 'weather',
 *   agents: { weather: createWeatherAgent({ tools: weatherTools }) },
 *   tools: specTools(weatherSpec, weatherTools, ['get_lat_lng']),
 *   context: { user_name: 'there' },
 * });
 * await server.serveStdio();
 * ```
 */
export function createMcpServer<Deps = unknown>(options: McpServerOptions<Deps>): SchemanticMcpServer {
  checkOptions(options);
  const tools = servedTools(options);
  const version = options.version ?? '0.0.0';
  const factory = sdkServerFactory({ name: options.name, version, instructions: options.instructions }, tools);
  const connections = new Set<McpConnection>();
  const endpoints = new Set<HttpEndpoint>();
  const listeners = new Set<HttpListener>();
  let shared: HttpEndpoint | undefined;

  const connect = async (transport: Transport): Promise<McpConnection> => {
    const { serveStdio } = await import('@modelcontextprotocol/server/stdio');
    const watched = watchClose(transport);
    const handle = serveStdio(factory, { transport: watched.transport });
    const connection: McpConnection = {
      closed: watched.closed,
      close: async () => {
        await handle.close();
        watched.settle();
      },
    };
    connections.add(connection);
    void watched.closed.then(() => connections.delete(connection));
    return connection;
  };
  const endpoint = (hosts: readonly string[] | undefined): HttpEndpoint => {
    const made = httpEndpoint(factory, hosts);
    endpoints.add(made);
    return made;
  };

  const server: SchemanticMcpServer = {
    name: options.name,
    version,
    tools: tools.map(({ name, description, inputSchema, outputSchema }) =>
      outputSchema !== undefined ? { name, description, inputSchema, outputSchema } : { name, description, inputSchema },
    ),
    sdkServer: factory,
    connect,
    async serveStdio() {
      const { StdioServerTransport } = await import('@modelcontextprotocol/server/stdio');
      return connect(new StdioServerTransport());
    },
    fetch(request) {
      shared ??= endpoint(options.allowedHosts);
      return shared.fetch(request);
    },
    async serveHttp(listen = {}) {
      const made = endpoint(options.allowedHosts ?? loopbackHostNames(listen.host ?? '127.0.0.1'));
      const listener = await listenHttp(made, listen).catch(async (error: unknown) => {
        endpoints.delete(made);
        await made.close();
        throw error;
      });
      listeners.add(listener);
      return listener;
    },
    async close() {
      // Sessions first (their streams end), then the listeners (nothing keeps them open), then stdio.
      await Promise.all([...endpoints].map((e) => e.close()));
      await Promise.all([...listeners].map((l) => l.close()));
      await Promise.all([...connections].map((c) => c.close()));
      listeners.clear();
      endpoints.clear();
      shared = undefined;
    },
  };
  Object.defineProperty(server, SERVER, { value: true });
  return server;
}

/** Whether a value is a server made by {@link createMcpServer} (by any copy of this package). */
export function isMcpServer(value: unknown): value is SchemanticMcpServer {
  return typeof value === 'object' && value !== null && (value as { [SERVER]?: unknown })[SERVER] === true;
}
