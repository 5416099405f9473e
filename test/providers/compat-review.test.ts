/**
 * Adversarial review of the OpenAI-compatible providers added with issue 17 (Groq, Mistral,
 * Ollama on the `openai` SDK): what their quirks do when the provider's answer is split, lies or
 * carries what the adapter has not seen. Each test here failed before the fix it names.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { agent, collectStream, defineTool, ModelHTTPError, resolveModel } from 'schemantic';
import 'schemantic/openai';
import { CANARY_KEY, expectNoCanary, noTools, userPrompt, withReplay } from './harness.js';
import type { ReplayServer } from './replay-server.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Points `ollama:` models at the replay server, without a key. */
function useOllama(server: ReplayServer): void {
  vi.stubEnv('OLLAMA_BASE_URL', `${server.url}/v1`);
  vi.stubEnv('OLLAMA_API_KEY', '');
}

/** Points `groq:` models at the replay server (Groq serves the API under `/openai/v1`). */
function useGroq(server: ReplayServer): void {
  vi.stubEnv('GROQ_API_KEY', CANARY_KEY);
  vi.stubEnv('GROQ_BASE_URL', `${server.url}/openai/v1`);
}

/** An SSE body of chat completion chunks whose content deltas are `pieces`, then a stop. */
function contentStream(model: string, pieces: readonly string[]): string {
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-r', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return [...pieces.map((content) => chunk({ role: 'assistant', content }, null)), chunk({ content: '' }, 'stop'), 'data: [DONE]\n\n'].join('');
}

/** Groq's 400 for a generation it rejected, with `error` as given. */
function toolUseFailed(error: Record<string, unknown>) {
  return {
    request: { method: 'POST', path: '/openai/v1/chat/completions' },
    response: {
      kind: 'json' as const,
      status: 400,
      body: { error: { message: 'Failed to call a function.', type: 'invalid_request_error', code: 'tool_use_failed', ...error } },
    },
  };
}

describe('think tags in streams', () => {
  it('splits <think> reasoning out of a streamed answer, tags split across chunks, as the plain answer is split', async () => {
    const pieces = ['<th', 'ink>\nShort ', 'greeting.\n</th', 'ink>\n\nHel', 'lo! <', 'b>hi</b>'];
    const plain = {
      id: 'chatcmpl-p',
      object: 'chat.completion',
      created: 0,
      model: 'deepseek-r1',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: pieces.join('') } }],
    };
    await withReplay(
      [
        { request: { method: 'POST', path: '/v1/chat/completions' }, response: { kind: 'sse', text: contentStream('deepseek-r1', pieces) } },
        { request: { method: 'POST', path: '/v1/chat/completions' }, response: { kind: 'json', status: 200, body: plain } },
      ],
      async (server) => {
        useOllama(server);
        const model = await resolveModel('ollama:deepseek-r1');
        const streamed = await collectStream(model.requestStream(userPrompt('Hi'), undefined, noTools));
        const answered = await model.request(userPrompt('Hi'), undefined, noTools);
        expect(answered.parts).toEqual([
          { kind: 'thinking', content: '\nShort greeting.\n', provider: 'ollama' },
          { kind: 'text', content: '\n\nHello! <b>hi</b>' },
        ]);
        expect(streamed.parts).toEqual(answered.parts);
      },
    );
  });

  it('gives back, at the end of a stream, a `<` held as the possible start of a tag, and text between tags', async () => {
    await withReplay(
      [
        {
          request: { method: 'POST', path: '/v1/chat/completions' },
          response: { kind: 'sse', text: contentStream('qwen3', ['<think>\n\n</thi', 'nk>a <thi', 's is 1 <']) },
        },
      ],
      async (server) => {
        useOllama(server);
        const streamed = await collectStream((await resolveModel('ollama:qwen3')).requestStream(userPrompt('Hi'), undefined, noTools));
        // The empty block (reasoning off) is no thinking, as in a plain answer.
        expect(streamed.parts).toEqual([{ kind: 'text', content: 'a <this is 1 <' }]);
      },
    );
  });
});

describe('Groq tool_use_failed bodies that lie', () => {
  const lookup = defineTool<{ name: string }>({
    name: 'lookup',
    parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false },
    handler: (_ctx, args) => `found ${args.name}`,
  });

  it('does not end a run that allows text with a rejected generation that is not a call (malformed JSON) as its output', async () => {
    await withReplay([toolUseFailed({ failed_generation: '{"name": "lookup", "arguments": {"name": "x"' })], async (server) => {
      useGroq(server);
      const error = await agent({ name: 'lies', model: 'groq:llama-3.3-70b-versatile', tools: [lookup] })
        .run('Look up x.')
        .then(
          (result) => result.output,
          (e: unknown) => e,
        );
      // The generation Groq refused is no answer: the HTTP error stands.
      expect(ModelHTTPError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status: 400, body: { error: { code: 'tool_use_failed' } } });
      expectNoCanary(error);
    });
  });

  it('reports a tool_use_failed without failed_generation as the HTTP error it is', async () => {
    await withReplay([toolUseFailed({})], async (server) => {
      useGroq(server);
      const error = await agent({ name: 'lies', model: 'groq:llama-3.3-70b-versatile', tools: [lookup] })
        .run('Look up x.')
        .catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error)).toBe(true);
      expectNoCanary(error);
    });
  });

  it('retries a rejected call to a tool the agent does not have, then takes the next answer', async () => {
    const done = {
      id: 'chatcmpl-d',
      object: 'chat.completion',
      created: 0,
      model: 'llama-3.3-70b-versatile',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Done.' } }],
    };
    await withReplay(
      [
        toolUseFailed({ failed_generation: '{"name": "drop_tables", "arguments": {}}' }),
        { request: { method: 'POST', path: '/openai/v1/chat/completions' }, response: { kind: 'json', status: 200, body: done } },
      ],
      async (server) => {
        useGroq(server);
        const result = await agent({ name: 'lies', model: 'groq:llama-3.3-70b-versatile', tools: [lookup] }).run('Look up x.');
        expect(result.output).toBe('Done.');
        const second = server.requests[1]!.body as { messages: { role: string; content?: string }[] };
        expect(second.messages.at(-1)).toMatchObject({ role: 'tool', content: expect.stringContaining('drop_tables') });
      },
    );
  });
});
