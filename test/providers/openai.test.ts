/**
 * The OpenAI Chat Completions adapter against recorded OpenAI traffic, through the real `openai`
 * SDK client talking to a local replay server. Each test checks what the adapter sent (a snapshot
 * of the request bodies) and what it made of the answer.
 */
import { describe, expect, it } from 'vitest';
import { agent, collectStream, defineTool, ModelHTTPError, UnexpectedModelBehavior, type ModelStreamEvent } from 'schemantic';
import { createDocSearchAgent } from '../../generated/agents/doc-search.js';
import { retrieveRelevantDocumentationTool } from '../../generated/tools/retrieve-relevant-documentation.js';
import { masked } from '../helpers/messages.js';
import { cityOutput, expectNoCanary, noTools, openaiModel, sentBodies, userCountry, userPrompt, withReplay } from './harness.js';
import { loadCassette, loadSse } from './replay-server.js';

/**
 * The `openai` major these tests must run against: 6 normally, 7 in the smoke run with
 * SCHEMANTIC_OPENAI_SDK=7 (vitest.smoke.config.ts points `openai` at the openai7 alias).
 */
const expectedMajor = process.env['SCHEMANTIC_OPENAI_SDK'] === '7' ? 7 : 6;

describe('OpenAI chat: the SDK in use', () => {
  it(`is openai ${expectedMajor}.x, both as imported and as loaded by the adapter`, async () => {
    // What `import('openai')` resolves to here (the same specifier the adapter imports lazily).
    const { VERSION } = await import('openai/version');
    expect(Number(VERSION.split('.')[0])).toBe(expectedMajor);
    // What the adapter's own client really sent: the SDK puts its version in the User-Agent.
    const reply = {
      id: 'chatcmpl-v',
      object: 'chat.completion',
      created: 0,
      model: 'gpt-4o',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok', refusal: null } }],
    };
    await withReplay([{ request: { method: 'POST', path: '/v1/chat/completions' }, response: { kind: 'json', status: 200, body: reply } }], async (server) => {
      await openaiModel(server, 'gpt-4o').request(userPrompt('hi'), undefined, noTools);
      expect(server.requests[0]!.headers['user-agent']).toMatch(new RegExp(`^OpenAI/JS ${expectedMajor}\\.\\d+\\.\\d+$`));
      expect(server.requests[0]!.headers['user-agent']).toBe(`OpenAI/JS ${VERSION}`);
    });
  });
});

