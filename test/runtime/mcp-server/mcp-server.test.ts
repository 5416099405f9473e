/**
 * `createMcpServer` driven by the MCP SDK's own client over an in-memory pair: what tools/list
 * shows (input and output schemas of agents and tools), calls of an agent and of tools (text,
 * structured content, wrapped non-object values, content blocks), `isError` results for invalid
 * arguments and failing handlers, progress notifications during a run, and a cancelled request
 * aborting the run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { agent, defineTool, type ModelMessage } from 'schemantic';
import {
  createMcpServer,
  ENTRY_SHAPE,
  reportProgress,
  serverFromEntry,
  specTools,
  toolContent,
  type McpServerOptions,
  type SchemanticMcpServer,
} from 'schemantic/mcp/server';
import { FunctionModel } from 'schemantic/testing';
import { createWeatherAgent, weatherSpec } from '../../../generated/agents/weather.js';
import { createSqlGenAgent } from '../../../generated/agents/sql-gen.js';
import { connectedClient, deferred, weatherHandlers, weatherModel } from './helpers.js';

const servers: SchemanticMcpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function serve<Deps>(options: McpServerOptions<Deps>): SchemanticMcpServer {
  const server = createMcpServer(options);
  servers.push(server);
  return server;
}

function weatherServer(getWeather?: Parameters<typeof weatherHandlers>[0]) {
  const handlers = weatherHandlers(getWeather);
  return serve({
    name: 'weather',
    version: '1.2.3',
    agents: { weather: createWeatherAgent({ tools: handlers, model: weatherModel() }) },
    tools: specTools(weatherSpec, handlers),
  });
}

describe('tools/list', () => {
  it("shows the agent's input (prompt and context) and each tool's parameters and returns", async () => {
    const { client } = await connectedClient(weatherServer());
    expect(client.getServerVersion()).toMatchObject({ name: 'weather', version: '1.2.3' });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['weather', 'get_lat_lng', 'get_weather']);
    const [weather, getLatLng] = tools;
    expect(weather).toMatchObject({
      description: 'Answers questions about the weather, one sentence at a time.',
      inputSchema: {
        type: 'object',
        properties: {
          prompt: { type: 'string', description: 'What to ask the weather agent.' },
          context: { type: 'object', properties: { user_name: { type: 'string' } }, required: ['user_name'] },
        },
        required: ['prompt', 'context'],
        additionalProperties: false,
      },
    });
    // A text agent answers in text: no structured content, no output schema.
    expect(weather!.outputSchema).toBeUndefined();
    expect(getLatLng).toMatchObject({
      description: 'Get the latitude and longitude of a location.',
      inputSchema: { type: 'object', required: ['location_description'], additionalProperties: false },
      // The generated `{"$ref": "#/$defs/LatLng"}` is inlined: MCP wants an object schema at the root.
      outputSchema: { type: 'object', properties: { lat: { type: 'number' }, lng: { type: 'number' } }, required: ['lat', 'lng'] },
    });
  });

  it("makes the context optional when the server gives a default one, and lists the server's tools", async () => {
    const server = serve({
      name: 'weather',
      agents: { forecast: createWeatherAgent({ tools: weatherHandlers(), model: weatherModel() }) },
      context: { user_name: 'there' },
    });
    expect(server.tools.map((t) => t.name)).toEqual(['forecast']);
    const { client } = await connectedClient(server);
    const [forecast] = (await client.listTools()).tools;
    expect(forecast!.inputSchema.required).toEqual(['prompt']);
    const result = await client.callTool({ name: 'forecast', arguments: { prompt: 'Weather in London?' } });
    expect(result.content).toEqual([{ type: 'text', text: 'It is sunny in London, Ann.' }]);
  });
});

describe('calling an agent', () => {
  it('runs it with the prompt and context, and answers with its text output', async () => {
    const seen: { prompt: unknown; instructions: unknown }[] = [];
    const model = new FunctionModel((messages: readonly ModelMessage[]) => {
      const first = messages[0]!;
      if (first.kind === 'request') seen.push({ prompt: first.parts.find((p) => p.kind === 'user-prompt')?.content, instructions: first.instructions });
      return 'Sunny.';
    });
    const { client } = await connectedClient(serve({ name: 'w', agents: { weather: createWeatherAgent({ tools: weatherHandlers(), model }) } }));
    const result = await client.callTool({ name: 'weather', arguments: { prompt: 'Weather in Paris?', context: { user_name: 'Ann' } } });
    expect(result).toEqual({ content: [{ type: 'text', text: 'Sunny.' }] });
    expect(seen).toEqual([{ prompt: 'Weather in Paris?', instructions: expect.stringContaining('The user is Ann.') }]);
  });

  it('answers a structured output as structured content, with the output schema of the agent', async () => {
    const answer = { city: 'London', temperature: 21, sunny: true };
    const forecast = agent<undefined, typeof answer>({
      name: 'forecast',
      description: 'Forecasts the weather.',
      model: new FunctionModel(() => [{ kind: 'tool-call', toolName: 'final_result', toolCallId: 'f', args: answer }]),
      output: {
        type: 'object',
        properties: { city: { type: 'string' }, temperature: { type: 'number' }, sunny: { type: 'boolean' } },
        required: ['city', 'temperature', 'sunny'],
        additionalProperties: false,
      },
    });
    const { client } = await connectedClient(serve({ name: 'f', agents: { forecast } }));
    const [tool] = (await client.listTools()).tools;
    expect(tool).toMatchObject({ inputSchema: { required: ['prompt'] }, outputSchema: { type: 'object', required: ['city', 'temperature', 'sunny'] } });
    const result = await client.callTool({ name: 'forecast', arguments: { prompt: 'London?' } });
    expect(result).toEqual({ content: [{ type: 'text', text: JSON.stringify(answer) }], structuredContent: answer });
  });

  it('wraps a non-object output, a union of members here, as { output } (schema and value)', async () => {
    const sql = createSqlGenAgent({
      model: new FunctionModel(() => [{ kind: 'tool-call', toolName: 'final_result_Success', toolCallId: 's', args: { sql_query: 'SELECT 1' } }]),
    });
    const { client } = await connectedClient(serve({ name: 'sql', agents: { sql_gen: sql } }));
    const [tool] = (await client.listTools()).tools;
    expect(tool!.outputSchema).toMatchObject({
      type: 'object',
      properties: { output: { anyOf: [{ $ref: '#/$defs/Success' }, { $ref: '#/$defs/InvalidRequest' }] } },
      required: ['output'],
      $defs: { Success: { type: 'object' }, InvalidRequest: { type: 'object' } },
    });
    const context = { db_schema: 'CREATE TABLE records (id int)', today: '2026-01-02', examples: [] };
    const result = await client.callTool({ name: 'sql_gen', arguments: { prompt: 'everything', context } });
    // The generated validator filled in the default explanation.
    const output = { sql_query: 'SELECT 1', explanation: '' };
    expect(result).toEqual({ content: [{ type: 'text', text: JSON.stringify(output) }], structuredContent: { output } });
  });

  it('answers invalid arguments with isError and every problem, without running the agent', async () => {
    let requests = 0;
    const model = new FunctionModel(() => (requests++, 'never'));
    const { client } = await connectedClient(serve({ name: 'w', agents: { weather: createWeatherAgent({ tools: weatherHandlers(), model }) } }));
    const missing = await client.callTool({ name: 'weather', arguments: { prompt: 42, extra: true } });
    expect(missing).toEqual({
      isError: true,
      content: [
        {
          type: 'text',
          text: [
            'Invalid arguments for tool weather:',
            '- (root): must NOT have additional properties: extra',
            '- /prompt: must be string',
            "- (root): must have required property 'context'",
          ].join('\n'),
        },
      ],
    });
    const badContext = await client.callTool({ name: 'weather', arguments: { prompt: 'hi', context: { user_name: 7 } } });
    expect(badContext).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: 'Invalid arguments for tool weather:\n- /context/user_name: must be string' }],
    });
    expect(requests).toBe(0);
  });

  it('answers a failed run with isError and the message, never the stack', async () => {
    const handlers = weatherHandlers(async () => {
      throw new Error('weather service down');
    });
    const errors: unknown[] = [];
    const server = serve({
      name: 'w',
      agents: { weather: createWeatherAgent({ tools: handlers, model: weatherModel() }) },
      onError: (error, tool) => errors.push([tool, (error as Error).message]),
    });
    const { client } = await connectedClient(server);
    const result = await client.callTool({ name: 'weather', arguments: { prompt: 'hi', context: { user_name: 'Ann' } } });
    expect(result).toEqual({ isError: true, content: [{ type: 'text', text: 'The weather agent failed: weather service down' }] });
    expect(errors).toEqual([['weather', 'weather service down']]);
  });

  it('sends a progress notification per model request and tool call when the client asks for them', async () => {
    const { client } = await connectedClient(weatherServer());
    const progress: { progress: number; message?: string }[] = [];
    const result = await client.callTool(
      { name: 'weather', arguments: { prompt: 'Weather in London?', context: { user_name: 'Ann' } } },
      { onprogress: (p) => progress.push(p) },
    );
    expect(result.content).toEqual([{ type: 'text', text: 'It is sunny in London, Ann.' }]);
    expect(progress).toEqual([
      { progress: 1, message: 'model request 1 answered: get_lat_lng' },
      { progress: 2, message: 'tool get_lat_lng returned' },
      { progress: 3, message: 'model request 2 answered: get_weather' },
      { progress: 4, message: 'tool get_weather returned' },
      { progress: 5, message: 'model request 3 answered' },
    ]);
  });

  it('serves a client of the 2026-07-28 revision the same way', async () => {
    const { client } = await connectedClient(weatherServer(), 'modern');
    const progress: unknown[] = [];
    const result = await client.callTool(
      { name: 'weather', arguments: { prompt: 'Weather in London?', context: { user_name: 'Ann' } } },
      { onprogress: (p) => progress.push(p) },
    );
    expect(result).toMatchObject({
      content: [{ type: 'text', text: 'It is sunny in London, Ann.' }],
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'weather' } },
    });
    expect(progress).toHaveLength(5);
    expect(await client.callTool({ name: 'get_lat_lng', arguments: { location_description: 'Paris' } })).toMatchObject({
      structuredContent: { lat: 51.5, lng: -1.99 },
    });
  });

  it.each(['legacy', 'modern'] as const)('aborts the run when a %s client cancels the request', async (era) => {
    const started = deferred();
    const aborted = deferred<unknown>();
    const server = weatherServer(async (ctx) => {
      started.resolve();
      // A slow weather service that stops when the run is cancelled.
      await new Promise<void>((resolve) => ctx.signal!.addEventListener('abort', () => resolve(), { once: true }));
      aborted.resolve(ctx.signal!.reason);
      return { temperature: '?', description: 'cancelled' };
    });
    const { client } = await connectedClient(server, era);
    const controller = new AbortController();
    const call = client.callTool({ name: 'weather', arguments: { prompt: 'hi', context: { user_name: 'Ann' } } }, { signal: controller.signal });
    await started.promise;
    controller.abort('the user changed their mind');
    await expect(call).rejects.toThrow();
    // The abort reached the run: the handler's signal fired.
    await expect(aborted.promise).resolves.toBeDefined();
  });
});

describe('calling a tool', () => {
  it('answers with JSON text and structured content, checked against the returns schema', async () => {
    const { client } = await connectedClient(weatherServer());
    const result = await client.callTool({ name: 'get_weather', arguments: { lat: 1, lng: 2 } });
    const value = { temperature: '21 °C', description: 'Sunny at 1, 2' };
    expect(result).toEqual({ content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value });
  });

  it("answers invalid arguments with isError and the tool validator's problems", async () => {
    const { client } = await connectedClient(weatherServer());
    const result = await client.callTool({ name: 'get_weather', arguments: { lat: 'north', lng: 500, extra: 1 } });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      {
        type: 'text',
        text: [
          'Invalid arguments for tool get_weather:',
          '- (root): must NOT have additional properties: extra',
          '- /lat: must be number',
          '- /lng: must be <= 180',
        ].join('\n'),
      },
    ]);
  });

  it('serves hand-written tools: wrapped non-object returns, errors, content blocks and progress', async () => {
    const errors: string[] = [];
    const roll = defineTool<{ sides: number }, number>({
      name: 'roll_die',
      description: 'Rolls a die.',
      parameters: { type: 'object', properties: { sides: { type: 'integer', minimum: 2 } }, required: ['sides'] },
      returns: { type: 'integer' },
      handler: (_ctx, { sides }) => sides,
    });
    const broken = defineTool({
      name: 'broken',
      parameters: { type: 'object' },
      handler: () => {
        throw new TypeError('cannot read the token sk-abcdefghijklmnop');
      },
    });
    const lying = defineTool({ name: 'lying', parameters: { type: 'object' }, returns: { type: 'string' }, handler: () => 42 });
    const picture = defineTool({
      name: 'picture',
      parameters: { type: 'object' },
      handler: () =>
        toolContent([
          { type: 'text', text: 'A red pixel:' },
          { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
        ]),
    });
    const slow = defineTool<Record<string, never>, string, { steps: number }>({
      name: 'slow',
      parameters: { type: 'object' },
      handler: async (ctx) => {
        for (let i = 1; i <= ctx.deps.steps; i++) await reportProgress(ctx, { progress: i, total: ctx.deps.steps, message: `step ${i}` });
        return 'done';
      },
    });
    const server = serve({ name: 'tools', tools: { dice: roll, broken, lying, picture, slow }, deps: { steps: 2 }, onError: (_e, tool) => errors.push(tool) });
    const { client } = await connectedClient(server);
    const listed = (await client.listTools()).tools;
    expect(listed.map((t) => t.name)).toEqual(['dice', 'broken', 'lying', 'picture', 'slow']);
    expect(listed[0]!.outputSchema).toEqual({ type: 'object', properties: { output: { type: 'integer' } }, required: ['output'], additionalProperties: false });
    expect(await client.callTool({ name: 'dice', arguments: { sides: 6 } })).toEqual({
      content: [{ type: 'text', text: '6' }],
      structuredContent: { output: 6 },
    });
    expect(await client.callTool({ name: 'dice', arguments: { sides: 1 } })).toMatchObject({
      isError: true,
      content: [{ text: 'Invalid arguments for tool dice:\n- /sides: must be >= 2' }],
    });
    expect(await client.callTool({ name: 'broken', arguments: {} })).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'Tool broken failed: cannot read the token [redacted]' }],
    });
    expect(await client.callTool({ name: 'lying', arguments: {} })).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'Tool lying returned a value that does not match its returns schema: (root) must be string' }],
    });
    expect(await client.callTool({ name: 'picture', arguments: {} })).toEqual({
      content: [
        { type: 'text', text: 'A red pixel:' },
        { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
      ],
    });
    const progress: unknown[] = [];
    expect((await client.callTool({ name: 'slow', arguments: {} }, { onprogress: (p) => progress.push(p) })).content).toEqual([{ type: 'text', text: 'done' }]);
    expect(progress).toEqual([
      { progress: 1, total: 2, message: 'step 1' },
      { progress: 2, total: 2, message: 'step 2' },
    ]);
    expect(errors).toEqual(['broken', 'lying']);
  });
});

describe('createMcpServer', () => {
  it.each([
    [{ name: '' }, 'createMcpServer: `name` must be a non-empty string (the server name MCP clients show)'],
    [{ name: 'x' }, 'createMcpServer: nothing to serve: give agents, tools, or both'],
    [
      { name: 'x', agents: { weather: { run() {} } } },
      'createMcpServer: agents.weather is not an agent (make it with a generated create<Name>Agent factory, agent() or defineAgent)',
    ],
    [
      { name: 'x', tools: [{ name: 'a' }] },
      'createMcpServer: tools[0] is not a tool: give a tool made with defineTool ({ name, parameters, handler }) or a generated tool with its handler ({ spec: getLatLngTool, handler }, or specTools(weatherSpec, weatherTools))',
    ],
    [
      { name: 'x', tools: { 'get weather': specTools(weatherSpec, weatherHandlers())[0]! } },
      'createMcpServer: tools.get weather cannot be served as "get weather": MCP tool names are 1 to 128 letters, digits, "_", "-" or "."',
    ],
    [
      { name: 'x', agents: { get_lat_lng: createWeatherAgent({ tools: weatherHandlers() }) }, tools: specTools(weatherSpec, weatherHandlers()) },
      'createMcpServer: agents.get_lat_lng and tools[0] are both named get_lat_lng; MCP tool names must differ',
    ],
  ])('refuses %j', (options, message) => {
    expect(() => createMcpServer(options as never)).toThrow(message);
  });

  it('says which tool specTools cannot find', () => {
    expect(() => specTools(weatherSpec, weatherHandlers(), ['get_wether'])).toThrow(
      'specTools: agent weather has no tool get_wether (its tools: get_lat_lng, get_weather)',
    );
    expect(() => specTools(weatherSpec, { getLatLng: () => ({ lat: 0, lng: 0 }) })).toThrow(
      'specTools: no handler for tool get_weather of agent weather: the handlers have no function getWeather',
    );
    expect(specTools(weatherSpec, weatherHandlers(), ['get_weather']).map((t) => t.spec.name)).toEqual(['get_weather']);
  });
});

describe('serverFromEntry', () => {
  const options = { name: 'weather', agents: { weather: createWeatherAgent({ tools: weatherHandlers(), model: weatherModel() }) } };

  it('takes the options, a server, or a function returning either, from `mcp` or the default export', async () => {
    const made = serve(options);
    expect(await serverFromEntry({ default: made }, 'mcp.ts')).toBe(made);
    const fromOptions = await serverFromEntry({ mcp: options, default: 'ignored' }, 'mcp.ts');
    servers.push(fromOptions);
    expect(fromOptions.tools.map((t) => t.name)).toEqual(['weather']);
    const fromFunction = await serverFromEntry({ default: async () => options }, 'mcp.ts');
    servers.push(fromFunction);
    expect(fromFunction.name).toBe('weather');
  });

  it('says what the module should export', async () => {
    await expect(serverFromEntry({}, 'mcp.ts')).rejects.toThrow(`mcp.ts exports neither \`mcp\` nor a default; it should ${ENTRY_SHAPE}`);
    await expect(serverFromEntry({ default: 'weather' }, 'mcp.ts')).rejects.toThrow(`mcp.ts: its default export is a string; it should ${ENTRY_SHAPE}`);
    await expect(serverFromEntry({ mcp: { name: 'x' } }, 'mcp.ts')).rejects.toThrow('mcp.ts: its `mcp` export: nothing to serve: give agents, tools, or both');
  });
});
