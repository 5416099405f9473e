/**
 * One connection to an MCP server, through the official SDK's client: connecting (stdio or
 * streamable HTTP), the tool listing (kept current when the server says its tools changed), calls,
 * and every way it can fail turned into an McpError that names the server. A server that dies
 * is noticed by the SDK (its transport closes, which fails the requests in flight); a server that
 * just stops answering is cut off by the timeout. Neither hangs a run.
 */
import type { CallToolResult, Client, Tool } from '@modelcontextprotocol/client';
import { validationDetails } from '../agent/output.js';
import { VERSION } from '../contract/version.js';
import { ListedTool } from './listed-tool.js';
import type { McpToolResult } from './mcp-content.js';
import { loadClientSdk, loadStdioSdk } from './load-mcp-sdk.js';
import { resultOf } from './sdk-results.js';
import { killOnExit } from './stdio-exit-hook.js';
import { McpConnectionError, McpError, McpResultError } from './mcp-errors.js';

/** What a connection is made from: a server's options, checked. */
export interface ConnectionSettings {
  readonly name: string;
  readonly command?: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  readonly url?: URL;
  readonly headers?: Record<string, string>;
  readonly timeoutMs: number;
  readonly include?: ReadonlySet<string>;
  readonly exclude?: ReadonlySet<string>;
}

/** The last lines a stdio server wrote to stderr, for the message of an error it caused. */
class StderrTail {
  #text = '';

  /** Reads the stream to its end (a pipe nobody reads would block the server once full). */
  follow(stream: unknown): void {
    (stream as { on?(event: 'data', listener: (chunk: unknown) => void): void } | null)?.on?.('data', (chunk) => {
      this.#text = (this.#text + String(chunk)).slice(-4000);
    });
  }

  /** `; its stderr ends: ...`, or nothing when it wrote nothing. */
  suffix(): string {
    const lines = this.#text.trim().split('\n').slice(-5).join('\n').slice(-1000);
    return lines === '' ? '' : `; its stderr ends: ${lines}`;
  }
}

/** A connection to one server. */
export class McpConnection {
  /** The tools as last listed, include/exclude applied. */
  tools: readonly ListedTool[] = [];
  /** Grows each time the listing changes. */
  version = 0;
  readonly #settings: ConnectionSettings;
  readonly #stderr = new StderrTail();
  #client!: Client;
  /** The listing under way, if any; `#stale`: asked for again meanwhile. */
  #listing: Promise<void> | undefined;
  #stale = false;
  /** Whether a listing was ever applied. */
  #listed = false;
  #closing: Promise<void> | undefined;
  /** The transport closed without close(), or the URL stopped answering: the server went away. */
  #gone = false;
  #connected = false;
  /** How it went away, when the transport's closing does not say it. */
  #goneHow: string | undefined;
  #forget: (() => void) | undefined;

  private constructor(settings: ConnectionSettings) {
    this.#settings = settings;
  }

  /** Connects (within the timeout; `signal` stops it). */
  static async connect(settings: ConnectionSettings, signal?: AbortSignal): Promise<McpConnection> {
    const connection = new McpConnection(settings);
    await connection.#connect(signal);
    return connection;
  }

  /** False once it is closed or lost: a new one is needed. */
  get usable(): boolean {
    return this.#closing === undefined && !this.#gone;
  }

