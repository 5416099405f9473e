/**
 * The Anthropic Messages adapter against recorded Anthropic traffic, through the real
 * `@anthropic-ai/sdk` client talking to a local replay server: what the adapter sent (snapshots)
 * and what it made of the answers, streamed and not.
 */
import { describe, expect, it } from 'vitest';
import { agent, collectStream, defineTool, ModelHTTPError, UnexpectedModelBehavior, type ModelMessage } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { masked } from '../helpers/messages.js';
import { anthropicModel, cityOutput, expectNoCanary, noTools, sentBodies, userCountry, userPrompt, withReplay } from './harness.js';
import { loadCassette, loadSse, type Exchange } from './replay-server.js';

const sse = (file: string): Exchange => ({ request: { method: 'POST', path: '/v1/messages' }, response: { kind: 'sse', text: loadSse(file) } });

describe('Anthropic: requests and responses', () => {
  it('sends instructions as system, and maps text, usage, stop reason and ids', async () => {
    await withReplay(loadCassette('anthropic/test_anthropic_model_instructions.yaml'), async (server) => {
      const result = await agent({ name: 'capital', model: anthropicModel(server, 'claude-3-opus-latest'), instructions: 'You are a helpful assistant.' }).run(
        'What is the capital of France?',
      );
      expect(result.output).toBe('The capital of France is Paris.');
      expect(masked(result.allMessages()[1])).toEqual({
        kind: 'response',
        parts: [{ kind: 'text', content: 'The capital of France is Paris.' }],
        modelName: 'claude-3-opus-20240229',
        timestamp: '<timestamp>',
        usage: { inputTokens: 20, outputTokens: 10 },
        finishReason: 'stop',
        providerResponseId: 'msg_01Fg1JVgvCYUHWsxrj9GkpEv',
        providerDetails: { stopReason: 'end_turn' },
      });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/anthropic-instructions.json');
    });
  });

  it('runs a tool then ends through the output tool (tool_choice any), results inside a user turn', async () => {
    await withReplay(loadCassette('anthropic/test_anthropic_tool_output.yaml'), async (server) => {
      const result = await agent({ name: 'geo', model: anthropicModel(server, 'claude-sonnet-4-5'), tools: [userCountry], output: cityOutput }).run(
        'What is the largest city in the user country?',
      );
      expect(result.output).toEqual({ city: 'Mexico City', country: 'Mexico' });
      const second = server.requests[1]!.body as { tool_choice: unknown; messages: unknown[] };
      expect(second.tool_choice).toEqual({ type: 'any' });
      expect(second.messages.slice(1)).toEqual([
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01X9wcHKKAZD9tBC711xipPa', name: 'get_user_country', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01X9wcHKKAZD9tBC711xipPa', content: 'Mexico', is_error: false }] },
      ]);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/anthropic-tool-output.json');
    });
  });

  it('maps parallel tool_use blocks and answers them all in one user turn, in order', async () => {
    await withReplay(loadCassette('anthropic/test_multiple_parallel_tool_calls.yaml'), async (server) => {
      const people: Record<string, string> = {
        Alice: "alice is bob's wife",
        Bob: "bob is alice's husband",
        Charlie: "charlie is alice's son",
        Daisy: "daisy is bob's daughter and charlie's younger sister",
      };
      const info = defineTool<{ name: string }>({
        name: 'retrieve_entity_info',
        description: 'Get the knowledge about the given entity.',
        parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false },
        handler: (_ctx, { name }) => people[name] ?? 'unknown',
      });
      const result = await agent({ name: 'family', model: anthropicModel(server, 'claude-haiku-4-5'), tools: [info] }).run(
        'Alice, Bob, Charlie and Daisy are a family. Who is the youngest?',
      );
      expect(result.output).toContain('Daisy is the youngest');
      const results = (server.requests[1]!.body as { messages: { role: string; content: { type: string; tool_use_id?: string }[] }[] }).messages[2]!;
      expect(results.role).toBe('user');
      expect(results.content.map((b) => b.tool_use_id)).toEqual([
        'toolu_0167cfEnoQaPviGdVXA95zcu',
        'toolu_01EEe2V5HD1Ac4rKiUR4HD2T',
        'toolu_01XFyAjstT3966qvRynZyVPo',
        'toolu_013mnQZbgtK2oe3Mo3XKJsx3',
      ]);
    });
  });

  it('asks for native output through output_config with closed objects, tools alongside', async () => {
    await withReplay(loadCassette('anthropic/test_mixed_tools_native_output.yaml'), async (server) => {
      const city = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
      const tools = [
        defineTool({ name: 'lookup_country', parameters: city, strict: true, handler: () => 'Japan' }),
        defineTool({ name: 'get_founded_year', parameters: city, handler: () => '1457' }),
      ];
      const output = {
        type: 'object',
        properties: { city: { type: 'string' }, country: { type: 'string' }, population: { type: 'integer' } },
        required: ['city', 'country', 'population'],
      };
      const result = await agent({ name: 'tokyo', model: anthropicModel(server, 'claude-sonnet-4-5'), tools, output, outputMode: 'native' }).run(
        'Give me complete details about Tokyo',
      );
      expect(result.output).toEqual({ city: 'Tokyo', country: 'Japan', population: 14000000 });
      const body = server.requests[0]!.body as { output_config: { format: { schema: { additionalProperties: boolean } } }; tools: { strict?: boolean }[] };
      expect(body.output_config.format.schema.additionalProperties).toBe(false);
      expect(body.tools.map((t) => t.strict)).toEqual([true, undefined]);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/anthropic-native-output.json');
    });
  });

  it('keeps thinking with its signature and sends it back unchanged on the next turn', async () => {
    await withReplay(loadCassette('anthropic/test_anthropic_model_thinking_part.yaml'), async (server) => {
      const model = anthropicModel(server, 'claude-sonnet-4-5');
      const walker = agent({ name: 'walker', model, modelSettings: { thinking: { budgetTokens: 1024 } } });
      const first = await walker.run('How do I cross the street?');
      const thinking = (first.allMessages()[1] as { parts: { kind: string; signature?: string; provider?: string }[] }).parts[0]!;
      expect(thinking).toMatchObject({ kind: 'thinking', provider: 'anthropic', signature: expect.stringMatching(/^Eq8CCkYICxgCKk/) });
      await walker.run('Considering the way to cross the street, analogously, how do I cross the river?', { messageHistory: first.allMessages() });
      const sentBack = (server.requests[1]!.body as { messages: { content: { type: string; signature?: string }[] }[] }).messages[1]!.content[0]!;
      expect(sentBack).toMatchObject({ type: 'thinking', signature: thinking.signature });
      expect(server.requests[0]!.body).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 1024 } });
    });
  });

  it('keeps redacted thinking as opaque data and sends it back as redacted_thinking', async () => {
    await withReplay(loadCassette('anthropic/test_anthropic_model_thinking_part_redacted.yaml'), async (server) => {
      const model = anthropicModel(server, 'claude-sonnet-4-5-20250929');
      const secret = 'ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253D5E2D82641AC0E52CC2876CB';
      const thinker = agent({ name: 'thinker', model, modelSettings: { thinking: { budgetTokens: 1024 } } });
      const first = await thinker.run(secret);
      const part = (first.allMessages()[1] as { parts: { kind: string; redacted?: boolean; content: string }[] }).parts[0]!;
      expect(part).toMatchObject({ kind: 'thinking', redacted: true });
      await thinker.run('What was that?', { messageHistory: first.allMessages() });
      const sentBack = (server.requests[1]!.body as { messages: { content: { type: string; data?: string }[] }[] }).messages[1]!.content[0]!;
      expect(sentBack).toEqual({ type: 'redacted_thinking', data: part.content });
    });
  });

  it('sends thinking back with the tool results of the same turn', async () => {
    await withReplay(loadCassette('anthropic/test_anthropic_tool_with_thinking.yaml'), async (server) => {
      const result = await agent({
        name: 'geo',
        model: anthropicModel(server, 'claude-sonnet-4-0'),
        tools: [userCountry],
        modelSettings: { thinking: { budgetTokens: 3000 } },
      }).run('What is the largest city in the user country?');
      expect(result.output).toContain('Mexico City');
      const assistant = (server.requests[1]!.body as { messages: { role: string; content: { type: string }[] }[] }).messages[1]!;
      expect(assistant.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
      // With thinking on, Anthropic only allows tool_choice auto.
      expect(server.requests[0]!.body).toMatchObject({ tool_choice: { type: 'auto' } });
    });
  });

  it('drops thinking from another provider, and keeps tool call ids valid for Anthropic', async () => {
    const history: ModelMessage[] = [
      ...userPrompt('What is the largest city in the user country?'),
      {
        kind: 'response',
        parts: [
          { kind: 'thinking', content: 'I should look it up.', provider: 'deepseek' },
          { kind: 'tool-call', toolName: 'get_user_country', args: '{}', toolCallId: 'call:openai/1' },
        ],
        modelName: 'deepseek-reasoner',
        timestamp: '',
        usage: { inputTokens: 1, outputTokens: 1 },
      },
      { kind: 'request', parts: [{ kind: 'tool-return', toolName: 'get_user_country', toolCallId: 'call:openai/1', content: 'Mexico', timestamp: '' }] },
    ];
    const recorded = loadCassette('anthropic/test_anthropic_tool_output.yaml')[1]!;
    await withReplay([recorded], async (server) => {
      await anthropicModel(server, 'claude-sonnet-4-5').request(history, undefined, noTools);
      const messages = (server.requests[0]!.body as { messages: { content: { type: string; id?: string; tool_use_id?: string }[] }[] }).messages;
      // ':' and '/' are written as _x3a_ and _x2f_: two different ids never become one.
      expect(messages[1]!.content).toEqual([{ type: 'tool_use', id: 'call_x3a_openai_x2f_1', name: 'get_user_country', input: {} }]);
      expect(messages[2]!.content[0]!.tool_use_id).toBe('call_x3a_openai_x2f_1');
    });
  });
});

