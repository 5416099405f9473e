/**
 * Some of a server's tools for a run (`server.select({ include | exclude })`), as an agent whose
 * definitions filter a server gets them: only the tools the filter keeps are offered, on top of
 * the server's own include/exclude, read again when the server's list changes; a name the server
 * does not list keeps nothing and is no error (the generator checks names statically).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { agent, type ToolCallPart } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { mcpServer, type McpServer } from 'schemantic/mcp';
import { partsOf, toolsServer } from './mcp.helpers.js';

const opened: McpServer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

/** The fixture server with its tools prefixed `fx_`, without `liar`. */
function fixture(): McpServer {
  const server = mcpServer(toolsServer({ prefix: 'fx_', exclude: ['liar'] }));
  opened.push(server);
  return server;
}

/** A model that records the tools each request offers and plays `steps`, then ends the run. */
function scripted(steps: ToolCallPart[][] = []) {
  const offered: string[][] = [];
  const model = new FunctionModel((_messages, info) => {
    offered.push(info.functionTools.map((t) => t.name).sort());
    return steps[offered.length - 1] ?? 'done';
  });
  return { model, offered };
}

const call = (toolName: string, toolCallId: string): ToolCallPart[] => [{ kind: 'tool-call', toolName, args: {}, toolCallId }];

describe('McpServer.select', () => {
  it('offers only the included tools, by the server names, and calls them', async () => {
    const { model, offered } = scripted([call('fx_pid', 'c1')]);
    const result = await agent({ name: 'picky', model, toolsets: [fixture().select({ include: ['pid', 'refuse'] })] }).run('go');
    expect(offered[0]).toEqual(['fx_pid', 'fx_refuse']);
    expect(partsOf(result.allMessages(), 'tool-return').map((p) => p.toolName)).toEqual(['fx_pid']);
    expect(result.output).toBe('done');
  });

  it('leaves out the excluded tools, on top of the server its own exclude', async () => {
    const { model, offered } = scripted();
    await agent({ name: 'picky', model, toolsets: [fixture().select({ exclude: ['sleep', 'grow'] })] }).run('go');
    expect(offered[0]).toContain('fx_pid');
    expect(offered[0]).not.toContain('fx_sleep');
    expect(offered[0]).not.toContain('fx_grow');
    expect(offered[0]).not.toContain('fx_liar');
  });

  it('ignores a name the server does not list (or leaves out itself)', async () => {
    const { model, offered } = scripted();
    await agent({ name: 'picky', model, toolsets: [fixture().select({ include: ['pid', 'no-such-tool', 'liar'] })] }).run('go');
    expect(offered[0]).toEqual(['fx_pid']);
  });

  it("offers a kept tool the server added during the run's previous step", async () => {
    const { model, offered } = scripted([call('fx_grow', 'c1'), call('fx_added', 'c2')]);
    const result = await agent({ name: 'growing', model, toolsets: [fixture().select({ include: ['grow', 'added'] })] }).run('go');
    expect(offered[0]).toEqual(['fx_grow']);
    expect(offered[1]).toEqual(['fx_added', 'fx_grow']);
    expect(partsOf(result.allMessages(), 'tool-return').map((p) => p.content)).toEqual(['grown', 'added here']);
  });

  it("runs on the server's connection: a held one is the one direct calls use", async () => {
    const server = fixture();
    const { model } = scripted([call('fx_pid', 'c1')]);
    const result = await agent({ name: 'picky', model, toolsets: [server.select({ include: ['pid'] })] }).run('go');
    const [returned] = partsOf(result.allMessages(), 'tool-return').map((p) => p.content);
    const direct = await server.callTool('pid', {});
    expect(direct.content).toEqual([{ type: 'text', text: returned }]);
  });
});
