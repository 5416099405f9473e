/**
 * `groq:` models (Groq's OpenAI-compatible Chat Completions, through the `openai` SDK) against
 * traffic recorded from Groq. The models come from the registry, as an app gets them, with
 * GROQ_API_KEY set to the canary key and GROQ_BASE_URL pointing at the local replay server.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { agent, defineTool, ModelHTTPError, resolveModel, type ModelMessage } from 'schemantic';
import 'schemantic/openai';
import { masked } from '../helpers/messages.js';
import { CANARY_KEY, cityOutput, expectNoCanary, noTools, sentBodies, userPrompt, withReplay } from './harness.js';
import { loadCassette, type ReplayServer } from './replay-server.js';

/** Points `groq:` models at the replay server (Groq serves the API under `/openai/v1`). */
function useServer(server: ReplayServer): void {
  vi.stubEnv('GROQ_API_KEY', CANARY_KEY);
  vi.stubEnv('GROQ_BASE_URL', `${server.url}/openai/v1`);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('Groq: requests and responses', () => {
  it('sends instructions at /openai/v1/chat/completions, and maps text, usage and ids', async () => {
    await withReplay(loadCassette('groq/test_groq_model_instructions.yaml'), async (server) => {
      useServer(server);
      const result = await agent({ name: 'capital', model: 'groq:llama-3.3-70b-versatile', instructions: 'You are a helpful assistant.' }).run(
        'What is the capital of France?',
      );
      expect(result.output).toBe('The capital of France is Paris.');
      expect(masked(result.allMessages()[1])).toEqual({
        kind: 'response',
        parts: [{ kind: 'text', content: 'The capital of France is Paris.' }],
        modelName: 'llama-3.3-70b-versatile',
        timestamp: '<timestamp>',
        usage: { inputTokens: 48, outputTokens: 8 },
        finishReason: 'stop',
        providerResponseId: 'chatcmpl-7586b6a9-fb4b-4ec7-86a0-59f0a77844cf',
        providerDetails: { finishReason: 'stop' },
      });
      expect(server.requests[0]!.path).toBe('/openai/v1/chat/completions');
      expect(server.requests[0]!.headers['authorization']).toBe(`Bearer ${CANARY_KEY}`);
      expectNoCanary(result.allMessages());
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/groq-instructions.json');
    });
  });

  it('splits raw <think> reasoning out of the content, and reads parsed `reasoning`; neither goes back', async () => {
    await withReplay(loadCassette('groq/test_groq_model_thinking_part.yaml'), async (server) => {
      useServer(server);
      const chef = agent({ name: 'chef', model: 'groq:deepseek-r1-distill-llama-70b', instructions: 'You are a chef.' });
      // Groq's own parameter, through extraBody: `raw` puts the reasoning inline, `parsed` in a field.
      const first = await chef.run('I want a recipe to cook Uruguayan alfajores.', { modelSettings: { extraBody: { reasoning_format: 'raw' } } });
      const answer = first.allMessages()[1]!;
      expect(answer.kind === 'response' && answer.parts.map((p) => p.kind)).toEqual(['thinking', 'text']);
      const [thinking] = answer.kind === 'response' ? answer.parts : [];
      expect(thinking).toMatchObject({ kind: 'thinking', provider: 'groq', content: expect.stringMatching(/^\nOkay, so I want to make Uruguayan alfajores/) });
      expect(thinking!.kind === 'thinking' && thinking!.content).not.toContain('<think>');
      expect(first.output).toMatch(/^\n\nTo make Uruguayan alfajores, follow these organized steps/);
      expect(first.output).not.toContain('</think>');

      const second = await chef.run('Considering the Uruguayan recipe, how can I cook the Argentinian one?', {
        messageHistory: first.allMessages(),
        modelSettings: { extraBody: { reasoning_format: 'parsed' } },
      });
      const next = second.newMessages()[1]!;
      expect(next.kind === 'response' && next.parts.map((p) => p.kind)).toEqual(['thinking', 'text']);
      expect(next.kind === 'response' && next.parts[0]).toMatchObject({ kind: 'thinking', provider: 'groq' });
      // The history goes back as the text only: the same text the recorded second request carried.
      const bodies = server.requests.map((r) => r.body as { reasoning_format: string; messages: { role: string; content: string }[] });
      expect(bodies.map((b) => b.reasoning_format)).toEqual(['raw', 'parsed']);
      const recorded = loadCassette('groq/test_groq_model_thinking_part.yaml')[1]!.request.body as { messages: { content: string }[] };
      expect(bodies[1]!.messages[2]).toEqual({ role: 'assistant', content: recorded.messages[2]!.content });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/groq-thinking.json');
    });
  });

  it('asks for native output with json_schema (not strict: Groq is not an OpenAI strict host) and keeps the reasoning', async () => {
    await withReplay(loadCassette('groq/test_groq_native_output.yaml'), async (server) => {
      useServer(server);
      const result = await agent({ name: 'geo', model: 'groq:openai/gpt-oss-120b', output: cityOutput, outputMode: 'native' }).run(
        'What is the largest city in Mexico?',
      );
      expect(result.output).toEqual({ city: 'Mexico City', country: 'Mexico' });
      const response = result.allMessages()[1]!;
      expect(response.kind === 'response' && response.parts.map((p) => p.kind)).toEqual(['thinking', 'text']);
      expect(response.kind === 'response' && response.usage).toEqual({ inputTokens: 178, outputTokens: 94 });
      const format = (server.requests[0]!.body as { response_format: { type: string; json_schema: { strict: boolean; schema: unknown } } }).response_format;
      expect(format.type).toBe('json_schema');
      expect(format.json_schema).toMatchObject({ name: 'final_result', strict: false, schema: cityOutput });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/groq-native-output.json');
    });
  });

  it('asks for prompted output with json_object and the schema in the instructions', async () => {
    await withReplay(loadCassette('groq/test_groq_prompted_output.yaml'), async (server) => {
      useServer(server);
      const result = await agent({ name: 'geo', model: 'groq:openai/gpt-oss-120b', output: cityOutput, outputMode: 'prompted' }).run(
        'What is the largest city in Mexico?',
      );
      expect(result.output).toEqual({ city: 'Mexico City', country: 'Mexico' });
      const body = server.requests[0]!.body as { response_format: unknown; messages: { role: string; content: string }[] };
      expect(body.response_format).toEqual({ type: 'json_object' });
      expect(body.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('"city"') });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/groq-prompted-output.json');
    });
  });

  it('sends an image by URL as an image_url part', async () => {
    await withReplay(loadCassette('groq/test_image_url_input.yaml'), async (server) => {
      useServer(server);
      const url = 'https://t3.ftcdn.net/jpg/00/85/79/92/360_F_85799278_0BBGV9OAdQDTLnKwAPBCcg1J7QtiieJY.jpg';
      const result = await agent({ name: 'fruit', model: 'groq:meta-llama/llama-4-scout-17b-16e-instruct' }).run([
        'What is the name of this fruit?',
        { kind: 'image-url', url },
      ]);
      expect(result.output).toMatch(/^The fruit depicted in the image is a potato\./);
      const recorded = loadCassette('groq/test_image_url_input.yaml')[0]!.request.body as { messages: unknown };
      expect((server.requests[0]!.body as { messages: unknown }).messages).toEqual(recorded.messages);
    });
  });

  it('sends extra headers with the request, and nothing of them in the body', async () => {
    await withReplay(loadCassette('groq/test_extra_headers.yaml'), async (server) => {
      useServer(server);
      const model = await resolveModel('groq:llama-3.3-70b-versatile');
      const response = await model.request(userPrompt('hello'), { extraHeaders: { 'xProxy-Limit-IDs': 'monthly_budget' } }, noTools);
      expect(response.parts).toEqual([{ kind: 'text', content: 'Hello! How can I assist you today?' }]);
      expect(server.requests[0]!.headers['xproxy-limit-ids']).toBe('monthly_budget');
      expect(server.requests[0]!.body).toEqual({ model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'hello' }] });
    });
  });
});