describe('Anthropic: streaming', () => {
  it('streams text, skipping ping events', async () => {
    await withReplay([sse('anthropic/anthropic-stream-text.sse')], async (server) => {
      const response = await collectStream(anthropicModel(server, 'claude-3-5-sonnet').requestStream(userPrompt('Hi'), undefined, noTools));
      expect(response.parts).toEqual([{ kind: 'text', content: expect.any(String) }]);
      expect(response.finishReason).toBe('stop');
      expect(response.usage.outputTokens).toBeGreaterThan(0);
    });
  });

  it('assembles a tool_use from input_json_delta fragments', async () => {
    await withReplay([sse('anthropic/anthropic-stream-tool-use.sse')], async (server) => {
      const response = await collectStream(anthropicModel(server, 'claude-3-5-sonnet').requestStream(userPrompt('Weather in Paris?'), undefined, noTools));
      const call = response.parts.find((p) => p.kind === 'tool-call');
      expect(call && call.kind === 'tool-call' && JSON.parse(call.args as string)).toEqual({ location: 'Paris' });
      expect(response.finishReason).toBe('tool-call');
    });
  });

  it('streams thinking deltas and the signature, then the text', async () => {
    await withReplay([sse('anthropic/anthropic-stream-thinking.sse')], async (server) => {
      const response = await collectStream(
        anthropicModel(server, 'claude-sonnet-4').requestStream(userPrompt('How do I cross the street?'), { thinking: { budgetTokens: 1024 } }, noTools),
      );
      expect(response.parts.map((p) => p.kind)).toEqual(['thinking', 'text']);
      expect(response.parts[0]).toMatchObject({ kind: 'thinking', provider: 'anthropic', signature: expect.stringMatching(/.{40,}/) });
    });
  });

  it('keeps redacted thinking blocks that arrive whole in content_block_start', async () => {
    const exchanges = loadCassette('anthropic/test_anthropic_model_thinking_part_redacted_stream.yaml');
    await withReplay(exchanges, async (server) => {
      const response = await collectStream(
        anthropicModel(server, 'claude-sonnet-4').requestStream(userPrompt('x'), { thinking: { budgetTokens: 1024 } }, noTools),
      );
      expect(response.parts.map((p) => (p.kind === 'thinking' ? `thinking:${String(p.redacted)}` : p.kind))).toEqual([
        'thinking:true',
        'thinking:true',
        'text',
      ]);
    });
  });

  it('skips server tool blocks and keeps the client tool_use, with its extra fields ignored', async () => {
    await withReplay([sse('anthropic/anthropic-stream-server-and-client-tool-use.sse')], async (server) => {
      const response = await collectStream(anthropicModel(server, 'claude-sonnet-4-6').requestStream(userPrompt('rate?'), undefined, noTools));
      expect(response.parts.map((p) => (p.kind === 'tool-call' ? p.toolName : p.kind))).toEqual(['text', 'text', 'get_exchange_rate']);
    });
  });

  it('fails on max_tokens in the middle of a tool call, never keeping half a call', async () => {
    await withReplay([sse('anthropic/anthropic-stream-tool-use-max-tokens.sse')], async (server) => {
      const error = await collectStream(anthropicModel(server, 'claude-3-5-sonnet').requestStream(userPrompt('x'), undefined, noTools)).catch(
        (e: unknown) => e,
      );
      expect(UnexpectedModelBehavior.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/^the model reached its max_tokens limit in the middle of a call of tool \w+; raise maxTokens$/);
    });
  });

  it('raises a refusal, flushing the last event of a stream without a final blank line', async () => {
    await withReplay([sse('anthropic/anthropic-stream-refusal.sse')], async (server) => {
      const error = await collectStream(anthropicModel(server, 'claude-3-5-sonnet').requestStream(userPrompt('x'), undefined, noTools)).catch(
        (e: unknown) => e,
      );
      expect(UnexpectedModelBehavior.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/^the model refused to answer/);
    });
  });

  it('streams the same response a plain request returns (stream then collect)', async () => {
    const plain = loadCassette('anthropic/test_anthropic_model_thinking_part.yaml')[0]!;
    const streamed = loadCassette('anthropic/test_anthropic_model_thinking_part_stream.yaml')[0]!;
    await withReplay([plain, streamed], async (server) => {
      const model = anthropicModel(server, 'claude-sonnet-4-5');
      const a = await model.request(userPrompt('How do I cross the street?'), { thinking: { budgetTokens: 1024 } }, noTools);
      const b = await collectStream(model.requestStream(userPrompt('How do I cross the street?'), { thinking: { budgetTokens: 1024 } }, noTools));
      expect(b.parts.map((p) => p.kind)).toEqual(a.parts.map((p) => p.kind));
      expect(server.requests[1]!.body).toEqual({ ...(server.requests[0]!.body as object), stream: true });
    });
  });
});

