/**
 * How long a connection lives, and how it ends: per run or held for the agent, cut by an abort,
 * lost when the server dies mid-run (a typed error, not a hang), and never outliving the process.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { agent, type ModelMessage, type ToolCallPart } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { mcpServer, McpConnectionError, type McpServer, type McpServerOptions } from 'schemantic/mcp';
import { alive, eventually, lastReturn, toolsServer, TOOLS_SERVER } from './mcp.helpers.js';

const opened: McpServer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

function fixture(options: Partial<McpServerOptions> = {}): McpServer {
  const server = mcpServer(toolsServer(options));
  opened.push(server);
  return server;
}

let n = 0;
const call = (toolName: string, args: Record<string, unknown> = {}): ToolCallPart[] => [{ kind: 'tool-call', toolName, args, toolCallId: `call-${++n}` }];

/** A model that calls `pid`, then ends the run with the pid it got. */
const pidModel = () => new FunctionModel((messages) => (messages.length === 1 ? call('pid') : String(lastReturn(messages))));

describe('connection lifetime', () => {
  it("'run': each run starts the server and stops it when the run ends", async () => {
    const helper = agent({ name: 'per-run', model: pidModel(), toolsets: [fixture({ lifetime: 'run' })] });
    const first = Number((await helper.run('go')).output);
    expect(await eventually(() => !alive(first))).toBe(true);
    const second = Number((await helper.run('go')).output);
    expect(second).not.toBe(first);
    expect(await eventually(() => !alive(second))).toBe(true);
  });

  it("'agent' (the default): one connection serves every run until close()", async () => {
    const server = fixture();
    const helper = agent({ name: 'held', model: pidModel(), toolsets: [server] });
    const first = Number((await helper.run('go')).output);
    const second = Number((await helper.run('go')).output);
    expect(second).toBe(first);
    expect(alive(first)).toBe(true);
    // Direct calls use the same connection.
    expect((await server.callTool('pid', {})).content).toEqual([{ type: 'text', text: String(first) }]);
    await server.close();
    expect(await eventually(() => !alive(first))).toBe(true);
  });

  it('an abort rejects a call in flight at once, with the reason, and the connection goes on', async () => {
    const server = fixture();
    const controller = new AbortController();
    const reason = new Error('the user left');
    setTimeout(() => controller.abort(reason), 100);
    await expect(server.callTool('sleep', { ms: 20_000 }, { signal: controller.signal })).rejects.toBe(reason);
    expect((await server.callTool('calls', {})).isError).toBe(false);
  });

  it("an aborted run rejects while its MCP call is in flight, and closes a 'run' connection", async () => {
    let pid = 0;
    const model = new FunctionModel((messages) => {
      if (messages.length === 1) return call('pid');
      pid = Number(lastReturn(messages));
      return call('sleep', { ms: 20_000 });
    });
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const run = agent({ name: 'aborted', model, toolsets: [fixture({ lifetime: 'run' })] }).run('go', { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 300);
    await expect(run).rejects.toBe(reason);
    expect(await eventually(() => !alive(pid))).toBe(true);
  });

  it('a server killed mid-run fails the run with McpConnectionError (not at the timeout), and the next run connects again', async () => {
    const server = fixture();
    const model = new FunctionModel((messages: readonly ModelMessage[]) => {
      if (messages.length === 1) return call('pid');
      const pid = Number(lastReturn(messages));
      setTimeout(() => process.kill(pid, 'SIGKILL'), 100);
      return call('sleep', { ms: 20_000 });
    });
    const run = agent({ name: 'orphaned', model, toolsets: [server] }).run('go');
    await expect(run).rejects.toThrow(McpConnectionError);
    await expect(run).rejects.toThrow('MCP server fixture: the server process exited while calling tool sleep');
    const next = Number((await agent({ name: 'again', model: pidModel(), toolsets: [server] }).run('go')).output);
    expect(alive(next)).toBe(true);
  });

  it('a server left open is killed when the process exits', () => {
    // A script that connects, prints the server's pid, and exits without closing anything; the
    // server is one that does not stop when its stdin closes.
    // The entry point's source, run through tsx (the built one is rebuilt by every test run).
    const mcp = fileURLToPath(new URL('../../../runtime/mcp/index.ts', import.meta.url));
    const script = `
      const { mcpServer } = await import(${JSON.stringify(mcp)});
      const server = mcpServer({ name: 'left', command: process.execPath, args: [${JSON.stringify(TOOLS_SERVER)}, 'stubborn'] });
      const { content } = await server.callTool('pid', {});
      console.log(content[0].text);
      process.exit(0);
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.status).toBe(0);
    const pid = Number(child.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    return eventually(() => !alive(pid)).then((gone) => expect(gone).toBe(true));
  });
});
