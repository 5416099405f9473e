/**
 * The options of an MCP server (how to reach it, which of its tools to offer), and their checks.
 */
import { UserError } from '../contract/errors.js';
import type { ConnectionSettings } from './mcp-connection.js';

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

/** The options, checked, as a connection takes them. */
export function checkedSettings(options: McpServerOptions): ConnectionSettings {
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
