/**
 * An MCP server's tools in agent runs, on a scripted model: the model sees them under the prefix,
 * filtered; their answers come back as tool returns; what the model gets wrong (arguments that
 * do not match the announced schema) and what the tool reports as an error come back as retry
 * prompts, within the retry budget.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { agent, UnexpectedModelBehavior, UserError, type ModelMessage, type ToolCallPart, type ToolDefinition } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { mcpServer, type McpServer } from 'schemantic/mcp';
import { everythingStdio, partsOf } from './mcp.helpers.js';

const opened: McpServer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

/** The reference server over stdio with the tools prefixed `ev_`, only those named. */
function everything(include: string[], retries?: number): McpServer {
  const server = mcpServer(everythingStdio({ prefix: 'ev_', include, ...(retries !== undefined ? { retries } : {}) }));
  opened.push(server);
  return server;
}

let n = 0;
const call = (toolName: string, args: Record<string, unknown>): ToolCallPart => ({ kind: 'tool-call', toolName, args, toolCallId: `call-${++n}` });

/** A model that answers each request with the next step of the script (then ends the run). */
function scripted(steps: ((messages: readonly ModelMessage[]) => ToolCallPart[] | string)[]) {
  const offered: string[][] = [];
  const definitions: ToolDefinition[][] = [];
  const model = new FunctionModel((messages, info) => {
    definitions.push(info.functionTools);
    offered.push(info.functionTools.map((t) => t.name).sort());
    const step = steps[offered.length - 1];
    return step ? step(messages) : 'done';
  });
  return { model, offered, definitions };
}

