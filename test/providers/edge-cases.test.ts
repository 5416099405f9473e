/**
 * Provider behaviour at the edges: keys kept out of printed models and run contexts, whole error
 * bodies from any OpenAI-compatible server, DeepSeek's reasoning on tool-call turns, Anthropic's
 * thinking budget and effort, refusal explanations, length stops inside a tool call, stalled
 * streams, tool names repeated by some servers, and a streamed agent run over recorded traffic.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { agent, collectStream, defineTool, FallbackModel, resolveModel, UnexpectedModelBehavior, UserError } from 'schemantic';
import { registerOpenAICompatibleProvider } from 'schemantic/openai';
import { AnthropicModel } from 'schemantic/anthropic';
import { FunctionModel } from 'schemantic/testing';
import { requestBody as anthropicBody } from '../../runtime/providers/anthropic/map-request.js';
import { anthropicModel, CANARY_KEY, expectNoCanary, noTools, openaiModel, userPrompt, withReplay } from './harness.js';
import { loadCassette, loadSse, type Exchange } from './replay-server.js';

const chat = (body: object, status = 200): Exchange => ({
  request: { method: 'POST', path: '/v1/chat/completions' },
  response: { kind: 'json', status, body },
});
const completion = (message: object, finish: string) => ({
  id: 'chatcmpl-x',
  object: 'chat.completion',
  created: 0,
  model: 'm',
  choices: [{ index: 0, finish_reason: finish, message: { role: 'assistant', content: null, refusal: null, ...message } }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

describe('secrets', () => {
  it('a model, printed or serialised, and a run context logged by a handler, hold no key', async () => {
    await withReplay([...loadCassette('openai/test_openai_tool_output.yaml')], async (server) => {
      const model = openaiModel(server, 'gpt-4o');
      const logged: string[] = [];
      const country = defineTool({
        name: 'get_user_country',
        parameters: { type: 'object', properties: {}, additionalProperties: false },
        handler: (ctx) => (logged.push(inspect(ctx, { depth: 6 }), JSON.stringify(ctx)), 'Mexico'),
      });
      const output = { type: 'object', properties: { city: { type: 'string' }, country: { type: 'string' } }, required: ['city', 'country'] };
      await agent({ name: 'geo', model, tools: [country], output }).run('What is the largest city in the user country?');
      expect(inspect(model)).toBe("OpenAIChatModel { system: 'openai', name: 'gpt-4o' }");
      expect(JSON.stringify(model)).toBe('{"system":"openai","name":"gpt-4o"}');
      expect(logged.length).toBe(2);
      expectNoCanary(inspect(model, { depth: 10, showHidden: true }), ...logged);
    });
    const claude = AnthropicModel.connect('claude-sonnet-5-5', { apiKey: CANARY_KEY, baseURL: 'http://127.0.0.1:1' });
    expect(inspect(claude)).toBe("AnthropicModel { name: 'claude-sonnet-5-5' }");
    expectNoCanary(inspect(claude, { depth: 10, showHidden: true }), JSON.stringify(claude));
  });

  it('keeps the whole error body of any OpenAI-compatible server, text included', async () => {
    const vllm = { object: 'error', message: "This model's maximum context length is 4096 tokens.", type: 'BadRequestError', code: 400 };
    const html = '<html><body>502 Bad Gateway</body></html>';
    await withReplay(
      [chat(vllm, 400), { request: { method: 'POST', path: '/v1/chat/completions' }, response: { kind: 'json', status: 502, body: html } }],
      async (server) => {
        const model = openaiModel(server, 'llama', { provider: 'vllm' });
        await expect(model.request(userPrompt('hi'), undefined, noTools)).rejects.toMatchObject({
          status: 400,
          body: vllm,
          message: "model llama answered HTTP 400: This model's maximum context length is 4096 tokens.",
        });
        await expect(model.request(userPrompt('hi'), undefined, noTools)).rejects.toMatchObject({ status: 502, body: html });
      },
    );
  });
});

describe('OpenAI-compatible quirks', () => {
  it('DeepSeek gets its reasoning back on a turn that called tools, and on no other', async () => {
    const first = completion(
      {
        reasoning_content: 'I should look the weather up.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
      },
      'tool_calls',
    );
    const second = completion({ reasoning_content: 'Now answer.', content: 'Sunny in Paris.' }, 'stop');
    const deepseek = (body: object): Exchange => ({ request: { method: 'POST', path: '/chat/completions' }, response: { kind: 'json', status: 200, body } });
    await withReplay([deepseek(first), deepseek(second), deepseek(completion({ content: 'You are welcome.' }, 'stop'))], async (server) => {
      const weather = defineTool({
        name: 'weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        handler: () => 'sunny',
      });
      const a = agent({ name: 'w', model: openaiModel(server, 'deepseek-reasoner', { provider: 'deepseek' }, ''), tools: [weather] });
      const run = await a.run('Weather in Paris?');
      await a.run('Thanks!', { messageHistory: run.allMessages() });
      const assistants = (r: number) =>
        (server.requests[r]!.body as { messages: { role: string; reasoning_content?: string }[] }).messages.filter((m) => m.role === 'assistant');
      expect(assistants(1)).toEqual([expect.objectContaining({ reasoning_content: 'I should look the weather up.' })]);
      // The final answer's turn called no tool: its reasoning stays out.
      expect(assistants(2).map((m) => m.reasoning_content)).toEqual(['I should look the weather up.', undefined]);
    });
  });

  it('a registered compatible server takes a key in code and gets max_tokens', async () => {
    await withReplay([chat(completion({ content: 'hi' }, 'stop'))], async (server) => {
      registerOpenAICompatibleProvider({ name: 'acmeai', baseURL: `${server.url}/v1`, apiKey: CANARY_KEY, maxRetries: 0 });
      const model = await resolveModel('acmeai:acme-1');
      await model.request(userPrompt('hi'), { maxTokens: 50 }, noTools);
      expect(server.requests[0]!.body).toMatchObject({ model: 'acme-1', max_tokens: 50 });
      expect(server.requests[0]!.body).not.toHaveProperty('max_completion_tokens');
      expect(server.requests[0]!.headers['authorization']).toBe(`Bearer ${CANARY_KEY}`);
    });
    registerOpenAICompatibleProvider({ name: 'keyless', baseURL: 'http://127.0.0.1:1/v1' });
    await expect(resolveModel('keyless:m')).rejects.toThrow('model keyless:m needs an API key: pass apiKey or a configured client');
  });

  it('takes a tool name once, even from a server that repeats it in every fragment', async () => {
    const chunk = (tc: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { tool_calls: [tc] }, finish_reason: finish }] })}\n\n`;
    const sse =
      chunk({ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city"' } }) +
      chunk({ index: 0, function: { name: 'get_weather', arguments: ':"Oslo"}' } }) +
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] })}\n\ndata: [DONE]\n\n`;
    await withReplay([{ request: { method: 'POST', path: '/v1/chat/completions' }, response: { kind: 'sse', text: sse } }], async (server) => {
      const response = await collectStream(openaiModel(server, 'm', { provider: 'vllm' }).requestStream(userPrompt('?'), undefined, noTools));
      expect(response.parts).toEqual([{ kind: 'tool-call', toolName: 'get_weather', args: '{"city":"Oslo"}', toolCallId: 'call_1' }]);
    });
  });
});

describe('length stops inside a tool call', () => {
  it('are errors on OpenAI, streamed or not, never a call with cut-off arguments', async () => {
    const cut = completion({ tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'write', arguments: '{"filename": "tax' } }] }, 'length');
    const sse = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'write', arguments: '{"filename": "tax' } }] }, finish_reason: 'length' }] })}\n\ndata: [DONE]\n\n`;
    await withReplay([chat(cut), { request: { method: 'POST', path: '/v1/chat/completions' }, response: { kind: 'sse', text: sse } }], async (server) => {
      const model = openaiModel(server, 'gpt-4o');
      const expected = 'the model reached its max_tokens limit in the middle of a call of tool write; raise maxTokens';
      await expect(model.request(userPrompt('?'), undefined, noTools)).rejects.toThrow(expected);
      const streamed = await collectStream(model.requestStream(userPrompt('?'), undefined, noTools)).catch((e: unknown) => e);
      expect(UnexpectedModelBehavior.isInstance(streamed)).toBe(true);
      expect((streamed as Error).message).toBe(expected);
    });
  });
});

describe('Anthropic settings and answers', () => {
  it('gives thinking room: max_tokens above the budget by default, and a clear error when set too low', () => {
    const params = noTools;
    expect(anthropicBody('claude-sonnet-5-5', userPrompt('hi'), { thinking: { budgetTokens: 8000 } }, params)).toMatchObject({
      max_tokens: 12096,
      thinking: { type: 'enabled', budget_tokens: 8000 },
    });
    expect(() => anthropicBody('claude-sonnet-5-5', userPrompt('hi'), { maxTokens: 4000, thinking: { budgetTokens: 8000 } }, params)).toThrow(UserError);
    // An effort without a budget: adaptive thinking, the effort in output_config.
    expect(anthropicBody('claude-opus-4-6', userPrompt('hi'), { thinking: { effort: 'high' } }, params)).toMatchObject({
      thinking: { type: 'adaptive' },
      output_config: { effort: 'high' },
    });
  });

  it('closes the objects of strict tools', () => {
    const tool = {
      name: 'lookup',
      kind: 'function' as const,
      strict: true,
      parametersJsonSchema: { type: 'object', properties: { enum: { type: 'object', properties: { a: { type: 'string' } } } } },
    };
    const body = anthropicBody('claude-sonnet-5-5', userPrompt('hi'), undefined, { ...noTools, functionTools: [tool] });
    // A property named like a keyword ("enum") is still a property, and closed too.
    expect(body.tools![0]).toMatchObject({
      strict: true,
      input_schema: { additionalProperties: false, properties: { enum: { additionalProperties: false } } },
    });
  });

  it("puts Anthropic's explanation of a refusal in the error, and reports thinking tokens", async () => {
    const refusal = {
      id: 'msg_r',
      type: 'message',
      role: 'assistant',
      model: 'claude',
      content: [],
      stop_reason: 'refusal',
      stop_sequence: null,
      stop_details: { type: 'refusal', category: 'cyber', explanation: 'This request was refused due to policy.' },
      usage: { input_tokens: 5, output_tokens: 0 },
    };
    const thought = {
      id: 'msg_t',
      type: 'message',
      role: 'assistant',
      model: 'claude',
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 5, output_tokens: 90, output_tokens_details: { thinking_tokens: 80 } },
    };
    const reply = (body: object): Exchange => ({ request: { method: 'POST', path: '/v1/messages' }, response: { kind: 'json', status: 200, body } });
    await withReplay(
      [
        reply(refusal),
        reply(thought),
        { request: { method: 'POST', path: '/v1/messages' }, response: { kind: 'sse', text: loadSse('anthropic/anthropic-stream-refusal.sse') } },
      ],
      async (server) => {
        const model = anthropicModel(server, 'claude');
        const error = await model.request(userPrompt('x'), undefined, noTools).catch((e: unknown) => e);
        expect((error as Error).message).toBe('the model refused to answer: This request was refused due to policy.');
        expect((error as UnexpectedModelBehavior).response).toMatchObject({ providerDetails: { refusalCategory: 'cyber' } });
        expect((await model.request(userPrompt('x'), undefined, noTools)).usage).toEqual({
          inputTokens: 5,
          outputTokens: 90,
          details: { reasoningTokens: 80 },
        });
        const streamed = await collectStream(model.requestStream(userPrompt('x'), undefined, noTools)).catch((e: unknown) => e);
        expect((streamed as Error).message).toBe('the model refused to answer: This request was refused due to policy.');
      },
    );
  });

  it('counts streamed usage from message_delta, and keeps every thinking delta', async () => {
    await withReplay(
      [{ request: { method: 'POST', path: '/v1/messages' }, response: { kind: 'sse', text: loadSse('anthropic/anthropic-stream-thinking.sse') } }],
      async (server) => {
        const text = loadSse('anthropic/anthropic-stream-thinking.sse');
        const thinking = [...text.matchAll(/"thinking_delta","thinking":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]!) as string).join('');
        const outputTokens = Number([...text.matchAll(/"output_tokens":(\d+)/g)].at(-1)![1]);
        const response = await collectStream(anthropicModel(server, 'claude-sonnet-4').requestStream(userPrompt('x'), undefined, noTools));
        expect(response.parts[0]).toMatchObject({ kind: 'thinking', content: thinking });
        expect(response.usage.outputTokens).toBe(outputTokens);
        expect(server.requests[0]!.body).toMatchObject({
          stream: true,
          max_tokens: 4096,
          messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }],
        });
      },
    );
  });
});

describe('stalls and fallbacks', () => {
  it('abandons a stream that goes quiet for longer than the timeout', async () => {
    const sse = loadSse('anthropic/anthropic-stream-text.sse');
    await withReplay([{ request: { method: 'POST', path: '/v1/messages' }, response: { kind: 'sse', text: sse, chunkDelayMs: 400 } }], async (server) => {
      const error = await collectStream(anthropicModel(server, 'claude', { timeoutMs: 150 }).requestStream(userPrompt('x'), undefined, noTools)).catch(
        (e: unknown) => e,
      );
      expect((error as Error).message).toBe('the stream from model claude stalled: nothing arrived for 150 ms');
      await server.settled();
      expect(server.requests[0]!.aborted).toBe(true);
    });
  });

  it('FallbackModel moves past a model it cannot make (no key), in order', async () => {
    const saved = process.env['ANTHROPIC_API_KEY'];
    delete process.env['ANTHROPIC_API_KEY'];
    try {
      const answer = new FunctionModel(() => 'from the function model');
      const first = await new FallbackModel([answer, 'anthropic:claude-sonnet-5-5']).request(userPrompt('x'), undefined, noTools);
      expect(first.parts).toEqual([{ kind: 'text', content: 'from the function model' }]);
      const second = await new FallbackModel(['anthropic:claude-sonnet-5-5', answer]).request(userPrompt('x'), undefined, noTools);
      expect(second.parts).toEqual([{ kind: 'text', content: 'from the function model' }]);
    } finally {
      if (saved !== undefined) process.env['ANTHROPIC_API_KEY'] = saved;
    }
  });
});

describe('streamed agent runs over recorded traffic', () => {
  it('runStream through three streamed turns: parallel tool calls, then the output filling in', async () => {
    await withReplay(loadCassette('openai/test_complex_agent_run.yaml'), async (server) => {
      const none = { type: 'object', properties: {}, additionalProperties: false };
      const calls: string[] = [];
      const tools = [
        defineTool({ name: 'get_country', parameters: none, handler: () => (calls.push('country'), 'Mexico') }),
        defineTool({ name: 'get_product_name', parameters: none, handler: () => (calls.push('product'), 'Pydantic AI') }),
        defineTool<{ city: string }>({
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
          handler: (_c, a) => (calls.push(`weather ${a.city}`), 'sunny'),
        }),
      ];
      const answer = {
        type: 'object',
        properties: { label: { type: 'string' }, answer: { type: 'string' } },
        required: ['label', 'answer'],
        additionalProperties: false,
      };
      const output = { type: 'object', properties: { answers: { type: 'array', items: answer } }, required: ['answers'], additionalProperties: false };
      type Answers = { answers: { label: string; answer: string }[] };
      const run = agent<undefined, Answers>({ name: 'complex', model: openaiModel(server, 'gpt-4o'), tools, output }).runStream(
        'Tell me: the capital of the country; the weather there; the product name',
      );
      const counts: number[] = [];
      for await (const partial of run.outputStream()) counts.push(partial.answers?.length ?? 0);
      expect(calls).toEqual(['country', 'product', 'weather Mexico City']);
      expect(await run.output()).toEqual({
        answers: [
          { label: 'Capital', answer: 'The capital of Mexico is Mexico City.' },
          { label: 'Weather', answer: 'The weather in Mexico City is currently sunny.' },
          { label: 'Product Name', answer: 'The product name is Pydantic AI.' },
        ],
      });
      // The answers array fills in one element after another, never shrinking.
      expect(counts.length).toBeGreaterThan(10);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(new Set(counts)).toEqual(new Set([0, 1, 2, 3]));
      expect(server.requests.every((r) => (r.body as { stream: boolean }).stream)).toBe(true);
    });
  });
});
