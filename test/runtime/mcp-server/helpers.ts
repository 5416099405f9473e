/**
 * What the MCP server tests share: the weather agent of the examples (its generated module, the
 * examples' handlers) driven by a FunctionModel that geocodes, asks for the weather and answers,
 * and a connected SDK client.
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { ModelMessage } from 'schemantic';
import type { McpConnection, SchemanticMcpServer } from 'schemantic/mcp/server';
import { FunctionModel } from 'schemantic/testing';
import type { WeatherTools } from '../../../generated/agents/weather.js';
import { weatherTools } from '../../../examples/weather-tools.js';

/** A model that calls get_lat_lng, then get_weather with what it returned, then answers in a sentence. */
export function weatherModel(): FunctionModel {
  return new FunctionModel((messages: readonly ModelMessage[]) => {
    const requests = messages.filter((m) => m.kind === 'request').length;
    if (requests === 1) return [{ kind: 'tool-call', toolName: 'get_lat_lng', toolCallId: 'c1', args: { location_description: 'London' } }];
    if (requests === 2) return [{ kind: 'tool-call', toolName: 'get_weather', toolCallId: 'c2', args: { lat: 51.5, lng: -0.12 } }];
    return 'It is sunny in London, Ann.';
  });
}

/** The examples' handlers, with the weather one replaced. */
export function weatherHandlers(getWeather?: WeatherTools<undefined>['getWeather']): WeatherTools<undefined> {
  return getWeather ? { ...weatherTools, getWeather } : weatherTools;
}

/**
 * A client connected to `server` over an in-memory pair: a 2025-era client (the SDK's default), or
 * one that negotiates the 2026-07-28 revision.
 */
export async function connectedClient(
  server: SchemanticMcpServer,
  era: 'legacy' | 'modern' = 'legacy',
): Promise<{ client: Client; connection: McpConnection }> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const connection = await server.connect(serverSide);
  const client = new Client({ name: 'schemantic-test', version: '1.0.0' }, era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {});
  await client.connect(clientSide);
  return { client, connection };
}

/** A promise with its resolver, for a test to wait on something a handler does. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
