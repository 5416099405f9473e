/**
 * An MCP server as a toolset: its tools in agent runs (`toolsets: [mcpServer({...})]`), and
 * called directly (`listTools`, `callTool`, as generated typed clients do).
 */
import { ModelRetry, UserError } from '../contract/errors.js';
import { validationDetails } from '../agent/output.js';
import { definitionOf, type RuntimeTool } from '../agent/tools.js';
import type { Toolset, ToolsetSession } from '../agent/toolset.js';
import { toolReturnOf, type McpToolInfo, type McpToolResult } from './mcp-content.js';
import type { ListedTool } from './listed-tool.js';
import { McpConnection, type ConnectionSettings } from './mcp-connection.js';
import { McpArgumentsError, McpError } from './mcp-errors.js';

/** How to reach an MCP server and which of its tools to offer. */
export interface McpServerOptions {
  /** Names the server in errors and in the tools' origin. */
  name: string;
  /** Starts the server as a child process speaking stdio (Node only): the executable. */
  command?: string;
  /** Its arguments. */
  args?: readonly string[];
  /**
   * Its environment. The child inherits only a few safe variables of this process (`PATH`,
   * `HOME`...; the SDK's choice), so pass what the server needs, API keys included.
   */
  env?: Record<string, string>;
  /** Its working directory (default: this process's). */
  cwd?: string;
  /** Reaches the server over streamable HTTP at this URL instead. */
  url?: string;
  /** HTTP headers for every request to `url` (an `Authorization` header, say). */
  headers?: Record<string, string>;
  /** Prepended to every tool name the model sees (`${prefix}${tool}`), to keep servers apart. */
  prefix?: string;
  /** Only these tools (the server's names for them). */
  include?: readonly string[];
  /** Not these tools (the server's names for them). */
  exclude?: readonly string[];
  /** How long connecting, listing the tools, and each call may take, in ms. Default 30 000. */
  timeoutMs?: number;
  /**
   * `'agent'` (default): connect on first use and stay connected, for every run of every agent
   * using this server, until `close()` or the process exits; like a database pool, an open
   * connection keeps the process running, so close it when done. `'run'`: connect when a run
   * starts and close when it ends (a stdio server is started and stopped with every run).
   */
  lifetime?: 'run' | 'agent';
  /** How many times the model may retry a call of one tool (invalid arguments, tool errors). Default 1. */
  retries?: number;
}

/** An MCP server's tools, for runs (`toolsets: [mcpServer({...})]`) or to call directly. */
export function mcpServer(options: McpServerOptions): McpServer {
  return new McpServer(options);
}

/** An MCP server as a toolset. Connections are made through `@modelcontextprotocol/client`. */
export class McpServer implements Toolset {
  /** The server's name, as given. */
  readonly name: string;
  readonly #settings: ConnectionSettings;
  readonly #lifetime: 'run' | 'agent';
  readonly #prefix: string;
  readonly #retries: number;
  /** The connection held for the `agent` lifetime and direct calls, or the one being made. */
  #held: Promise<McpConnection> | undefined;
  /** Connections of runs under way (`run` lifetime), closed by close() too. */
  readonly #runs = new Set<McpConnection>();

