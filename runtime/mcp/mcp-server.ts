/**
 * An MCP server as a toolset: its tools in agent runs (`toolsets: [mcpServer({...})]`), and
 * called directly (`listTools`, `callTool`, as generated typed clients do).
 */
import { UserError } from '../contract/errors.js';
import { validationDetails } from '../agent/output.js';
import type { RuntimeTool } from '../agent/tools.js';
import type { Toolset, ToolsetSession } from '../agent/toolset.js';
import type { McpToolInfo, McpToolResult } from './mcp-content.js';
import { McpConnection, type ConnectionSettings } from './mcp-connection.js';
import { McpArgumentsError, McpError } from './mcp-errors.js';
import { checkedSettings, type McpServerOptions } from './mcp-server-options.js';
import { McpSession } from './mcp-session.js';

export type { McpServerOptions } from './mcp-server-options.js';

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
  open(run: { signal?: AbortSignal }): Promise<ToolsetSession> {
    return this.#open(run, undefined);
  }

  /** {@link open}, the session keeping only the tools `keeps` keeps (see select). */
  async #open(run: { signal?: AbortSignal }, keeps: ((tool: RuntimeTool) => boolean) | undefined): Promise<ToolsetSession> {
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
    const session = new McpSession(connection, { server: this.name, prefix: this.#prefix, retries: this.#retries, release, ...(keeps ? { keeps } : {}) });
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
      open: (run) => this.#open(run, keeps),
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
