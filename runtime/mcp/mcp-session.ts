/**
 * A run's session over an MCP server's connection: the server's tools as the run's (prefixed,
 * filtered, their arguments checked against the announced schemas), rebuilt when the server's
 * listing changes, and released when the run ends.
 */
import { ModelRetry } from '../contract/errors.js';
import { definitionOf, type RuntimeTool } from '../agent/tools.js';
import type { ToolsetSession } from '../agent/toolset.js';
import { toolReturnOf } from './mcp-content.js';
import type { ListedTool } from './listed-tool.js';
import type { McpConnection } from './mcp-connection.js';
import { McpError } from './mcp-errors.js';

/** JSON-RPC's "invalid params": the server rejected arguments that passed its announced schema. */
const INVALID_PARAMS = -32602;

/** How a session turns the server's tools into a run's. */
export interface SessionSettings {
  readonly server: string;
  readonly prefix: string;
  readonly retries: number;
  /** What the end of the run releases (the connection, when it is the run's own). Never throws. */
  readonly release: () => Promise<void>;
  /** Which of the server's tools the run gets (McpServer.select), by the names the model sees; absent: all. */
  readonly keeps?: (tool: RuntimeTool) => boolean;
}

/** A run's session over a connection. */
export class McpSession implements ToolsetSession {
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
      const tools = this.#connection.tools.filter((t) => t.callable).map((t) => this.#runtimeTool(t));
      const keeps = this.#settings.keeps;
      this.#tools = keeps ? tools.filter(keeps) : tools;
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