describe('Anthropic: provider errors', () => {
  it('turns 404 and 400 into ModelHTTPError with the provider body, and no key anywhere', async () => {
    await withReplay(
      [
        ...loadCassette('anthropic/test_model_name_suggestion[anthropic].yaml'),
        ...loadCassette('anthropic/test_anthropic_explicit_effort_xhigh_unsupported_model_errors.yaml'),
      ],
      async (server) => {
        const missing = await anthropicModel(server, 'claude-sonet-4-5')
          .request(userPrompt('hello'), undefined, noTools)
          .catch((e: unknown) => e);
        expect(ModelHTTPError.isInstance(missing)).toBe(true);
        expect(missing).toMatchObject({ status: 404, body: { type: 'error', error: { type: 'not_found_error', message: 'model: claude-sonet-4-5' } } });
        expect((missing as Error).message).toBe('model claude-sonet-4-5 answered HTTP 404: model: claude-sonet-4-5');
        const bad = await anthropicModel(server, 'claude-sonnet-4-5')
          .request(userPrompt('hello'), undefined, noTools)
          .catch((e: unknown) => e);
        expect(bad).toMatchObject({ status: 400, body: { error: { type: 'invalid_request_error' } } });
        expectNoCanary(missing, bad);
      },
    );
  });

  it('runs on a FunctionModel history, then on Claude (history across providers)', async () => {
    const history = await agent({
      name: 'geo',
      model: new FunctionModel((m) =>
        m.length === 1 ? [{ kind: 'tool-call', toolName: 'get_user_country', args: {}, toolCallId: 'fn-1' }] : 'Mexico, I think.',
      ),
      tools: [userCountry],
    }).run('Where am I?');
    const recorded = loadCassette('anthropic/test_anthropic_model_instructions.yaml')[0]!;
    await withReplay([recorded], async (server) => {
      await agent({ name: 'capital', model: anthropicModel(server, 'claude-3-opus-latest') }).run('What is the capital of France?', {
        messageHistory: history.allMessagesJson(),
      });
      const messages = (server.requests[0]!.body as { messages: { role: string; content: { type: string; id?: string; tool_use_id?: string }[] }[] }).messages;
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
      expect(messages[1]!.content[0]).toMatchObject({ type: 'tool_use', id: 'fn-1' });
      expect(messages[2]!.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'fn-1' });
    });
  });
});
