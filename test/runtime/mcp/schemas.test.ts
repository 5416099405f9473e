/**
 * The schemas a server announces: read in their own draft, checked before anything is sent, a
 * structured result checked against its output schema, and a schema that does not compile a
 * typed error naming the server and the tool.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { agent, type ToolCallPart, type ToolDefinition } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { mcpServer, McpArgumentsError, McpResultError, McpSchemaError, type McpServer, type McpServerOptions } from 'schemantic/mcp';
import { toolsServer } from './mcp.helpers.js';

const opened: McpServer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

function fixture(options: Partial<McpServerOptions> = {}, mode?: string): McpServer {
  const server = mcpServer(toolsServer(options, mode));
  opened.push(server);
  return server;
}

const call = (toolName: string, args: Record<string, unknown> = {}): ToolCallPart[] => [{ kind: 'tool-call', toolName, args, toolCallId: 'c1' }];

describe('announced schemas', () => {
  it('reads a draft-07 schema (tuple items) as draft 2020-12, for the model and for the checks', async () => {
    const server = fixture({ include: ['pair'] });
    let shown: ToolDefinition | undefined;
    const model = new FunctionModel((messages, info) => ((shown = info.functionTools[0]), messages.length === 1 ? call('pair', { pair: [1, 2] }) : 'done'));
    await agent({ name: 'tuples', model, toolsets: [server] }).run('go');
    expect(shown?.parametersJsonSchema).toEqual({
      type: 'object',
      properties: { pair: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false } },
      required: ['pair'],
    });
    expect((await server.callTool('pair', { pair: [1, 2] })).content).toEqual([{ type: 'text', text: '3' }]);
    await expect(server.callTool('pair', { pair: [1, 2, 3] })).rejects.toMatchObject({
      problems: [{ path: '/pair', message: 'must NOT have more than 2 items' }],
    });
  });

  it('sends nothing when the arguments do not match', async () => {
    const server = fixture();
    await expect(server.callTool('sleep', { ms: 'soon' })).rejects.toThrow(McpArgumentsError);
    await expect(server.callTool('sleep', {})).rejects.toThrow(
      "MCP server fixture: the arguments of tool sleep do not match its parameters schema: (root) must have required property 'ms'",
    );
    // The server counts the calls it answered: none came before this one.
    expect((await server.callTool('calls', {})).content).toEqual([{ type: 'text', text: '0' }]);
  });

  it('checks structured content against the output schema', async () => {
    const server = fixture();
    expect(await server.callTool('weather', {})).toMatchObject({ structuredContent: { temperature: 21, conditions: 'Sunny' }, isError: false });
    const lie = server.callTool('liar', {});
    await expect(lie).rejects.toThrow(McpResultError);
    await expect(lie).rejects.toMatchObject({
      server: 'fixture',
      tool: 'liar',
      problems: [
        { path: '', message: "must have required property 'conditions'" },
        { path: '/temperature', message: 'must be number' },
      ],
    });
  });

  it("fails a run on a result that breaks its schema (the server's fault, not the model's)", async () => {
    const model = new FunctionModel((messages) => (messages.length === 1 ? call('liar') : 'done'));
    await expect(agent({ name: 'lied-to', model, toolsets: [fixture()] }).run('go')).rejects.toThrow(McpResultError);
  });

  it('a schema Ajv cannot compile is an McpSchemaError naming the server and the tool, and exclude leaves the tool out', async () => {
    const model = new FunctionModel(() => 'done');
    const run = agent({ name: 'broken', model, toolsets: [fixture({ name: 'shaky' }, 'bad-schema')] }).run('go');
    await expect(run).rejects.toThrow(McpSchemaError);
    await expect(run).rejects.toMatchObject({ server: 'shaky', tool: 'broken' });
    await expect(run).rejects.toThrow(
      /^MCP server shaky: the parameters schema of tool broken does not compile \(.+\); leave the tool out with exclude: \["broken"\]$/,
    );

    const listed = fixture({ name: 'shaky' }, 'bad-schema');
    expect((await listed.listTools()).map((t) => t.name)).toContain('broken');
    await expect(listed.callTool('broken', {})).rejects.toThrow(McpSchemaError);

    const result = await agent({ name: 'mended', model, toolsets: [fixture({ name: 'shaky', exclude: ['broken'] }, 'bad-schema')] }).run('go');
    expect(result.output).toBe('done');
  });
});