describe('OpenAI chat: requests and responses', () => {
  it('sends instructions and a prompt, and maps text, usage, finish reason and ids', async () => {
    await withReplay(loadCassette('openai/test_openai_instructions.yaml'), async (server) => {
      const result = await agent({ name: 'capital', model: openaiModel(server, 'gpt-4o'), instructions: 'You are a helpful assistant.' }).run(
        'What is the capital of France?',
      );
      expect(result.output).toBe('The capital of France is Paris.');
      expect(masked(result.allMessages()[1])).toEqual({
        kind: 'response',
        parts: [{ kind: 'text', content: 'The capital of France is Paris.' }],
        modelName: 'gpt-4o-2024-08-06',
        timestamp: '<timestamp>',
        usage: { inputTokens: 24, outputTokens: 8 },
        finishReason: 'stop',
        providerResponseId: 'chatcmpl-BJjf61mLb9z5H45ClJzbx0UWKwjo1',
        providerDetails: { finishReason: 'stop' },
      });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-instructions.json');
    });
  });

  it('runs a tool, then ends through the output tool (tool_choice required, strict schemas)', async () => {
    await withReplay(loadCassette('openai/test_openai_tool_output.yaml'), async (server) => {
      const result = await agent({ name: 'geo', model: openaiModel(server, 'gpt-4o'), tools: [userCountry], output: cityOutput }).run(
        'What is the largest city in the user country?',
      );
      expect(result.output).toEqual({ city: 'Mexico City', country: 'Mexico' });
      const bodies = server.requests.map((r) => r.body as { tool_choice: string; messages: unknown[] });
      expect(bodies.map((b) => b.tool_choice)).toEqual(['required', 'required']);
      // The tool result goes back as a tool message with the call's id.
      expect(bodies[1]!.messages.slice(1)).toEqual([
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_iXFttys57ap0o16JSlC8yhYo', type: 'function', function: { name: 'get_user_country', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_iXFttys57ap0o16JSlC8yhYo', content: 'Mexico' },
      ]);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-tool-output.json');
    });
  });

  it('maps parallel tool calls and sends their results back in call order', async () => {
    await withReplay(loadCassette('openai/test_temporal_agent_with_hitl_tool.yaml'), async (server) => {
      const path = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false };
      const calls: string[] = [];
      const tools = [
        defineTool<{ path: string }>({ name: 'create_file', parameters: path, handler: (_c, a) => (calls.push(`create ${a.path}`), 'Success') }),
        defineTool<{ path: string }>({ name: 'delete_file', parameters: path, handler: (_c, a) => (calls.push(`delete ${a.path}`), true) }),
      ];
      const result = await agent({
        name: 'files',
        model: openaiModel(server, 'gpt-4o'),
        instructions: 'Just call tools without asking for confirmation.',
        tools,
      }).run('Delete the file `.env` and create `test.txt`');
      expect(calls.sort()).toEqual(['create test.txt', 'delete .env']);
      expect(result.output).toBe('The file `.env` has been deleted and `test.txt` has been created successfully.');
      const second = server.requests[1]!.body as { messages: { role: string; tool_call_id?: string; content?: unknown }[] };
      expect(second.messages.filter((m) => m.role === 'tool')).toEqual([
        { role: 'tool', tool_call_id: 'call_jYdIdRZHxZTn5bWCq5jlMrJi', content: 'true' },
        { role: 'tool', tool_call_id: 'call_TmlTVWQbzrXCZ4jNsCVNbNqu', content: 'Success' },
      ]);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-parallel-tools.json');
    });
  });

  it('asks for native output through response_format json_schema and reads the JSON answer', async () => {
    await withReplay(loadCassette('openai/test_openai_native_output.yaml'), async (server) => {
      const result = await agent({ name: 'geo', model: openaiModel(server, 'gpt-4o'), tools: [userCountry], output: cityOutput, outputMode: 'native' }).run(
        'What is the largest city in the user country?',
      );
      expect(result.output).toEqual({ city: 'Mexico City', country: 'Mexico' });
      const format = (
        server.requests[0]!.body as { response_format: { type: string; json_schema: { strict: boolean; schema: { additionalProperties: boolean } } } }
      ).response_format;
      expect(format.type).toBe('json_schema');
      expect(format.json_schema.strict).toBe(true);
      expect(format.json_schema.schema.additionalProperties).toBe(false);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-native-output.json');
    });
  });

  it('reads a native union through its kind/data envelope', async () => {
    await withReplay(loadCassette('openai/test_openai_native_output_multiple.yaml'), async (server) => {
      const language = { type: 'object', properties: { language: { type: 'string' } }, required: ['language'] };
      const result = await agent({
        name: 'geo',
        model: openaiModel(server, 'gpt-4o'),
        tools: [userCountry],
        output: {
          members: [
            { name: 'CityLocation', schema: cityOutput },
            { name: 'CountryLanguage', schema: language },
          ],
        },
        outputMode: 'native',
      }).run('What is the largest city in the user country?');
      expect(result.output).toEqual({ city: 'Mexico City', country: 'Mexico' });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-native-union.json');
    });
  });

  it('asks for prompted output with json_object and the schema in the instructions', async () => {
    await withReplay(loadCassette('openai/test_openai_prompted_output.yaml'), async (server) => {
      const result = await agent({ name: 'geo', model: openaiModel(server, 'gpt-4o'), tools: [userCountry], output: cityOutput, outputMode: 'prompted' }).run(
        'What is the largest city in the user country?',
      );
      expect(result.output).toEqual({ city: 'Mexico City', country: 'Mexico' });
      const body = server.requests[0]!.body as { response_format: unknown; messages: { role: string; content: string }[] };
      expect(body.response_format).toEqual({ type: 'json_object' });
      expect(body.messages[0]!.content).toContain("Always respond with a JSON object that's compatible with this schema:");
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-prompted-output.json');
    });
  });

  it('maps settings: max_completion_tokens, stop; and reports reasoning tokens', async () => {
    await withReplay(
      [...loadCassette('openai/test_max_completion_tokens[o3-mini].yaml'), ...loadCassette('openai/test_stop_settings[openai].yaml')],
      async (server) => {
        const model = openaiModel(server, 'o3-mini');
        const first = await model.request(userPrompt('hello'), { maxTokens: 100 }, noTools);
        expect(first.usage).toEqual({ inputTokens: 7, outputTokens: 87, details: { reasoningTokens: 64 } });
        const prompt = 'What is the capital of France? Give me an answer that contains the word "Paris", but is not the first word.';
        const second = await model.request(userPrompt(prompt), { stop: ['Paris'] }, noTools);
        expect(second.parts).toEqual([{ kind: 'text', content: 'The capital of France is ' }]);
        expect(server.requests.map((r) => r.body)).toEqual([
          { model: 'o3-mini', messages: [{ role: 'user', content: 'hello' }], max_completion_tokens: 100 },
          { model: 'o3-mini', messages: [{ role: 'user', content: prompt }], stop: ['Paris'] },
        ]);
      },
    );
  });

  it('turns DeepSeek reasoning_content into a thinking part, and never sends it back', async () => {
    await withReplay(loadCassette('openai-compatible/test_deepseek_model_thinking_part.yaml'), async (server) => {
      const result = await agent({ name: 'walker', model: openaiModel(server, 'deepseek-reasoner', { provider: 'deepseek' }, '') }).run(
        'How do I cross the street?',
      );
      const response = result.allMessages()[1]!;
      expect(response.kind === 'response' && response.parts.map((p) => p.kind)).toEqual(['thinking', 'text']);
      expect(response.kind === 'response' && response.parts[0]).toMatchObject({ kind: 'thinking', provider: 'deepseek', content: expect.stringContaining('') });
      expect((result.output as string).startsWith('Crossing the street safely')).toBe(true);
      expect(server.requests[0]!.path).toBe('/chat/completions');
    });
  });
});

