/**
 * Shared pieces of the adapter tests: a canary API key that must never show up anywhere, models
 * wired to a replay server through the real SDK clients, and a helper that runs a test against a
 * server and checks that every recorded exchange was used; and the requests, tools and schemas
 * several test files send.
 */
import { expect } from 'vitest';
import { defineTool, type ModelMessage, type ModelRequestParameters, type UserContent } from 'schemantic';
import { AnthropicModel, type AnthropicModelOptions } from 'schemantic/anthropic';
import { OpenAIChatModel, type OpenAIChatModelOptions } from 'schemantic/openai';
import { startReplayServer, type Exchange, type ReplayServer } from './replay-server.js';

/** A key-shaped secret given to every client: it must never appear in an error, log or history. */
export const CANARY_KEY = 'sk-canary-5f0c2a9e7d1b44c8a3e6-do-not-leak';

/** Runs `test` against a server replaying `exchanges`, then checks they were all requested. */
export async function withReplay<T>(exchanges: readonly Exchange[], test: (server: ReplayServer) => Promise<T>): Promise<T> {
  const server = await startReplayServer(exchanges);
  try {
    const value = await test(server);
    await server.settled();
    server.assertConsumed();
    return value;
  } finally {
    await server.close();
  }
}

/** An OpenAI model whose SDK client talks to the replay server (no retries unless asked). */
export function openaiModel(server: ReplayServer, modelName: string, options: OpenAIChatModelOptions = {}, basePath = '/v1'): OpenAIChatModel {
  return OpenAIChatModel.connect(modelName, { apiKey: CANARY_KEY, baseURL: server.url + basePath, maxRetries: 0, ...options });
}

/** An Anthropic model whose SDK client talks to the replay server (no retries unless asked). */
export function anthropicModel(server: ReplayServer, modelName: string, options: AnthropicModelOptions = {}): AnthropicModel {
  return AnthropicModel.connect(modelName, { apiKey: CANARY_KEY, baseURL: server.url, maxRetries: 0, ...options });
}

/** The JSON bodies the server received, for a snapshot of what the adapter sent. */
export function sentBodies(server: ReplayServer): string {
  return (
    JSON.stringify(
      server.requests.map((r) => r.body),
      null,
      2,
    ) + '\n'
  );
}

/** Asserts that nothing in `values` (errors with their stacks and causes, histories, logs) holds the canary key. */
export function expectNoCanary(...values: unknown[]): void {
  const seen = new Set<unknown>();
  const text = (value: unknown): string => {
    if (value === null || typeof value !== 'object') return String(value);
    if (seen.has(value)) return '';
    seen.add(value);
    if (value instanceof Error) {
      const own = Object.getOwnPropertyNames(value).map((k) => text((value as unknown as Record<string, unknown>)[k]));
      return [value.message, value.stack ?? '', ...own, text((value as { cause?: unknown }).cause)].join('\n');
    }
    try {
      return JSON.stringify(value) ?? '';
    } catch {
      return Object.values(value).map(text).join('\n');
    }
  };
  for (const value of values) expect(text(value)).not.toContain(CANARY_KEY.slice(3));
}

/** The parameters of a plain request: no tools, text output. */
export const noTools: ModelRequestParameters = { functionTools: [], outputTools: [], outputMode: 'text', allowText: true };

/** A conversation of one user message. */
export function userPrompt(content: string | UserContent[]): ModelMessage[] {
  return [{ kind: 'request', parts: [{ kind: 'user-prompt', content, timestamp: '' }] }];
}

/** The output schema of the recorded "largest city in the user's country" runs. */
export const cityOutput = { type: 'object', properties: { city: { type: 'string' }, country: { type: 'string' } }, required: ['city', 'country'] };

/** The tool of those runs: the user's country. */
export const userCountry = defineTool({
  name: 'get_user_country',
  parameters: { type: 'object', properties: {}, additionalProperties: false },
  handler: () => 'Mexico',
});
