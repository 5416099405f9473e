/**
 * The client against the official reference server (`@modelcontextprotocol/server-everything`),
 * over both transports: its tools are listed as it announces them, calls answer with its content
 * mapped to Schemantic's types, and arguments that do not match the announced schema never leave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpServer, McpArgumentsError, McpError, type McpServer } from 'schemantic/mcp';
import { everythingStdio, startEverythingHttp } from './mcp.helpers.js';

let http: Awaited<ReturnType<typeof startEverythingHttp>>;
beforeAll(async () => {
  http = await startEverythingHttp();
});
afterAll(() => http?.stop());

describe.each([
  ['stdio', () => mcpServer(everythingStdio())],
  ['streamable HTTP', () => mcpServer({ name: 'everything', url: http.url })],
])('the reference server over %s', (_transport, make) => {
  let server: McpServer;
  beforeAll(() => {
    server = make();
  });
  afterAll(() => server.close());

  it('lists its tools as announced, schemas and annotations included', async () => {
    const tools = await server.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-structured-content', 'get-tiny-image']));
    const echo = tools.find((t) => t.name === 'echo')!;
    expect(echo).toMatchObject({
      title: 'Echo Tool',
      description: 'Echoes back the input string',
      inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
      annotations: { readOnlyHint: true },
    });
    expect(tools.find((t) => t.name === 'get-structured-content')!.outputSchema).toMatchObject({ required: ['temperature', 'conditions', 'humidity'] });
  });

  it('calls echo and get-sum (a numeric string read as a number, as for any tool)', async () => {
    expect(await server.callTool('echo', { message: 'hello' })).toEqual({ content: [{ type: 'text', text: 'Echo: hello' }], isError: false });
    expect(await server.callTool('get-sum', { a: 2, b: '40' })).toEqual({
      content: [{ type: 'text', text: 'The sum of 2 and 40 is 42.' }],
      isError: false,
    });
  });

  it('gives structured content, checked against the output schema', async () => {
    const result = await server.callTool('get-structured-content', { location: 'Chicago' });
    expect(result.structuredContent).toEqual({ temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 });
    expect(result.isError).toBe(false);
  });

  it('gives images as base64 with their type', async () => {
    const { content } = await server.callTool('get-tiny-image', {});
    expect(content.map((c) => c.type)).toEqual(['text', 'image', 'text']);
    expect(content[1]).toMatchObject({ type: 'image', mimeType: 'image/png', data: expect.stringMatching(/^iVBORw0KGgo/) });
  });

  it('gives resource links and embedded resources', async () => {
    const links = await server.callTool('get-resource-links', { count: 2 });
    expect(links.content[1]).toMatchObject({ type: 'resource_link', uri: 'demo://resource/dynamic/blob/1', name: 'Blob Resource 1' });
    const embedded = await server.callTool('get-resource-reference', { resourceType: 'Text', resourceId: 2 });
    expect(embedded.content[1]).toMatchObject({ type: 'resource', uri: 'demo://resource/dynamic/text/2', mimeType: 'text/plain', text: expect.any(String) });
  });

  it('reports a tool error as a result with isError', async () => {
    const result = await server.callTool('get-resource-reference', { resourceId: 0 });
    expect(result).toEqual({ content: [{ type: 'text', text: 'Invalid resourceId: 0. Must be a finite positive integer.' }], isError: true });
  });

  it('refuses arguments that do not match the announced schema, listing every problem', async () => {
    const call = server.callTool('get-sum', { a: 'two' });
    await expect(call).rejects.toThrow(McpArgumentsError);
    await expect(call).rejects.toMatchObject({
      server: 'everything',
      tool: 'get-sum',
      problems: [
        { path: '', message: "must have required property 'b'" },
        { path: '/a', message: 'must be number' },
      ],
      message:
        "MCP server everything: the arguments of tool get-sum do not match its parameters schema: (root) must have required property 'b'; /a must be number",
    });
  });

  it('names the tools there are when asked for one that is not there', async () => {
    await expect(server.callTool('no-such-tool', {})).rejects.toThrow(McpError);
    await expect(server.callTool('no-such-tool', {})).rejects.toThrow(/MCP server everything: there is no tool no-such-tool \(there are: echo, /);
  });
});
