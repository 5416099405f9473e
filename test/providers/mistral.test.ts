/**
 * `mistral:` models: Mistral's chat completions are OpenAI's wire format at
 * api.mistral.ai/v1/chat/completions, so they go through the `openai` SDK with a profile; what
 * differs (the content chunks of its reasoning models) is mapped there. Recorded Mistral traffic,
 * plus one written stream (see the cassettes' README).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { agent, collectStream, resolveModel, UnsupportedContentError, type ModelMessage, type ModelStreamEvent } from 'schemantic';
import 'schemantic/openai';
import { masked } from '../helpers/messages.js';
import { CANARY_KEY, expectNoCanary, noTools, sentBodies, userPrompt, withReplay } from './harness.js';
import { loadCassette, type ReplayServer } from './replay-server.js';

/** Points `mistral:` models at the replay server, the key being the canary. */
function useServer(server: ReplayServer): void {
  vi.stubEnv('MISTRAL_API_KEY', CANARY_KEY);
  vi.stubEnv('MISTRAL_BASE_URL', `${server.url}/v1`);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('Mistral: requests and responses', () => {
  it('forwards presence and frequency penalties', async () => {
    await withReplay(loadCassette('mistral/test_mistral_forwards_penalties.yaml'), async (server) => {
      useServer(server);
      const model = await resolveModel('mistral:mistral-large-latest');
      expect([model.system, model.name]).toEqual(['mistral', 'mistral-large-latest']);
      const response = await model.request(userPrompt('hello'), { presencePenalty: 0.5, frequencyPenalty: 0.25, topP: 1 }, noTools);
      expect(response.parts).toEqual([{ kind: 'text', content: expect.stringMatching(/^Hello! .* How can I assist you today\?/) }]);
      expect(response.usage).toEqual({ inputTokens: 4, outputTokens: 36 });
      expect(server.requests[0]!.path).toBe('/v1/chat/completions');
      expect(server.requests[0]!.body).toEqual({
        model: 'mistral-large-latest',
        messages: [{ role: 'user', content: 'hello' }],
        top_p: 1,
        presence_penalty: 0.5,
        frequency_penalty: 0.25,
      });
      expectNoCanary(response);
    });
  });

  it('reports prompt-cache reads in usage, with the cache key sent through extraBody', async () => {
    await withReplay(loadCassette('mistral/test_mistral_history_uses_prompt_cache.yaml'), async (server) => {
      useServer(server);
      const prefix = Array(24).fill('Retain this instruction prefix for the entire conversation.').join(' ');
      const cached = agent({ name: 'cache', model: 'mistral:mistral-large-latest', systemPrompt: prefix });
      const modelSettings = { extraBody: { prompt_cache_key: 'pydantic-ai-test-mistral-history-cache' } };
      const first = await cached.run('Reply with exactly: cache probe one.', { modelSettings });
      expect(first.output).toBe('cache probe one.');
      const second = await cached.run('Reply with exactly: cache probe two.', { messageHistory: first.allMessages(), modelSettings });
      expect(second.output).toBe('cache probe two.');
      const usages = [first.allMessages()[1]!, second.allMessages()[3]!].map((m) => m.kind === 'response' && m.usage);
      // A zero count of cached tokens is no detail; 224 of the second request's 268 were read from the cache.
      expect(usages).toEqual([
        { inputTokens: 253, outputTokens: 5 },
        { inputTokens: 268, outputTokens: 5, details: { cacheReadTokens: 224 } },
      ]);
      const bodies = server.requests.map((r) => r.body as { prompt_cache_key: string; messages: { role: string; content: string }[] });
      expect(bodies.map((b) => b.prompt_cache_key)).toEqual(['pydantic-ai-test-mistral-history-cache', 'pydantic-ai-test-mistral-history-cache']);
      expect(bodies[1]!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/mistral-prompt-cache.json');
    });
  });

  it("maps Magistral's thinking and text content chunks to parts, and sends no thinking back", async () => {
    // The cassette's first exchange is the OpenAI Responses call that made the history's first
    // answer; that answer is written here by hand, and only the Mistral exchange is replayed.
    const [, mistralExchange] = loadCassette('mistral/test_mistral_model_thinking_part.yaml');
    const recorded = mistralExchange!.request.body as { messages: { role: string; content: unknown }[] };
    const answer = (recorded.messages[1]!.content as { type: string; text?: string }[]).find((c) => c.type === 'text')!.text!;
    const history: ModelMessage[] = [
      ...userPrompt('How do I cross the street?'),
      {
        kind: 'response',
        parts: [
          { kind: 'thinking', content: '**Providing crossing guidelines**', provider: 'openai' },
          { kind: 'text', content: answer },
        ],
        modelName: 'o3-mini-2025-01-31',
        timestamp: '',
        usage: { inputTokens: 13, outputTokens: 1616 },
      },
      ...userPrompt('Considering the way to cross the street, analogously, how do I cross the river?'),
    ];
    await withReplay([mistralExchange!], async (server) => {
      useServer(server);
      const response = await (await resolveModel('mistral:magistral-medium-latest')).request(history, undefined, noTools);
      expect(response.parts.map((p) => p.kind)).toEqual(['thinking', 'text']);
      expect(response.parts[0]).toMatchObject({
        kind: 'thinking',
        provider: 'mistral',
        content: expect.stringMatching(/^\*\*Analogizing crossing a river\*\*/),
      });
      expect(response.parts[1]).toMatchObject({ kind: 'text', content: expect.stringMatching(/^Crossing a river is quite different from crossing a street/) });
      expect(response.usage).toEqual({ inputTokens: 664, outputTokens: 747 });
      const sent = server.requests[0]!.body as { messages: unknown[] };
      expect(sent.messages[1]).toEqual({ role: 'assistant', content: answer });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/mistral-thinking.json');
    });
  });

  it('sends a text document given as bytes inline, framed with its id and type', async () => {
    await withReplay(loadCassette('mistral/test_text_document_as_binary_content_input.yaml'), async (server) => {
      useServer(server);
      const document = { kind: 'binary' as const, data: Buffer.from('Dummy TXT file\n').toString('base64'), mediaType: 'text/plain', identifier: 'f58746' };
      const result = await agent({ name: 'reader', model: 'mistral:mistral-large-latest' }).run(['What is the main content on this document?', document]);
      expect(result.output).toMatch(/^The document you provided is a \*\*dummy text file\*\*/);
      const recorded = loadCassette('mistral/test_text_document_as_binary_content_input.yaml')[0]!.request.body as { messages: unknown };
      expect((server.requests[0]!.body as { messages: unknown }).messages).toEqual(recorded.messages);
    });
  });

  it('raises UnsupportedContentError naming mistral for PDFs and documents by URL, before any request', async () => {
    await withReplay([], async (server) => {
      useServer(server);
      const model = await resolveModel('mistral:mistral-large-latest');
      const pdf = { kind: 'binary' as const, data: 'JVBERi0=', mediaType: 'application/pdf' };
      const byBytes = await model.request(userPrompt(['Summarise.', pdf]), undefined, noTools).catch((e: unknown) => e);
      expect(UnsupportedContentError.isInstance(byBytes)).toBe(true);
      expect((byBytes as Error).message).toBe('mistral chat models take images and text files, not application/pdf');
      const byUrl = await model.request(userPrompt([{ kind: 'document-url', url: 'https://example.com/a.pdf' }]), undefined, noTools).catch((e: unknown) => e);
      expect(UnsupportedContentError.isInstance(byUrl)).toBe(true);
      expect((byUrl as Error).message).toMatch(/^mistral chat models do not take documents by URL/);
      expect(server.requests).toHaveLength(0);
    });
  });
});

describe('Mistral: streaming (written fixture)', () => {
  it('streams thinking and text content chunks into one thinking part and one text part', async () => {
    await withReplay(loadCassette('mistral/written-mistral-thinking-stream.yaml'), async (server) => {
      useServer(server);
      const model = await resolveModel('mistral:magistral-medium-latest');
      const events: ModelStreamEvent[] = [];
      const response = await collectStream(
        (async function* () {
          for await (const event of model.requestStream(userPrompt('What is the capital of France?'), undefined, noTools)) {
            events.push(event);
            yield event;
          }
        })(),
      );
      expect(masked(response.parts)).toEqual([
        { kind: 'thinking', content: 'The user asks for the capital of France. It is Paris.', provider: 'mistral' },
        { kind: 'text', content: 'The capital of France is Paris.' },
      ]);
      expect(response.usage).toEqual({ inputTokens: 10, outputTokens: 24 });
      expect(response.finishReason).toBe('stop');
      expect(events.filter((e) => e.kind === 'part-start').length).toBe(2);
      expect(server.requests[0]!.body).toMatchObject({ model: 'magistral-medium-latest', stream: true });
    });
  });
});