describe('OpenAI chat: strict schemas', () => {
  it('sends a generated tool in the strict form the generator prepared, and reads a null as absent', async () => {
    const reply = {
      id: 'chatcmpl-s',
      object: 'chat.completion',
      created: 0,
      model: 'gpt-4o',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'retrieve_relevant_documentation', arguments: '{"user_query":"agents","limit":null}' } },
            ],
          },
        },
      ],
    };
    const done = {
      ...reply,
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Agents are the main interface.', refusal: null } }],
    };
    const path = '/v1/chat/completions';
    await withReplay(
      [
        { request: { method: 'POST', path }, response: { kind: 'json', status: 200, body: reply } },
        { request: { method: 'POST', path }, response: { kind: 'json', status: 200, body: done } },
      ],
      async (server) => {
        const seen: unknown[] = [];
        const docs = createDocSearchAgent({
          model: openaiModel(server, 'gpt-4o'),
          tools: { retrieveRelevantDocumentation: (_ctx, args) => (seen.push(args), []), listDocumentationPages: () => [], getPageContent: () => '' },
        });
        const result = await docs.run('What are agents?', { context: { site: { name: 'Schemantic', root_url: 'https://example.com/docs' } } });
        expect(result.output).toBe('Agents are the main interface.');
        // The null the model sent for the optional limit is absent, then the schema's default.
        expect(seen).toEqual([{ user_query: 'agents', limit: 5 }]);
        const tools = (server.requests[0]!.body as { tools: { function: { name: string; strict?: boolean; parameters: unknown } }[] }).tools;
        const retrieve = tools.find((t) => t.function.name === 'retrieve_relevant_documentation')!.function;
        expect(retrieve.strict).toBe(true);
        expect(retrieve.parameters).toEqual(retrieveRelevantDocumentationTool.strictParameters);
      },
    );
  });
});