describe('Groq: errors', () => {
  it('takes a tool call Groq rejected (400 tool_use_failed) as the response, so the run retries it', async () => {
    await withReplay(loadCassette('groq/test_tool_use_failed_error.yaml'), async (server) => {
      useServer(server);
      const seen: unknown[] = [];
      const getSomething = defineTool<{ name: string }>({
        name: 'get_something_by_name',
        parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false },
        handler: (_ctx, args) => (seen.push(args), `Something with name: ${args.name}`),
      });
      const result = await agent({
        name: 'errors',
        model: 'groq:openai/gpt-oss-120b',
        instructions: 'Be concise. Never use pretty double quotes, just regular ones.',
        tools: [getSomething],
      }).run('Please call the "get_something_by_name" tool with non-existent parameters to test error handling; on the second try you can use valid args');
      expect(seen).toEqual([{ name: 'test' }]);
      expect(result.output).toMatch(/^The first call failed due to missing and extra parameters, as expected\./);
      // The failed generation, as the response of the first request.
      const failed = result.allMessages()[1]!;
      expect(masked(failed)).toEqual({
        kind: 'response',
        parts: [{ kind: 'tool-call', toolName: 'get_something_by_name', args: { foo: 'bar' }, toolCallId: expect.stringMatching(/^call_failed_[0-9a-f]{8}$/) }],
        modelName: 'openai/gpt-oss-120b',
        timestamp: '<timestamp>',
        usage: { inputTokens: 0, outputTokens: 0 },
        finishReason: 'error',
        providerDetails: { errorCode: 'tool_use_failed', errorMessage: expect.stringContaining('did not match schema') },
      });
      // The second request sends the rejected call back with the validation problem as its result.
      const second = server.requests[1]!.body as { messages: { role: string; tool_call_id?: string; content?: string; tool_calls?: unknown[] }[] };
      const callId = failed.kind === 'response' && failed.parts[0]!.kind === 'tool-call' ? failed.parts[0]!.toolCallId : '';
      expect(second.messages[2]).toEqual({
        role: 'assistant',
        content: null,
        tool_calls: [{ id: callId, type: 'function', function: { name: 'get_something_by_name', arguments: '{"foo":"bar"}' } }],
      });
      expect(second.messages[3]).toMatchObject({ role: 'tool', tool_call_id: callId, content: expect.stringContaining('name') });
      // Usage of the recorded answers, reasoning and cached tokens included.
      const last = result.allMessages().at(-1)!;
      expect(last.kind === 'response' && last.usage).toEqual({ inputTokens: 336, outputTokens: 96, details: { reasoningTokens: 59, cacheReadTokens: 256 } });
      expectNoCanary(result.allMessages());
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/groq-tool-use-failed.json');
    });
  });

  it('takes text Groq rejected where a tool call was required as the response, and the run asks again', async () => {
    await withReplay(loadCassette('groq/test_tool_use_failed_error_with_text.yaml'), async (server) => {
      useServer(server);
      const result = await agent({
        name: 'yesno',
        model: 'groq:openai/gpt-oss-120b',
        instructions: 'Be concise. Never use pretty double quotes, just regular ones.',
        output: { type: 'object', properties: { response: { type: 'string', enum: ['yes', 'no'] } }, required: ['response'], additionalProperties: false },
      }).run(
        'dont make a tool call, just return the string "maybe" by itself, not as json output, to test error handling; on the second try you can use valid args',
      );
      expect(result.output).toEqual({ response: 'yes' });
      const failed = result.allMessages()[1]!;
      expect(failed.kind === 'response' && failed.parts).toEqual([{ kind: 'text', content: 'maybe' }]);
      expect(failed.kind === 'response' && failed.finishReason).toBe('error');
      const bodies = server.requests.map((r) => r.body as { tool_choice: string; messages: { role: string; content: string }[] });
      expect(bodies.map((b) => b.tool_choice)).toEqual(['required', 'required']);
      expect(bodies[1]!.messages.slice(2, 3)).toEqual([{ role: 'assistant', content: 'maybe' }]);
      expect(bodies[1]!.messages[3]!.role).toBe('user');
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/groq-tool-use-failed-text.json');
    });
  });

  it('reports any other HTTP error as ModelHTTPError with the body, and no key anywhere', async () => {
    await withReplay(loadCassette('groq/test_tool_regular_error.yaml'), async (server) => {
      useServer(server);
      const history: ModelMessage[] = userPrompt('hello');
      const error = await (await resolveModel('groq:non-existent')).request(history, undefined, noTools).catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status: 404, modelName: 'non-existent', body: { error: { code: 'model_not_found', type: 'invalid_request_error' } } });
      expect((error as Error).message).toBe('model non-existent answered HTTP 404: The model `non-existent` does not exist or you do not have access to it.');
      expectNoCanary(error);
    });
  });
});