  constructor(options: McpServerOptions) {
    this.#settings = checkedSettings(options);
    this.name = options.name;
    this.#lifetime = options.lifetime ?? 'agent';
    if (this.#lifetime !== 'run' && this.#lifetime !== 'agent') throw new UserError(`MCP server ${this.name}: lifetime must be 'run' or 'agent'`);
    this.#prefix = options.prefix ?? '';
    this.#retries = options.retries ?? 1;
    if (!Number.isInteger(this.#retries) || this.#retries < 0) throw new UserError(`MCP server ${this.name}: retries must be a whole number of 0 or more`);
  }

  /** Opens the server's tools for a run: connects (or reuses the connection) and lists them. */
  async open(run: { signal?: AbortSignal }): Promise<ToolsetSession> {
    const { signal } = run;
    const owns = this.#lifetime === 'run';
    const connection = owns ? await McpConnection.connect(this.#settings, signal) : await untilAborted(this.#connection(), signal);
    if (owns) this.#runs.add(connection);
    // The run's own connection is closed when the run ends; a held one stays open.
    const release = async (): Promise<void> => {
      if (!owns) return;
      this.#runs.delete(connection);
      await connection.close();
    };
    const session = new McpSession(connection, { server: this.name, prefix: this.#prefix, retries: this.#retries, release });
    try {
      await untilAborted(connection.current(), signal);
      session.tools();
    } catch (err) {
      await release();
      throw err;
    }
    return session;
  }

  /**
   * Some of the server's tools, as a toolset of their own: the ones `filter` keeps (by the
   * server's names, on top of the server's own include/exclude), over the server's connection and
   * lifetime. What an agent gets when its definitions name tools of the server (`mcp: [{ server,
   * include }]`). A name the server does not list keeps nothing and is no error here: the
   * generator checks the names against the definitions, and a server may drop a tool later.
   */
  select(filter: { include?: readonly string[]; exclude?: readonly string[] }): Toolset {
    const names = (list: readonly string[] | undefined, key: string): ReadonlySet<string> | undefined => {
      if (list === undefined) return undefined;
      if (!Array.isArray(list) || list.some((n) => typeof n !== 'string'))
        throw new UserError(`MCP server ${this.name}: select: ${key} must be a list of tool names`);
      // Sessions name tools as the model sees them: the prefix put before the server's names.
      return new Set(list.map((n) => `${this.#prefix}${n}`));
    };
    const include = names(filter?.include, 'include');
    const exclude = names(filter?.exclude, 'exclude');
    const keeps = (tool: RuntimeTool): boolean => (include?.has(tool.definition.name) ?? true) && !exclude?.has(tool.definition.name);
    return {
      name: this.name,
      open: async (run) => new SelectedSession(await this.open(run), keeps),
    };
  }

  /** The server's tools as it announces them (asked anew), include/exclude applied, without prefix. */
  async listTools(): Promise<McpToolInfo[]> {
    const connection = await this.#connection();
    await connection.relist();
    return connection.tools.map((t) => t.info);
  }

  /**
   * Calls a tool by the server's name for it. The arguments are checked against the schema the
   * server announced first (McpArgumentsError, and nothing is sent); a structured result is
   * checked against its output schema (McpResultError). A tool error is a result with `isError`.
   */
  async callTool(name: string, args: unknown, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<McpToolResult> {
    const connection = await untilAborted(this.#connection(), options.signal);
    await connection.listed();
    let tool = connection.tools.find((t) => t.info.name === name);
    if (!tool) {
      // Perhaps a tool the server added without saying so.
      await connection.relist();
      tool = connection.tools.find((t) => t.info.name === name);
    }
    if (!tool) {
      const { include, exclude } = this.#settings;
      if (include?.has(name) === false || exclude?.has(name)) throw new McpError(this.name, `tool ${name} is left out by include/exclude`);
      throw new McpError(this.name, `there is no tool ${name} (there are: ${connection.tools.map((t) => t.info.name).join(', ') || 'none'})`);
    }
    // Checked on a copy, as a run checks a model's arguments: defaults and lax scalars go into what is sent.
    const sent = structuredClone(args);
    const validate = tool.validateArgs();
    if (!validate(sent)) throw new McpArgumentsError(this.name, name, validationDetails(validate));
    return connection.call(tool, sent, options);
  }

  /** Closes every connection it holds (stdio servers stop); the next use connects again. */
  async close(): Promise<void> {
    const held = this.#held;
    this.#held = undefined;
    const runs = [...this.#runs];
    this.#runs.clear();
    await Promise.all([
      held?.then(
        (c) => c.close(),
        () => undefined,
      ),
      ...runs.map((c) => c.close()),
    ]);
  }

  /** The held connection: made on first use, and again after the server went away. */
  #connection(): Promise<McpConnection> {
    const held = this.#held;
    const connecting = (): Promise<McpConnection> => {
      const made = McpConnection.connect(this.#settings);
      this.#held = made;
      // A failed attempt is forgotten, so the next use tries again.
      made.catch(() => {
        if (this.#held === made) this.#held = undefined;
      });
      return made;
    };
    if (!held) return connecting();
    return held.then((connection) => {
      if (connection.usable) return connection;
      if (this.#held === held) {
        void connection.close();
        return connecting();
      }
      return this.#connection();
    });
  }
}

/** JSON-RPC's "invalid params": the server rejected arguments that passed its announced schema. */
const INVALID_PARAMS = -32602;

/** How a session turns the server's tools into a run's. */
interface SessionSettings {
  readonly server: string;
  readonly prefix: string;
  readonly retries: number;
  /** What the end of the run releases (the connection, when it is the run's own). Never throws. */
  readonly release: () => Promise<void>;
}

/** A run's session over a connection. */
class McpSession implements ToolsetSession {
  readonly #connection: McpConnection;
  readonly #settings: SessionSettings;
  #tools: readonly RuntimeTool[] = [];
  #builtFrom = -1;

  constructor(connection: McpConnection, settings: SessionSettings) {
    this.#connection = connection;
    this.#settings = settings;
  }

  /** The listing's version: it grows when the server's tools changed. */
  get version(): number {
    return this.#connection.version;
  }

  /**
   * The tools now, by the names the model sees. Their parameter schemas are compiled here, so
   * one that does not compile fails the run when it starts (or when the tool appears).
   */
  tools(): readonly RuntimeTool[] {
    if (this.#builtFrom !== this.#connection.version) {
      this.#tools = this.#connection.tools.filter((t) => t.callable).map((t) => this.#runtimeTool(t));
      this.#builtFrom = this.#connection.version;
    }
    return this.#tools;
  }

  /** The run ended: its own connection is closed (a held one stays open). Never throws. */
  close(): Promise<void> {
    return this.#settings.release();
  }

  #runtimeTool(tool: ListedTool): RuntimeTool {
    const { server, prefix, retries } = this.#settings;
    const connection = this.#connection;
    const { name, title, description } = tool.info;
    return {
      definition: definitionOf(`${prefix}${name}`, description ?? title, tool.parameters, undefined),
      validateArgs: tool.validateArgs(),
      maxRetries: retries,
      origin: `tool ${name} of MCP server ${server}`,
      // The run has checked the arguments with validateArgs; the signal is the run's.
      call: async (ctx, args) => {
        try {
          return toolReturnOf(await connection.call(tool, args, ctx.signal ? { signal: ctx.signal } : {}));
        } catch (err) {
          if (McpError.isInstance(err) && err.code === INVALID_PARAMS) throw new ModelRetry(err.message, { cause: err });
          throw err;
        }
      },
    };
  }
}

/** A run's session over some of a server's tools (McpServer.select): the server's session, filtered. */
class SelectedSession implements ToolsetSession {
  readonly #session: ToolsetSession;
  readonly #keeps: (tool: RuntimeTool) => boolean;
  #tools: readonly RuntimeTool[] = [];
  #builtFrom = -1;

  constructor(session: ToolsetSession, keeps: (tool: RuntimeTool) => boolean) {
    this.#session = session;
    this.#keeps = keeps;
  }

  /** The server's listing's version: the filter is applied anew when it grows. */
  get version(): number {
    return this.#session.version;
  }

  tools(): readonly RuntimeTool[] {
    if (this.#builtFrom !== this.#session.version) {
      this.#tools = this.#session.tools().filter(this.#keeps);
      this.#builtFrom = this.#session.version;
    }
    return this.#tools;
  }

  close(): Promise<void> {
    return this.#session.close();
  }
}

/** The options, checked, as a connection takes them. */
function checkedSettings(options: McpServerOptions): ConnectionSettings {
  const name = options?.name;
  if (typeof name !== 'string' || name === '') throw new UserError('mcpServer: name must be a non-empty string');
  const fail = (message: string): never => {
    throw new UserError(`MCP server ${name}: ${message}`);
  };
  const { command, url } = options;
  if ((command === undefined) === (url === undefined)) fail('give either command (a server started over stdio) or url (streamable HTTP)');
  if (command !== undefined && (typeof command !== 'string' || command === '')) fail('command must be a non-empty string');
  if (url !== undefined && (options.args || options.env || options.cwd !== undefined)) fail('args, env and cwd are for a command; a url takes headers');
  if (command !== undefined && options.headers) fail('headers are for a url; a command takes env');
  let parsed: URL | undefined;
  if (url !== undefined) {
    try {
      parsed = new URL(url);
    } catch {
      fail(`url ${JSON.stringify(url)} is not a URL`);
    }
    if (parsed!.protocol !== 'http:' && parsed!.protocol !== 'https:') fail(`url ${url} is not http(s)`);
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) fail('timeoutMs must be a positive number of milliseconds');
  const settings: { -readonly [K in keyof ConnectionSettings]: ConnectionSettings[K] } = { name, args: [...(options.args ?? [])], timeoutMs };
  if (command !== undefined) settings.command = command;
  if (options.env) settings.env = { ...options.env };
  if (options.cwd !== undefined) settings.cwd = options.cwd;
  if (parsed) settings.url = parsed;
  if (options.headers) settings.headers = { ...options.headers };
  if (options.include) settings.include = new Set(options.include);
  if (options.exclude) settings.exclude = new Set(options.exclude);
  return settings;
}

/** The promise, or the signal's reason as soon as it aborts (what the promise does is left to it). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    const settle = (): void => signal.removeEventListener('abort', abort);
    promise.then(
      (value) => {
        settle();
        resolve(value);
      },
      (err: unknown) => {
        settle();
        reject(err);
      },
    );
  });
}
