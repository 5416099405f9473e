/**
 * What an MCP server lists: connects with the official client (`@modelcontextprotocol/client`:
 * a process over stdio, or streamable HTTP), reads every page of `tools/list` and the server's
 * name and version, and disconnects (a stdio server is stopped). Everything is bounded by one
 * timeout, and every failure becomes a PullError of one line that says what happened in words.
 */
import path from 'node:path';
import type { Readable } from 'node:stream';
import { VERSION } from 'schemantic/internal';
import type { IRMcpConnection } from '../../compiler/ir/types.js';
import { joinCommandLine } from './command-line.js';

/** How to reach a server: a command (stdio) or a URL (streamable HTTP), as the definitions say it. */
export type McpTarget = IRMcpConnection;

/** One tool as the server lists it: the fields a pulled file records. */
export interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: unknown;
  outputSchema?: unknown;
  annotations?: Record<string, unknown>;
}

/** A server's answer to `tools/list`, with who it is. */
export interface Listing {
  server: { name: string; version: string; title?: string };
  tools: ListedTool[];
}

/** A server that could not be listed: the message is one line, naming the server. */
export class PullError extends Error {}

/** At most this many pages of `tools/list`: a server that keeps handing out cursors is not listing tools. */
const MAX_PAGES = 100;

/** Lists the tools of the server `target` reaches, within `timeoutMs` in all. `cwd` is where a command runs. */
export async function listTools(target: McpTarget, options: { timeoutMs: number; cwd: string }): Promise<Listing> {
  const label = target.url ?? joinCommandLine([target.command!, ...(target.args ?? [])]);
  const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
  const client = new Client({ name: 'schemantic-pull', version: VERSION });
  // The last lines the server wrote to stderr: what it says when it exits at once.
  const said: string[] = [];
  let transport;
  if (target.url !== undefined) {
    transport = new StreamableHTTPClientTransport(new URL(target.url), target.headers ? { requestInit: { headers: target.headers } } : undefined);
  } else {
    const { StdioClientTransport, getDefaultEnvironment } = await import('@modelcontextprotocol/client/stdio');
    transport = new StdioClientTransport({
      command: target.command!,
      ...(target.args ? { args: target.args } : {}),
      // The SDK passes only a few safe variables (PATH, HOME, ...) unless told otherwise: the same ones, and the definitions' own.
      ...(target.env ? { env: { ...getDefaultEnvironment(), ...target.env } } : {}),
      cwd: path.resolve(options.cwd, target.cwd ?? '.'),
      stderr: 'pipe',
    });
    (transport.stderr as Readable | null)?.on('data', (chunk: Buffer) => {
      said.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line.trim() !== ''),
      );
      said.splice(0, Math.max(0, said.length - 3));
    });
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PullError(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
  });
  const bounded = <T>(work: Promise<T>): Promise<T> => Promise.race([work, deadline]);
  try {
    await bounded(client.connect(transport, { timeout: options.timeoutMs }));
    const tools: ListedTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await bounded(client.listTools(cursor === undefined ? undefined : { cursor }, { timeout: options.timeoutMs }));
      tools.push(...result.tools.map(listedTool));
      cursor = result.nextCursor;
      if (cursor === undefined) break;
    }
    if (cursor !== undefined) throw new PullError(`tools/list still had more pages after ${MAX_PAGES}`);
    const info = client.getServerVersion();
    return {
      server: { name: info?.name ?? '', version: info?.version ?? '', ...(info?.title !== undefined ? { title: info.title } : {}) },
      tools,
    };
  } catch (err) {
    // A server that failed is stopped at once: the SDK's close would first give it seconds to exit on its own.
    const pid = 'pid' in transport ? transport.pid : null;
    if (pid !== null) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    throw new PullError(`MCP server ${label}: ${explain(err, target, said)}`, { cause: err });
  } finally {
    clearTimeout(timer);
    // Closing stops a stdio server (the SDK ends its input, then signals it); one already gone is fine.
    await client.close().catch(() => undefined);
  }
}

/** The fields of a listed tool a pulled file records, as the server gave them. */
function listedTool(tool: {
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  inputSchema: unknown;
  outputSchema?: unknown;
  annotations?: object | undefined;
}): ListedTool {
  return {
    name: tool.name,
    ...(tool.title !== undefined ? { title: tool.title } : {}),
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema !== undefined ? { outputSchema: tool.outputSchema } : {}),
    ...(tool.annotations !== undefined ? { annotations: { ...tool.annotations } as Record<string, unknown> } : {}),
  };
}

/** Why listing failed, in words (the SDK's messages, such as "Connection closed", say little). */
function explain(err: unknown, target: McpTarget, said: readonly string[]): string {
  if (err instanceof PullError) return err.message;
  const e = err as { code?: unknown; message?: unknown; status?: unknown };
  const message = firstLine(typeof e.message === 'string' ? e.message : String(err));
  const saying = said.length > 0 ? ` (it said: ${firstLine(said[said.length - 1]!)})` : '';
  if (e.code === 'ENOENT') return `command "${target.command}" not found`;
  if (e.code === 'EACCES') return `command "${target.command}" cannot be run (permission denied)`;
  if (e.code === 'CONNECTION_CLOSED') return target.url !== undefined ? 'the server closed the connection' : `the server exited before it answered${saying}`;
  if (e.code === 'REQUEST_TIMEOUT') return `no answer in time${saying}`;
  if (typeof e.status === 'number') return `the URL answered HTTP ${e.status}`;
  const cause = causeCode(err);
  if (cause === 'ECONNREFUSED') return 'nothing answers at the URL (connection refused)';
  if (cause === 'ENOTFOUND' || cause === 'EAI_AGAIN') return 'the URL names a host that cannot be found';
  if (cause !== undefined) return `${message} (${cause})`;
  const reason = (err as { cause?: { message?: unknown } } | null)?.cause?.message;
  return typeof reason === 'string' ? `${message} (${firstLine(reason)})` : message + saying;
}

/** The first system error code (`ECONNREFUSED`) down an error's cause chain: fetch hides it there. */
function causeCode(err: unknown): string | undefined {
  let e = (err as { cause?: unknown } | null)?.cause;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