describe('OpenAI chat: streaming', () => {
  const events = async (stream: AsyncIterable<ModelStreamEvent>) => {
    const out: ModelStreamEvent[] = [];
    for await (const e of stream) out.push(e);
    return out;
  };

  it('streams text, asks for usage, and takes the usage from the chunk without choices', async () => {
    await withReplay(loadCassette('openai/test_temporal_agent_run_stream.yaml'), async (server) => {
      const response = await collectStream(openaiModel(server, 'gpt-4o').requestStream(userPrompt('What is the capital of Mexico?'), undefined, noTools));
      expect(response.parts).toEqual([{ kind: 'text', content: 'The capital of Mexico is Mexico City.' }]);
      expect(response.usage).toEqual({ inputTokens: 14, outputTokens: 8 });
      expect(response.finishReason).toBe('stop');
      expect(server.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    });
  });

  it('assembles tool-call fragments by index, parallel calls included', async () => {
    const sse = loadSse('openai/openai-chat-stream-parallel-tool-calls.sse');
    await withReplay([{ request: { method: 'POST', path: '/v1/chat/completions' }, response: { kind: 'sse', text: sse } }], async (server) => {
      const all = await events(openaiModel(server, 'gpt-4o').requestStream(userPrompt('weather and stock'), undefined, noTools));
      const response = await collectStream(
        (async function* () {
          yield* all;
        })(),
      );
      expect(response.parts.map((p) => p.kind === 'tool-call' && [p.toolName, JSON.parse(p.args as string)])).toEqual([
        ['GetWeatherArgs', { city: 'Edinburgh', country: 'GB', units: 'c' }],
        ['get_stock_price', { ticker: 'AAPL', exchange: 'NASDAQ' }],
      ]);
      expect(response.finishReason).toBe('tool-call');
      // Deltas, not repeats: the first event of each call starts it, later ones only extend it.
      expect(all.filter((e) => e.kind === 'part-start').length).toBe(2);
    });
  });

  it('streams both turns of a recorded tool run', async () => {
    await withReplay(loadCassette('openai/test_run_stream_sync_streams_real_model.yaml'), async (server) => {
      const model = openaiModel(server, 'gpt-4o-mini');
      const params = {
        ...noTools,
        functionTools: [
          {
            name: 'get_capital',
            kind: 'function' as const,
            parametersJsonSchema: { type: 'object', properties: { country: { type: 'string' } }, required: ['country'], additionalProperties: false },
          },
        ],
      };
      const first = await collectStream(model.requestStream(userPrompt('What is the capital of the UK? Use the tool, then answer.'), undefined, params));
      expect(first.parts).toEqual([{ kind: 'tool-call', toolName: 'get_capital', args: '{"country":"UK"}', toolCallId: 'call_ZR5UUuTt3pf61kjwAJIYdVMj' }]);
      const history = [
        ...userPrompt('What is the capital of the UK? Use the tool, then answer.'),
        first,
        {
          kind: 'request' as const,
          parts: [{ kind: 'tool-return' as const, toolName: 'get_capital', toolCallId: 'call_ZR5UUuTt3pf61kjwAJIYdVMj', content: 'London', timestamp: '' }],
        },
      ];
      const second = await collectStream(model.requestStream(history, undefined, params));
      expect(second.parts).toEqual([{ kind: 'text', content: 'The capital of the UK is London.' }]);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-stream-tool-run.json');
    });
  });

  it('streams native output as JSON text, and follows only the first choice of n > 1', async () => {
    const reply = (file: string) => ({ request: { method: 'POST', path: '/v1/chat/completions' }, response: { kind: 'sse' as const, text: loadSse(file) } });
    await withReplay([reply('openai/openai-chat-stream-json-schema.sse'), reply('openai/openai-chat-stream-n3-interleaved.sse')], async (server) => {
      const model = openaiModel(server, 'gpt-4o');
      const native = {
        ...noTools,
        outputMode: 'native' as const,
        outputObject: {
          name: 'Location',
          jsonSchema: {
            type: 'object',
            properties: { city: { type: 'string' }, temperature: { type: 'number' }, units: { enum: ['c', 'f'] } },
            required: ['city', 'temperature', 'units'],
          },
        },
      };
      const single = await collectStream(model.requestStream(userPrompt('Weather in SF?'), undefined, native));
      expect(JSON.parse((single.parts[0] as { content: string }).content)).toEqual({ city: 'San Francisco', temperature: 61, units: 'f' });
      const first = await collectStream(model.requestStream(userPrompt('Weather in SF?'), undefined, native));
      expect(first.parts).toEqual([{ kind: 'text', content: '{"city":"San Francisco","temperature":65,"units":"f"}' }]);
      expect((server.requests[0]!.body as { response_format: { json_schema: { name: string; strict: boolean } } }).response_format.json_schema).toMatchObject({
        name: 'Location',
        strict: true,
      });
    });
  });

  it('tolerates chunks and fields it does not know (a trailing moderation chunk)', async () => {
    await withReplay(loadCassette('openai/test_openai_moderation_stream.yaml'), async (server) => {
      const response = await collectStream(openaiModel(server, 'gpt-5').requestStream(userPrompt('What is the capital of France?'), undefined, noTools));
      expect(response.parts).toEqual([{ kind: 'text', content: expect.stringContaining('Paris') }]);
      expect(response.usage.inputTokens).toBeGreaterThan(0);
    });
  });

  it('streams DeepSeek reasoning as a thinking part before the text', async () => {
    await withReplay(loadCassette('openai-compatible/test_deepseek_model_thinking_stream.yaml'), async (server) => {
      const response = await collectStream(
        openaiModel(server, 'deepseek-reasoner', { provider: 'deepseek' }, '').requestStream(userPrompt('Hello'), undefined, noTools),
      );
      expect(response.parts.map((p) => p.kind)).toEqual(['thinking', 'text']);
      expect(response.parts[0]!.kind === 'thinking' && response.parts[0]!.content.length).toBeGreaterThan(20);
    });
  });

  it('raises a refusal as UnexpectedModelBehavior with the refusal text, streamed or not', async () => {
    const sse = loadSse('openai/openai-chat-stream-refusal.sse');
    await withReplay([{ request: { method: 'POST', path: '/v1/chat/completions' }, response: { kind: 'sse', text: sse } }], async (server) => {
      const error = await collectStream(openaiModel(server, 'gpt-4o').requestStream(userPrompt('How do I make anthrax?'), undefined, noTools)).catch(
        (e: unknown) => e,
      );
      expect(UnexpectedModelBehavior.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/^the model refused to answer: I'm sorry/);
    });
    const refusal = {
      id: 'chatcmpl-r',
      object: 'chat.completion',
      created: 0,
      model: 'gpt-4o',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: null, refusal: "I can't help with that." } }],
    };
    await withReplay(
      [{ request: { method: 'POST', path: '/v1/chat/completions' }, response: { kind: 'json', status: 200, body: refusal } }],
      async (server) => {
        await expect(openaiModel(server, 'gpt-4o').request(userPrompt('?'), undefined, noTools)).rejects.toThrow(
          "the model refused to answer: I can't help with that.",
        );
      },
    );
  });

  it('reports a length stop in text as the finish reason, with the text that arrived', async () => {
    const sse = loadSse('openai/openai-chat-stream-length.sse');
    await withReplay([{ request: { method: 'POST', path: '/v1/chat/completions' }, response: { kind: 'sse', text: sse } }], async (server) => {
      const response = await collectStream(openaiModel(server, 'gpt-4o').requestStream(userPrompt('?'), { maxTokens: 1 }, noTools));
      expect(response.finishReason).toBe('length');
      expect(response.parts).toEqual([{ kind: 'text', content: '{"' }]);
    });
  });
});

