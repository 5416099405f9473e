/**
 * What the MCP client tests share: the servers they start (the official reference server
 * `@modelcontextprotocol/server-everything`, over stdio or streamable HTTP on 127.0.0.1, and the
 * fixture server of fixtures/tools-server.mjs), and ways to look at processes and histories.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ModelMessage, RequestPart } from 'schemantic';
import type { McpServerOptions } from 'schemantic/mcp';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The reference server's entry point (its package's bin), run with Node itself. */
export const EVERYTHING = `${root}node_modules/@modelcontextprotocol/server-everything/dist/index.js`;

/** The fixture server. */
export const TOOLS_SERVER = fileURLToPath(new URL('./fixtures/tools-server.mjs', import.meta.url));

/** Options for the reference server over stdio. */
export function everythingStdio(extra: Partial<McpServerOptions> = {}): McpServerOptions {
  return { name: 'everything', command: process.execPath, args: [EVERYTHING, 'stdio'], ...extra };
}

/** Options for the fixture server (`mode`: see the fixture). */
export function toolsServer(extra: Partial<McpServerOptions> = {}, mode?: string): McpServerOptions {
  return { name: 'fixture', command: process.execPath, args: mode ? [TOOLS_SERVER, mode] : [TOOLS_SERVER], ...extra };
}

/** A port nothing listens on (it was free a moment ago). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The reference server over streamable HTTP on 127.0.0.1; stop it with `stop()`. */
export async function startEverythingHttp(): Promise<{ url: string; child: ChildProcess; stop(): void }> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (chunk) => {
      seen += String(chunk);
      if (seen.includes('listening on port')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the reference server exited (${code}): ${seen}`)));
  });
  return { url: `http://127.0.0.1:${port}/mcp`, child, stop: () => void child.kill() };
}

/** Whether a process is running. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `check` holds (a process has exited, say), up to `ms`. */
export async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** The request parts of a history (tool returns and retry prompts), in order. */
export function requestParts(messages: readonly ModelMessage[]): RequestPart[] {
  return messages.flatMap((m) => (m.kind === 'request' ? m.parts : []));
}

/** The parts of a given kind of a history's requests. */
export function partsOf<K extends RequestPart['kind']>(messages: readonly ModelMessage[], kind: K): Extract<RequestPart, { kind: K }>[] {
  return requestParts(messages).filter((p): p is Extract<RequestPart, { kind: K }> => p.kind === kind);
}

/** The content of the last tool return in the messages a model has seen. */
export function lastReturn(messages: readonly ModelMessage[]): unknown {
  return partsOf(messages, 'tool-return').at(-1)?.content;
}