  async #connect(signal: AbortSignal | undefined): Promise<void> {
    const settings = this.#settings;
    const sdk = await loadClientSdk(settings.name);
    const stdio = settings.command !== undefined ? await loadStdioSdk(settings.name) : undefined;
    // Both transports only create objects here; the process starts, or the URL is first asked, in connect().
    const transport = stdio
      ? new stdio.StdioClientTransport({
          command: settings.command!,
          args: [...settings.args],
          ...(settings.env ? { env: settings.env } : {}),
          ...(settings.cwd !== undefined ? { cwd: settings.cwd } : {}),
          // Kept for error messages rather than mixed into the app's own stderr.
          stderr: 'pipe',
        })
      : new sdk.StreamableHTTPClientTransport(settings.url!, settings.headers ? { requestInit: { headers: settings.headers } } : undefined);
    if (stdio) this.#stderr.follow((transport as { stderr: unknown }).stderr);
    this.#client = new sdk.Client(
      { name: 'schemantic', version: VERSION },
      {
        // The SDK tells when the server says its tools changed; the listing is fetched again here
        // (not by the SDK after a debounce), so that a call can wait for it (see call()).
        listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => void this.relist().catch(() => undefined) } },
      },
    );
    this.#client.onclose = () => this.#closed();
    this.#client.onerror = (err) => this.#transportError(err);
    try {
      await this.#client.connect(transport, { timeout: settings.timeoutMs, ...(signal ? { signal } : {}) });
      this.#connected = true;
    } catch (err) {
      // What a process that died at once wrote comes in after its exit: a moment for it to arrive.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const failure = this.#failure(err, 'connecting', signal, settings.timeoutMs);
      await this.close();
      throw failure;
    }
    const pid = (transport as { pid?: number | null }).pid;
    if (typeof pid === 'number') this.#forget = killOnExit(pid);
  }

  /** The transport closed: by close(), or because the server went away. */
  #closed(): void {
    this.#forget?.();
    if (!this.#closing) this.#gone = true;
  }

  /**
   * An error the transport reports on the side (the SDK goes on). Over HTTP, a stream cut off is
   * resumed, which may well work; but a refused connection means nothing listens there any more:
   * the connection is closed, so that calls in flight fail now rather than at their timeout.
   */
  #transportError(err: unknown): void {
    const code = ((err as { cause?: { code?: unknown } } | null)?.cause ?? {}).code;
    if (!this.#connected || this.#closing || this.#gone || this.#settings.url === undefined || code !== 'ECONNREFUSED') return;
    this.#gone = true;
    this.#goneHow = `${shown(this.#settings.url)} stopped answering (ECONNREFUSED)`;
    void this.#client.close().catch(() => undefined);
  }

  /** The error of a server gone away, noticed while doing `what`. */
  #goneError(what: string, cause?: unknown): McpConnectionError {
    const gone = this.#goneHow ?? (this.#settings.command !== undefined ? 'the server process exited' : 'the server closed the connection');
    return new McpConnectionError(this.#settings.name, `${gone} while ${what}${this.#stderr.suffix()}`, { cause });
  }

  /** The listing, fetched once if it never was. */
  async listed(): Promise<void> {
    if (!this.#listed) await this.relist();
    else await this.settled();
  }

  /**
   * The listing, current for a run that starts: the one held when the server says when its tools
   * change (it would have said), else fetched anew.
   */
  async current(): Promise<void> {
    if (this.#client.getServerCapabilities()?.tools?.listChanged === true) await this.listed();
    else await this.relist();
  }

  /**
   * Fetches the listing again. Requests that come while one is in flight make it fetch once more
   * when it ends, so the last answer applied is never older than the last request.
   */
  relist(): Promise<void> {
    if (this.#listing) {
      this.#stale = true;
      return this.#listing;
    }
    const listing = (async () => {
      try {
        do {
          this.#stale = false;
          await this.#fetchListing();
        } while (this.#stale);
      } finally {
        this.#listing = undefined;
      }
    })();
    this.#listing = listing;
    return listing;
  }

  /** Resolves once a listing under way (if any) is applied; never rejects. */
  async settled(): Promise<void> {
    await this.#listing?.catch(() => undefined);
  }

  async #fetchListing(): Promise<void> {
    if (this.#gone) throw this.#goneError('listing its tools');
    let tools: Tool[];
    try {
      ({ tools } = await this.#client.listTools(undefined, { cacheMode: 'refresh', timeout: this.#settings.timeoutMs }));
    } catch (err) {
      throw this.#failure(err, 'listing its tools', undefined, this.#settings.timeoutMs);
    }
    const { include, exclude } = this.#settings;
    const kept = tools.filter((t) => (include?.has(t.name) ?? true) && !exclude?.has(t.name));
    this.#listed = true;
    const before = JSON.stringify(this.tools.map((t) => t.info));
    const next = kept.map((t) => new ListedTool(this.#settings.name, t));
    if (JSON.stringify(next.map((t) => t.info)) === before && this.version > 0) return;
    this.tools = next;
    this.version += 1;
  }

  /**
   * Calls a tool with arguments already checked. Its structured content, if it has an output
   * schema, is checked against it (McpResultError). `signal` cancels the call.
   */
  async call(tool: ListedTool, args: unknown, options: { signal?: AbortSignal; timeoutMs?: number }): Promise<McpToolResult> {
    if (this.#gone) throw this.#goneError(`calling tool ${tool.info.name}`);
    if (this.#closing) throw new McpConnectionError(this.#settings.name, `cannot call tool ${tool.info.name}: the connection was closed`);
    const timeout = options.timeoutMs ?? this.#settings.timeoutMs;
    const { name, inputSchema } = tool.info;
    let raw: CallToolResult;
    try {
      raw = (await this.#client.callTool(
        { name, arguments: args as Record<string, unknown> },
        {
          timeout,
          ...(options.signal ? { signal: options.signal } : {}),
          // The definition without its output schema: the output is checked below, with the
          // runtime's validator and its errors, rather than by the SDK's.
          toolDefinition: { name, inputSchema } as Tool,
        },
      )) as CallToolResult;
    } catch (err) {
      throw this.#failure(err, `calling tool ${name}`, options.signal, timeout);
    }
    // A server that changes its tools while answering says so before the answer: the new listing
    // is in before the answer is handed on, so a run's next request offers the new tools.
    await this.settled();
    const result = resultOf(raw);
    const validate = result.isError || result.structuredContent === undefined ? undefined : tool.validateOutput();
    if (validate && !validate(structuredClone(result.structuredContent))) {
      throw new McpResultError(this.#settings.name, name, validationDetails(validate));
    }
    return result;
  }

  /** Closes the connection (a stdio server's process ends); never throws. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#forget?.();
      try {
        await this.#client?.close();
      } catch {
        // Closing what is already gone.
      }
    })();
    return this.#closing;
  }

  /** An SDK (or spawn, or fetch) error as the McpError it means; an abort as the signal's reason. */
  #failure(err: unknown, what: string, signal: AbortSignal | undefined, timeoutMs: number): unknown {
    if (signal?.aborted) return signal.reason;
    // Once connected, every failure after the server went away is that; while connecting, the
    // SDK closes the transport itself on any failure, which says nothing of why.
    if (this.#gone && this.#connected) return this.#goneError(what, err);
    const { name, command, url } = this.#settings;
    const e = (err ?? {}) as { code?: unknown; message?: string; syscall?: unknown; status?: unknown; cause?: unknown };
    const message = e.message ?? String(err);
    const options = { cause: err };
    switch (e.code) {
      case 'REQUEST_TIMEOUT':
        return new McpConnectionError(name, `no answer within ${timeoutMs} ms while ${what}`, options);
      case 'CONNECTION_CLOSED':
      case 'NOT_CONNECTED':
      case 'SEND_FAILED':
        return this.#goneError(what, err);
    }
    if (typeof e.syscall === 'string' && e.syscall.startsWith('spawn')) {
      const why = e.code === 'ENOENT' ? 'command not found' : String(e.code ?? message);
      return new McpConnectionError(name, `cannot start ${command} (${why})`, options);
    }
    if (typeof e.status === 'number') return new McpConnectionError(name, `${shown(url)} answered HTTP ${e.status} while ${what}`, options);
    if (url && err instanceof TypeError) {
      const cause = (e.cause ?? {}) as { code?: unknown; message?: string };
      return new McpConnectionError(name, `${shown(url)} does not answer (${String(cause.code ?? cause.message ?? message)}) while ${what}`, options);
    }
    if (typeof e.code === 'number') return new McpError(name, `error ${e.code} while ${what}: ${message}`, { cause: err, code: e.code });
    return new McpError(name, `${what} failed: ${message}`, options);
  }
}

/** A URL as errors show it: without credentials or query, where secrets are often passed. */
function shown(url: URL | undefined): string {
  return url ? `${url.origin}${url.pathname}` : '';
}