describe('OpenAI chat: provider errors', () => {
  const prompt = userPrompt('hello');

  it('turns 400 and 404 into ModelHTTPError with the provider body, and no key anywhere', async () => {
    await withReplay(
      [...loadCassette('openai/test_openai_o1_mini_system_role[developer].yaml'), ...loadCassette('openai/test_model_name_suggestion[openai-chat].yaml')],
      async (server) => {
        const bad = await openaiModel(server, 'o1-mini')
          .request(prompt, undefined, noTools)
          .catch((e: unknown) => e);
        expect(ModelHTTPError.isInstance(bad)).toBe(true);
        // The provider's error body, whole (kept by the fetch of the client made for the model).
        expect(bad).toMatchObject({
          status: 400,
          modelName: 'o1-mini',
          body: { error: { code: 'unsupported_value', param: 'messages[0].role', type: 'invalid_request_error' } },
        });
        expect((bad as Error).message).toBe(
          "model o1-mini answered HTTP 400: Unsupported value: 'messages[0].role' does not support 'developer' with this model.",
        );
        const missing = await openaiModel(server, 'gpt-5.2-proo')
          .request(prompt, undefined, noTools)
          .catch((e: unknown) => e);
        expect(missing).toMatchObject({ status: 404, body: { error: { code: 'model_not_found' } } });
        expectNoCanary(bad, missing);
      },
    );
  });

  it('retries a 429 as often as configured, then reports it; OpenRouter numeric error codes are kept', async () => {
    // retry-after-ms keeps the SDK's waits short; the recorded replies are unchanged otherwise.
    const exchanges = loadCassette('openai-compatible/test_openrouter_errors_raised.yaml').map((e) => ({
      ...e,
      response: { ...e.response, headers: { ...(e.response as { headers?: Record<string, string> }).headers, 'retry-after-ms': '5' } } as typeof e.response,
    }));
    await withReplay(exchanges, async (server) => {
      const model = openaiModel(server, 'google/gemini-2.0-flash-exp:free', { provider: 'openrouter', maxRetries: 2 }, '/api/v1');
      const error = await model
        .request(
          [
            {
              kind: 'request',
              parts: [
                { kind: 'system-prompt', content: 'Be helpful.', timestamp: '' },
                { kind: 'user-prompt', content: 'Tell me a joke.', timestamp: '' },
              ],
            },
          ],
          undefined,
          noTools,
        )
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 429, body: { error: { code: 429, message: 'Provider returned error' } } });
      expect(server.requests).toHaveLength(3);
      expectNoCanary(error);
    });
  });
});
