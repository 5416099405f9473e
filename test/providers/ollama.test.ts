/**
 * `ollama:` models against Ollama's OpenAI-compatible API (localhost:11434/v1/chat/completions),
 * through the `openai` SDK. No recording of Ollama exists: these fixtures were written from its
 * documented shape and its server code (see the cassettes' README), and say so in their names.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { agent, collectStream, defineTool, ModelHTTPError, resolveModel } from 'schemantic';
import 'schemantic/openai';
import { masked } from '../helpers/messages.js';
import { CANARY_KEY, expectNoCanary, noTools, sentBodies, userPrompt, withReplay } from './harness.js';
import { loadCassette, type ReplayServer } from './replay-server.js';

/** Points `ollama:` models at the replay server; a local Ollama takes no key unless one is set. */
function useServer(server: ReplayServer, key?: string): void {
  vi.stubEnv('OLLAMA_BASE_URL', `${server.url}/v1`);
  vi.stubEnv('OLLAMA_API_KEY', key ?? '');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('Ollama (written fixtures)', () => {
  it('answers text without an API key, at /v1/chat/completions', async () => {
    await withReplay(loadCassette('ollama/written-ollama-text.yaml'), async (server) => {
      useServer(server);
      const result = await agent({ name: 'capital', model: 'ollama:llama3.2', instructions: 'You are a helpful assistant.' }).run(
        'What is the capital of France?',
      );
      expect(result.output).toBe('The capital of France is Paris.');
      expect(masked(result.allMessages()[1])).toEqual({
        kind: 'response',
        parts: [{ kind: 'text', content: 'The capital of France is Paris.' }],
        modelName: 'llama3.2',
        timestamp: '<timestamp>',
        usage: { inputTokens: 30, outputTokens: 8 },
        finishReason: 'stop',
        providerResponseId: 'chatcmpl-412',
        providerDetails: { finishReason: 'stop' },
      });
      expect(server.requests[0]!.path).toBe('/v1/chat/completions');
      // The SDK insists on a key: a keyless local server gets a placeholder, never someone's real key.
      expect(server.requests[0]!.headers['authorization']).toBe('Bearer none');
      const recorded = loadCassette('ollama/written-ollama-text.yaml')[0]!.request.body;
      expect(server.requests[0]!.body).toEqual(recorded);
    });
  });

  it("runs a tool call, keeps a thinking model's reasoning, and sends the tool result back", async () => {
    await withReplay(loadCassette('ollama/written-ollama-tool-call.yaml'), async (server) => {
      useServer(server, CANARY_KEY);
      const weather = defineTool<{ city: string }>({
        name: 'get_weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
        handler: (_ctx, args) => (args.city === 'Paris' ? 'Sunny, 21 C' : 'unknown'),
      });
      const result = await agent({ name: 'weather', model: 'ollama:qwen3', tools: [weather] }).run('What is the weather in Paris?');
      expect(result.output).toBe('It is sunny in Paris, 21 C.');
      const call = result.allMessages()[1]!;
      expect(call.kind === 'response' && call.parts).toEqual([
        { kind: 'thinking', content: 'The user wants the weather in Paris: call get_weather.', provider: 'ollama' },
        { kind: 'tool-call', toolName: 'get_weather', args: '{"city":"Paris"}', toolCallId: 'call_k3b9x2fq' },
      ]);
      expect(call.kind === 'response' && call.finishReason).toBe('tool-call');
      // What was sent matches the documented request shape the fixture was written with.
      const recorded = loadCassette('ollama/written-ollama-tool-call.yaml').map((e) => e.request.body);
      expect(server.requests.map((r) => r.body)).toEqual(recorded);
      expect(server.requests[0]!.headers['authorization']).toBe(`Bearer ${CANARY_KEY}`);
      expectNoCanary(result.allMessages());
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/ollama-tool-call.json');
    });
  });

  it('streams reasoning then text, with the usage of the final chunk', async () => {
    await withReplay(loadCassette('ollama/written-ollama-stream.yaml'), async (server) => {
      useServer(server);
      const model = await resolveModel('ollama:qwen3');
      const response = await collectStream(model.requestStream(userPrompt('Hello'), undefined, noTools));
      expect(masked(response.parts)).toEqual([
        { kind: 'thinking', content: 'Greet back briefly.', provider: 'ollama' },
        { kind: 'text', content: 'Hello! How can I help?' },
      ]);
      expect(response.usage).toEqual({ inputTokens: 11, outputTokens: 17 });
      expect(response.finishReason).toBe('stop');
      expect(server.requests[0]!.body).toEqual(loadCassette('ollama/written-ollama-stream.yaml')[0]!.request.body);
    });
  });

  it('reports a model that was not pulled as ModelHTTPError 404 with its body, and no key anywhere', async () => {
    await withReplay(loadCassette('ollama/written-ollama-model-not-found.yaml'), async (server) => {
      useServer(server, CANARY_KEY);
      const error = await (await resolveModel('ollama:llama9')).request(userPrompt('hello'), undefined, noTools).catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status: 404, modelName: 'llama9', body: { error: { type: 'not_found_error' } } });
      expect((error as Error).message).toBe('model llama9 answered HTTP 404: model "llama9" not found, try pulling it first');
      expectNoCanary(error);
    });
  });

  it('splits reasoning an older Ollama leaves inline in <think> tags from the answer', async () => {
    const reply = {
      id: 'chatcmpl-7',
      object: 'chat.completion',
      created: 0,
      model: 'deepseek-r1',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '<think>\nShort greeting.\n</think>\n\nHello!' } }],
    };
    await withReplay([{ request: { method: 'POST', path: '/v1/chat/completions' }, response: { kind: 'json', status: 200, body: reply } }], async (server) => {
      useServer(server);
      const response = await (await resolveModel('ollama:deepseek-r1')).request(userPrompt('Hi'), undefined, noTools);
      expect(response.parts).toEqual([
        { kind: 'thinking', content: '\nShort greeting.\n', provider: 'ollama' },
        { kind: 'text', content: '\n\nHello!' },
      ]);
    });
  });
});