describe('an MCP server as a toolset of a run', () => {
  it('offers the included tools under the prefix, with their descriptions and schemas, and returns their answers', async () => {
    const { model, offered, definitions } = scripted([() => [call('ev_echo', { message: 'hi' }), call('ev_get-sum', { a: 1, b: 2 })]]);
    const result = await agent({ name: 'mcp-user', model, toolsets: [everything(['echo', 'get-sum'])] }).run('go');
    expect(offered[0]).toEqual(['ev_echo', 'ev_get-sum']);
    expect(definitions[0]!.find((d) => d.name === 'ev_echo')).toEqual({
      name: 'ev_echo',
      description: 'Echoes back the input string',
      // Draft 2020-12, as every schema a model is shown: the server's draft-07 `$schema` is gone.
      parametersJsonSchema: { type: 'object', properties: { message: { type: 'string', description: 'Message to echo' } }, required: ['message'] },
      kind: 'function',
    });
    expect(partsOf(result.allMessages(), 'tool-return').map((p) => [p.toolName, p.content])).toEqual([
      ['ev_echo', 'Echo: hi'],
      ['ev_get-sum', 'The sum of 1 and 2 is 3.'],
    ]);
    expect(result.output).toBe('done');
  });

  it('turns arguments that do not match the announced schema into a retry prompt listing the problems', async () => {
    const { model } = scripted([() => [call('ev_get-sum', { a: 'one' })], () => [call('ev_get-sum', { a: 1, b: 1 })]]);
    const result = await agent({ name: 'mcp-user', model, toolsets: [everything(['get-sum'])] }).run('go');
    const [retry] = partsOf(result.allMessages(), 'retry-prompt');
    expect(retry).toMatchObject({
      toolName: 'ev_get-sum',
      content: [
        { path: '', message: "must have required property 'b'" },
        { path: '/a', message: 'must be number' },
      ],
    });
    expect(partsOf(result.allMessages(), 'tool-return').map((p) => p.content)).toEqual(['The sum of 1 and 1 is 2.']);
  });

  it('turns a tool error (isError) into a retry prompt with its text', async () => {
    const { model } = scripted([() => [call('ev_get-resource-reference', { resourceId: 0 })], () => [call('ev_get-resource-reference', { resourceId: 2 })]]);
    const result = await agent({ name: 'mcp-user', model, toolsets: [everything(['get-resource-reference'])] }).run('go');
    expect(partsOf(result.allMessages(), 'retry-prompt')).toMatchObject([
      { toolName: 'ev_get-resource-reference', content: 'Invalid resourceId: 0. Must be a finite positive integer.\n\nFix the errors and try again.' },
    ]);
    // Several blocks: an array of plain items, the embedded resource as its uri and text.
    expect(partsOf(result.allMessages(), 'tool-return')[0]!.content).toEqual([
      'Returning resource reference for Resource 2:',
      {
        type: 'resource',
        uri: 'demo://resource/dynamic/text/2',
        mimeType: 'text/plain',
        text: expect.stringContaining('Resource 2: This is a plaintext resource'),
      },
      'You can access this resource using the URI: demo://resource/dynamic/text/2',
    ]);
  });

  it('stops the run when the model keeps failing past the retry budget', async () => {
    const { model } = scripted([0, 1, 2].map(() => () => [call('ev_get-resource-reference', { resourceId: 0 })]));
    const run = agent({ name: 'mcp-user', model, toolsets: [everything(['get-resource-reference'], 1)] }).run('go');
    await expect(run).rejects.toThrow(UnexpectedModelBehavior);
    await expect(run).rejects.toThrow('tool ev_get-resource-reference exceeded its maximum of 1 retries');
  });

  it('returns structured content as it is, and images described without their base64 data', async () => {
    const { model } = scripted([() => [call('ev_get-structured-content', { location: 'New York' }), call('ev_get-tiny-image', {})]]);
    const result = await agent({ name: 'mcp-user', model, toolsets: [everything(['get-structured-content', 'get-tiny-image'])] }).run('go');
    const [weather, image] = partsOf(result.allMessages(), 'tool-return').map((p) => p.content);
    expect(weather).toEqual({ temperature: 33, conditions: 'Cloudy', humidity: 82 });
    expect(image).toEqual([
      "Here's the image you requested:",
      { type: 'image', mimeType: 'image/png', bytes: expect.any(Number) },
      'The image above is the MCP logo.',
    ]);
    expect((image as { bytes: number }[])[1]!.bytes).toBeGreaterThan(1000);
  });

  it('refuses two servers whose tools share a name, and a prefix keeps them apart', async () => {
    const model = new FunctionModel(() => 'done');
    const [first, second] = ['a', 'b'].map((name) => mcpServer(everythingStdio({ name, include: ['echo'] })));
    opened.push(first!, second!);
    const clash = agent({ name: 'twins', model, toolsets: [first!] }).run('go', { toolsets: [second!] });
    await expect(clash).rejects.toThrow(UserError);
    await expect(clash).rejects.toThrow(
      'agent twins: two tools are named echo (tool echo of MCP server b and tool echo of MCP server a); give the toolset a prefix',
    );
    const { model: calling, offered } = scripted([]);
    const a = mcpServer(everythingStdio({ name: 'a', include: ['echo'], prefix: 'a_' }));
    const b = mcpServer(everythingStdio({ name: 'b', include: ['echo'], prefix: 'b_' }));
    opened.push(a, b);
    await agent({ name: 'twins', model: calling, toolsets: [a, b] }).run('go');
    expect(offered[0]).toEqual(['a_echo', 'b_echo']);
  });

  it('offers every tool without include, except those the server runs only as tasks', async () => {
    const server = mcpServer(everythingStdio({ prefix: 'ev_' }));
    opened.push(server);
    const { model, offered } = scripted([]);
    await agent({ name: 'mcp-user', model, toolsets: [server] }).run('go');
    expect(offered[0]).toEqual(expect.arrayContaining(['ev_echo', 'ev_get-sum', 'ev_get-tiny-image', 'ev_trigger-long-running-operation']));
    // Announced with `execution.taskSupport: 'required'`: listed, but a plain call cannot run it.
    expect((await server.listTools()).map((t) => t.name)).toContain('simulate-research-query');
    expect(offered[0]).not.toContain('ev_simulate-research-query');
  });

  it('takes MCP servers as run toolsets too', async () => {
    const { model, offered } = scripted([() => [call('ev_echo', { message: 'per run' })]]);
    const result = await agent({ name: 'mcp-user', model }).run('go', { toolsets: [everything(['echo'])] });
    expect(offered[0]).toEqual(['ev_echo']);
    expect(partsOf(result.allMessages(), 'tool-return').map((p) => p.content)).toEqual(['Echo: per run']);
  });
});
