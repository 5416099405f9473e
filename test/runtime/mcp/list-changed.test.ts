/**
 * A server that changes its tools (`notifications/tools/list_changed`) is listed again: the
 * session's version grows, and a run offers the new tools from its next request on.
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

function fixture(): McpServer {
  const server = mcpServer(toolsServer({ prefix: 'fx_', exclude: ['liar'] }));
  opened.push(server);
  return server;
}

const call = (toolName: string, toolCallId: string): ToolCallPart[] => [{ kind: 'tool-call', toolName, args: {}, toolCallId }];

describe('tools that change', () => {
  it("offers a tool the server added during the run's previous step", async () => {
    const offered: string[][] = [];
    const model = new FunctionModel((_messages, info) => {
      offered.push(info.functionTools.map((t) => t.name));
      if (offered.length === 1) return call('fx_grow', 'c1');
      if (offered.length === 2) return call('fx_added', 'c2');
      return 'done';
    });
    const result = await agent({ name: 'growing', model, toolsets: [fixture()] }).run('go');
    expect(offered[0]).not.toContain('fx_added');
    expect(offered[1]).toContain('fx_added');
    expect(partsOf(result.allMessages(), 'tool-return').map((p) => p.content)).toEqual(['grown', 'added here']);
  });

  it("grows the session's version once the new listing is in", async () => {
    const server = fixture();
    const session = await server.open({});
    const before = session.version;
    expect(session.tools().map((t) => t.definition.name)).not.toContain('fx_added');
    await server.callTool('grow', {});
    expect(session.version).toBeGreaterThan(before);
    expect(session.tools().map((t) => t.definition.name)).toContain('fx_added');
    expect((await server.listTools()).map((t) => t.name)).toContain('added');
    await session.close();
  });
});
