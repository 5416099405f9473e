/**
 * Faults between the adapters and the providers, played by the replay server to the real SDK
 * clients: rate limits, server errors, Anthropic's 529, connection resets, truncated streams, a
 * slow first byte past the timeout, and cancellation in flight. Also FallbackModel, and models
 * named by id with keys from the environment. The canary key must never surface.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { agent, FallbackExhaustedError, FallbackModel, ModelAPIError, ModelHTTPError, resolveModel, UserError, type ModelStreamEvent } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { anthropicModel, CANARY_KEY, expectNoCanary, noTools, openaiModel, userPrompt, withReplay } from './harness.js';
import { loadCassette, loadSse, type Exchange, type Reply } from './replay-server.js';

const prompt = userPrompt('What is the capital of France?');
const openaiText = loadCassette('openai/test_openai_instructions.yaml')[0]!;
const anthropicText = loadCassette('anthropic/test_anthropic_model_instructions.yaml')[0]!;
const at = (exchange: Exchange, response: Reply): Exchange => ({ request: exchange.request, response });
const errorBody = (message: string) => ({ error: { message, type: 'server_error' } });

describe('retries', () => {
  it('retries a 429 that carries retry-after, and then succeeds', async () => {
    const limited = at(openaiText, {
      kind: 'json',
      status: 429,
      headers: { 'retry-after': '0.05' },
      body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
    });
    await withReplay([limited, openaiText], async (server) => {
      const response = await openaiModel(server, 'gpt-4o', { maxRetries: 1 }).request(prompt, undefined, noTools);
      expect(response.parts).toEqual([{ kind: 'text', content: 'The capital of France is Paris.' }]);
      expect(server.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1']);
    });
  });

  it('retries a 500 and a connection reset, then succeeds', async () => {
    const failing = at(openaiText, { kind: 'json', status: 500, headers: { 'retry-after-ms': '1' }, body: errorBody('The server had an error') });
    await withReplay([failing, at(openaiText, { kind: 'reset' }), openaiText], async (server) => {
      const response = await openaiModel(server, 'gpt-4o', { maxRetries: 2 }).request(prompt, undefined, noTools);
      expect(response.parts).toEqual([{ kind: 'text', content: 'The capital of France is Paris.' }]);
      expect(server.requests).toHaveLength(3);
    });
  });

  it("retries Anthropic's 529 overloaded, then succeeds", async () => {
    const overloaded = at(anthropicText, {
      kind: 'json',
      status: 529,
      headers: { 'retry-after-ms': '1' },
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    });
    await withReplay([overloaded, anthropicText], async (server) => {
      const response = await anthropicModel(server, 'claude-3-opus-latest', { maxRetries: 1 }).request(prompt, undefined, noTools);
      expect(response.parts).toEqual([{ kind: 'text', content: 'The capital of France is Paris.' }]);
    });
  });

  it('reports the last failure when the retries run out, as ModelHTTPError', async () => {
    const overloaded = at(anthropicText, {
      kind: 'json',
      status: 529,
      headers: { 'retry-after-ms': '1' },
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    });
    await withReplay([overloaded, overloaded], async (server) => {
      const error = await anthropicModel(server, 'claude-3-opus-latest', { maxRetries: 1 })
        .request(prompt, undefined, noTools)
        .catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status: 529, modelName: 'claude-3-opus-latest', message: 'model claude-3-opus-latest answered HTTP 529: Overloaded' });
      expectNoCanary(error);
    });
  });
});

describe('broken connections', () => {
  it('a connection reset with no retries left is a ModelAPIError', async () => {
    await withReplay([at(openaiText, { kind: 'reset' })], async (server) => {
      const error = await openaiModel(server, 'gpt-4o')
        .request(prompt, undefined, noTools)
        .catch((e: unknown) => e);
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect(ModelHTTPError.isInstance(error)).toBe(false);
      expect((error as Error).message).toMatch(/^the connection to model gpt-4o failed/);
      expectNoCanary(error);
    });
  });

  it('a slow first byte past the timeout is a ModelAPIError, and the server sees the request dropped', async () => {
    await withReplay([at(openaiText, { kind: 'delay', ms: 2_000, then: openaiText.response })], async (server) => {
      const error = await openaiModel(server, 'gpt-4o', { timeoutMs: 100 })
        .request(prompt, undefined, noTools)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelAPIError);
      expect((error as Error).message).toBe('the request to model gpt-4o timed out');
      await server.settled();
      expect(server.requests[0]!.aborted).toBe(true);
    });
  });

  it('a stream cut in the middle of a tool call is an error, never a half tool call', async () => {
    const text = loadSse('openai/openai-chat-stream-tool-call.sse');
    const cut = text.indexOf('"arguments":"city') + 10;
    await withReplay([{ request: { method: 'POST', path: '/v1/chat/completions' }, response: { kind: 'sse', text, cutAfterBytes: cut } }], async (server) => {
      const seen: ModelStreamEvent[] = [];
      const stream = openaiModel(server, 'gpt-4o').requestStream(prompt, undefined, noTools);
      const error = await (async () => {
        for await (const event of stream) seen.push(event);
      })().catch((e: unknown) => e);
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect(seen.some((e) => e.kind === 'part-start' && e.part.kind === 'tool-call')).toBe(true);
      expect(seen.some((e) => e.kind === 'finish' || e.kind === 'part-end')).toBe(false);
      expectNoCanary(error);
    });
    const anthropicSse = loadSse('anthropic/anthropic-stream-tool-use.sse');
    await withReplay(
      [
        {
          request: { method: 'POST', path: '/v1/messages' },
          response: { kind: 'sse', text: anthropicSse, cutAfterBytes: anthropicSse.indexOf('locati') + 20 },
        },
      ],
      async (server) => {
        const events: ModelStreamEvent[] = [];
        const error = await (async () => {
          for await (const event of anthropicModel(server, 'claude-3-5-sonnet').requestStream(prompt, undefined, noTools)) events.push(event);
        })().catch((e: unknown) => e);
        expect(ModelAPIError.isInstance(error)).toBe(true);
        // The tool_use block started, but never ended and no finish came: nothing to take as complete.
        const start = events.find((e): e is Extract<ModelStreamEvent, { kind: 'part-start' }> => e.kind === 'part-start' && e.part.kind === 'tool-call');
        const toolIndex = start?.index;
        expect(toolIndex).toBeDefined();
        expect(events.some((e) => (e.kind === 'part-end' && e.index === toolIndex) || e.kind === 'finish')).toBe(false);
      },
    );
  });

  it('an abort cancels a stream in flight: the consumer gets the abort reason, the server sees the hang-up', async () => {
    const text = loadSse('anthropic/anthropic-stream-thinking.sse');
    await withReplay([{ request: { method: 'POST', path: '/v1/messages' }, response: { kind: 'sse', text, chunkDelayMs: 20 } }], async (server) => {
      const controller = new AbortController();
      let events = 0;
      const error = await (async () => {
        for await (const _event of anthropicModel(server, 'claude-sonnet-4').requestStream(prompt, undefined, noTools, controller.signal)) {
          if (++events === 3) controller.abort();
        }
      })().catch((e: unknown) => e);
      expect(error).toBe(controller.signal.reason);
      expect((error as DOMException).name).toBe('AbortError');
      await server.settled();
      expect(server.requests[0]!.aborted).toBe(true);
    });
  });

  it('an abort cancels a request in flight, inside an agent run', async () => {
    await withReplay([at(openaiText, { kind: 'delay', ms: 2_000, then: openaiText.response })], async (server) => {
      const controller = new AbortController();
      const run = agent({ name: 'slow', model: openaiModel(server, 'gpt-4o') }).run('?', { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      const error = await run.catch((e: unknown) => e);
      expect(error).toBe(controller.signal.reason);
      expect((error as DOMException).name).toBe('AbortError');
      await server.settled();
      expect(server.requests[0]!.aborted).toBe(true);
    });
  });
});

describe('FallbackModel', () => {
  it('moves on after a provider error and answers with the next model', async () => {
    const failing = at(openaiText, { kind: 'json', status: 500, body: errorBody('boom') });
    await withReplay([failing, anthropicText], async (server) => {
      // Both exchanges come from one server, in order: first the OpenAI call, then the Anthropic one.
      const model = new FallbackModel([openaiModel(server, 'gpt-4o'), anthropicModel(server, 'claude-3-opus-latest')]);
      const result = await agent({ name: 'capital', model }).run('What is the capital of France?');
      expect(result.output).toBe('The capital of France is Paris.');
      expect(server.requests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/messages']);
    });
  });

  it('lists every failure when all models fail', async () => {
    await withReplay([at(openaiText, { kind: 'json', status: 500, body: errorBody('boom') }), at(anthropicText, { kind: 'reset' })], async (server) => {
      const model = new FallbackModel([openaiModel(server, 'gpt-4o'), anthropicModel(server, 'claude-3-opus-latest')]);
      const error = await model.request(prompt, undefined, noTools).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FallbackExhaustedError);
      const failures = (error as FallbackExhaustedError).failures;
      expect(failures.map((f) => [f.model, (f.error as { status?: number }).status])).toEqual([
        ['openai:gpt-4o', 500],
        ['anthropic:claude-3-opus-latest', undefined],
      ]);
      expect((error as Error).message).toMatch(
        /^all 2 models failed: openai:gpt-4o: model gpt-4o answered HTTP 500: boom; anthropic:claude-3-opus-latest: the connection to model claude-3-opus-latest failed/,
      );
      expectNoCanary(error);
    });
  });

  it('does not fall back on errors that are not the provider’s, nor once a stream has begun', async () => {
    const broken = new FunctionModel(() => {
      throw new UserError('bad option');
    });
    const never = new FunctionModel(() => 'unreachable');
    await expect(new FallbackModel([broken, never]).request(prompt, undefined, noTools)).rejects.toThrow('bad option');
    let calls = 0;
    const half = new FunctionModel(undefined, {
      stream: async function* () {
        calls++;
        yield 'partial ';
        throw new ModelAPIError('half', 'the stream broke off');
      },
    });
    const events = (async () => {
      for await (const _e of new FallbackModel([half, never]).requestStream(prompt, undefined, noTools));
    })();
    await expect(events).rejects.toThrow('the stream broke off');
    expect(calls).toBe(1);
  });
});

describe('models by id', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it('resolve openai: and anthropic: ids with the key and base URL from the environment', async () => {
    await withReplay([openaiText, anthropicText], async (server) => {
      process.env['OPENAI_API_KEY'] = CANARY_KEY;
      process.env['OPENAI_BASE_URL'] = `${server.url}/v1`;
      process.env['ANTHROPIC_API_KEY'] = CANARY_KEY;
      process.env['ANTHROPIC_BASE_URL'] = server.url;
      const a = await agent({ name: 'capital', model: 'openai:gpt-4o' }).run('What is the capital of France?');
      const b = await agent({ name: 'capital', model: 'anthropic:claude-3-opus-latest' }).run('What is the capital of France?');
      expect([a.output, b.output]).toEqual(['The capital of France is Paris.', 'The capital of France is Paris.']);
      expect(server.requests[0]!.headers['authorization']).toBe(`Bearer ${CANARY_KEY}`);
      expectNoCanary(a.allMessagesJson(), b.allMessagesJson());
    });
  });

  it('say which variable to set when the key is missing, before any request', async () => {
    delete process.env['OPENAI_API_KEY'];
    delete process.env['DEEPSEEK_API_KEY'];
    await expect(resolveModel('openai:gpt-4o')).rejects.toThrow(
      'model openai:gpt-4o needs an API key: set OPENAI_API_KEY, or pass apiKey or a configured client',
    );
    await expect(resolveModel('deepseek:deepseek-chat')).rejects.toThrow('set DEEPSEEK_API_KEY');
    // Local servers need none.
    await expect(resolveModel('ollama:llama3.2')).resolves.toMatchObject({ name: 'llama3.2', system: 'ollama' });
  });
});
