/**
 * The streamable HTTP face of `createMcpServer`: `serveHttp` on 127.0.0.1 driven by the SDK's
 * client, in the 2025 era (sessions: a cancellation reaches the run) and in the 2026 era, the
 * `fetch` handler mounted without a socket, requests addressed to another host refused, and the
 * errors of a non-loopback address and of a port in use.
 */
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMcpServer, specTools, type SchemanticMcpServer } from 'schemantic/mcp/server';
import { createWeatherAgent, weatherSpec } from '../../../generated/agents/weather.js';
import { deferred, weatherHandlers, weatherModel } from './helpers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function weatherServer(getWeather?: Parameters<typeof weatherHandlers>[0]): SchemanticMcpServer {
  const handlers = weatherHandlers(getWeather);
  const server = createMcpServer({
    name: 'weather',
    agents: { weather: createWeatherAgent({ tools: handlers, model: weatherModel() }) },
    tools: specTools(weatherSpec, handlers, ['get_lat_lng']),
  });
  cleanup.push(() => server.close());
  return server;
}

async function connect(url: string | URL, options: { modern?: boolean; fetch?: typeof fetch } = {}): Promise<Client> {
  const client = new Client({ name: 'schemantic-test', version: '1.0.0' }, options.modern ? { versionNegotiation: { mode: 'auto' } } : {});
  await client.connect(new StreamableHTTPClientTransport(new URL(url), options.fetch ? { fetch: options.fetch } : {}));
  cleanup.push(() => client.close());
  return client;
}

const weatherCall = { name: 'weather', arguments: { prompt: 'Weather in London?', context: { user_name: 'Ann' } } };

describe('serveHttp', () => {
  it.each([
    ['2025-era', false],
    ['2026-era', true],
  ])('serves a %s client: tools, a run with progress notifications, a tool', async (_era, modern) => {
    const listener = await weatherServer().serveHttp({ port: 0 });
    expect(listener.url).toBe(`http://127.0.0.1:${listener.port}/mcp`);
    const client = await connect(listener.url, { modern });
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['weather', 'get_lat_lng']);
    const progress: unknown[] = [];
    const result = await client.callTool(weatherCall, { onprogress: (p) => progress.push(p) });
    expect(result.content).toEqual([{ type: 'text', text: 'It is sunny in London, Ann.' }]);
    expect(progress).toHaveLength(5);
    const tool = await client.callTool({ name: 'get_lat_lng', arguments: { location_description: 'Paris' } });
    expect(tool).toMatchObject({ content: [{ type: 'text', text: '{"lat":51.5,"lng":-1.99}' }], structuredContent: { lat: 51.5, lng: -1.99 } });
    // A 2026-era result carries the server's info in its `_meta`: the era was negotiated.
    expect(tool._meta !== undefined).toBe(modern);
    expect(await client.callTool({ name: 'get_lat_lng', arguments: {} })).toMatchObject({ isError: true });
  });

  it.each([
    ['2025-era', false],
    ['2026-era', true],
  ])('aborts the run when a %s client cancels the request', async (_era, modern) => {
    const started = deferred();
    const aborted = deferred();
    const server = weatherServer(async (ctx) => {
      started.resolve();
      await new Promise<void>((resolve) => ctx.signal!.addEventListener('abort', () => resolve(), { once: true }));
      aborted.resolve();
      return { temperature: '?', description: '?' };
    });
    const listener = await server.serveHttp({ port: 0 });
    const client = await connect(listener.url, { modern });
    const controller = new AbortController();
    const call = client.callTool(weatherCall, { signal: controller.signal });
    await started.promise;
    controller.abort();
    await expect(call).rejects.toThrow();
    await aborted.promise;
  });

  it('refuses requests addressed to another host name, and answers 404 off its path', async () => {
    const listener = await weatherServer().serveHttp({ port: 0 });
    const status = (path: string, host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: listener.port,
            path,
            method: 'POST',
            headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'initialize',
            params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
          }),
        );
      });
    expect(await status('/mcp', 'evil.example.com')).toBe(403);
    expect(await status('/mcp', `localhost:${listener.port}`)).toBe(200);
    expect(await status('/other', `127.0.0.1:${listener.port}`)).toBe(404);
  });

  it('listens on loopback addresses only, and says when the port is taken', async () => {
    const server = weatherServer();
    await expect(server.serveHttp({ host: '0.0.0.0', port: 0 })).rejects.toThrow(
      'serveHttp: "0.0.0.0" is not a loopback address; the MCP server listens on 127.0.0.1, another 127.x.x.x, ::1 or localhost only',
    );
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as { port: number }).port;
    await expect(server.serveHttp({ port })).rejects.toThrow(`cannot listen on 127.0.0.1:${port}: the port is already in use`);
  });
});

describe('fetch', () => {
  it('is the endpoint as a web-standard handler, for an app to mount', async () => {
    const server = weatherServer();
    const client = await connect('http://localhost/mcp', { fetch: (input, init) => server.fetch(new Request(input, init)) });
    const result = await client.callTool(weatherCall);
    expect(result.content).toEqual([{ type: 'text', text: 'It is sunny in London, Ann.' }]);
  });
});
