/**
 * "Stream then collect" gives the response a plain request gives, for every adapter. Each case
 * serves the same answer twice, as a JSON body and as the Server-Sent Events the provider would
 * stream for it (built here from the JSON, in the provider's event shapes), through the real SDK.
 */
import { describe, expect, it } from 'vitest';
import { collectStream, type ModelResponse } from 'schemantic';
import { masked } from '../helpers/messages.js';
import { anthropicModel, noTools, openaiModel, userPrompt, withReplay } from './harness.js';
import type { Exchange } from './replay-server.js';

const prompt = userPrompt('Weather in Paris?');
const sse = (events: readonly (readonly [event: string | undefined, data: unknown])[]) =>
  events.map(([event, data]) => `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`).join('');

/** Splits text into pieces of at most `size` characters. */
const pieces = (text: string, size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

/** The Chat Completions stream of a completion: role, content and reasoning deltas, tool-call fragments, finish, usage. */
function openaiStream(
  completion: { id: string; model: string; choices: { message: Record<string, unknown>; finish_reason: string }[]; usage: object },
  reasoningField?: string,
): string {
  const base = { id: completion.id, object: 'chat.completion.chunk', created: 0, model: completion.model };
  const chunk = (delta: object, finish: string | null = null) => [undefined, { ...base, choices: [{ index: 0, delta, finish_reason: finish }] }] as const;
  const message = completion.choices[0]!.message;
  const events: (readonly [string | undefined, unknown])[] = [chunk({ role: 'assistant', content: '' })];
  if (reasoningField && typeof message[reasoningField] === 'string')
    for (const p of pieces(message[reasoningField] as string, 7)) events.push(chunk({ [reasoningField]: p }));
  if (typeof message['content'] === 'string') for (const p of pieces(message['content'], 5)) events.push(chunk({ content: p }));
  const calls = (message['tool_calls'] ?? []) as { id: string; function: { name: string; arguments: string } }[];
  calls.forEach((call, index) => {
    const [first, ...rest] = pieces(call.function.arguments, 6);
    events.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: first ?? '' } }] }));
    for (const p of rest) events.push(chunk({ tool_calls: [{ index, function: { arguments: p } }] }));
  });
  events.push(chunk({}, completion.choices[0]!.finish_reason));
  events.push([undefined, { ...base, choices: [], usage: completion.usage }]);
  events.push([undefined, '[DONE]']);
  return sse(events);
}

/** The Messages stream of a message: message_start, a block per content item with deltas, message_delta, message_stop. */
function anthropicStream(message: {
  id: string;
  model: string;
  content: Record<string, unknown>[];
  stop_reason: string;
  usage: { input_tokens: number; output_tokens: number };
}): string {
  const events: (readonly [string, unknown])[] = [
    [
      'message_start',
      { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { input_tokens: message.usage.input_tokens, output_tokens: 1 } } },
    ],
    ['ping', { type: 'ping' }],
  ];
  message.content.forEach((block, index) => {
    if (block['type'] === 'text') {
      events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }]);
      for (const p of pieces(block['text'] as string, 4))
        events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: p } }]);
    } else if (block['type'] === 'thinking') {
      events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }]);
      for (const p of pieces(block['thinking'] as string, 6))
        events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: p } }]);
      events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block['signature'] } }]);
    } else if (block['type'] === 'tool_use') {
      events.push(['content_block_start', { type: 'content_block_start', index, content_block: { ...block, input: {} } }]);
      events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: '' } }]);
      for (const p of pieces(JSON.stringify(block['input']), 5))
        events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: p } }]);
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
  });
  events.push([
    'message_delta',
    { type: 'message_delta', delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: message.usage.output_tokens } },
  ]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return sse(events);
}

/** What must agree: everything but the timestamp. */
const comparable = (response: ModelResponse) => masked(response);

describe('stream then collect equals a plain request', () => {
  it('OpenAI: text, parallel tool calls, usage with details, finish reason', async () => {
    const completion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 0,
      model: 'gpt-4o-2024-08-06',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: 'Let me check both.',
            refusal: null,
            tool_calls: [
              { id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris","unit":"c"}' } },
              { id: 'call_b', type: 'function', function: { name: 'time', arguments: '{"zone":"Europe/Paris"}' } },
            ],
          },
        },
      ],
      usage: {
        prompt_tokens: 42,
        completion_tokens: 30,
        total_tokens: 72,
        completion_tokens_details: { reasoning_tokens: 8 },
        prompt_tokens_details: { cached_tokens: 16 },
      },
    };
    const path = '/v1/chat/completions';
    const exchanges: Exchange[] = [
      { request: { method: 'POST', path }, response: { kind: 'json', status: 200, body: completion } },
      { request: { method: 'POST', path }, response: { kind: 'sse', text: openaiStream(completion) } },
    ];
    await withReplay(exchanges, async (server) => {
      const model = openaiModel(server, 'gpt-4o');
      const plain = await model.request(prompt, undefined, noTools);
      const streamed = await collectStream(model.requestStream(prompt, undefined, noTools));
      expect(comparable(streamed)).toEqual(comparable(plain));
      expect(plain.parts.map((p) => p.kind)).toEqual(['text', 'tool-call', 'tool-call']);
      expect(plain.usage).toEqual({ inputTokens: 42, outputTokens: 30, details: { reasoningTokens: 8, cacheReadTokens: 16 } });
    });
  });

  it('OpenAI-compatible (DeepSeek): reasoning, then text', async () => {
    const completion = {
      id: 'ds-1',
      object: 'chat.completion',
      created: 0,
      model: 'deepseek-reasoner',
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: { role: 'assistant', reasoning_content: 'The user wants the weather. It is sunny.', content: 'Sunny in Paris.' },
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
    };
    const exchanges: Exchange[] = [
      { request: { method: 'POST', path: '/chat/completions' }, response: { kind: 'json', status: 200, body: completion } },
      { request: { method: 'POST', path: '/chat/completions' }, response: { kind: 'sse', text: openaiStream(completion, 'reasoning_content') } },
    ];
    await withReplay(exchanges, async (server) => {
      const model = openaiModel(server, 'deepseek-reasoner', { provider: 'deepseek' }, '');
      const plain = await model.request(prompt, undefined, noTools);
      const streamed = await collectStream(model.requestStream(prompt, undefined, noTools));
      expect(comparable(streamed)).toEqual(comparable(plain));
      expect(plain.parts).toEqual([
        { kind: 'thinking', content: 'The user wants the weather. It is sunny.', provider: 'deepseek' },
        { kind: 'text', content: 'Sunny in Paris.' },
      ]);
    });
  });

  it('Anthropic: thinking with its signature, text and a tool call', async () => {
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-5-5',
      content: [
        { type: 'thinking', thinking: 'Paris: call the weather tool.', signature: 'EqQBCkYIBxgCKkD' },
        { type: 'text', text: 'Checking the weather.' },
        { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris', unit: 'c' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 50, output_tokens: 40 },
    };
    const exchanges: Exchange[] = [
      { request: { method: 'POST', path: '/v1/messages' }, response: { kind: 'json', status: 200, body: message } },
      { request: { method: 'POST', path: '/v1/messages' }, response: { kind: 'sse', text: anthropicStream(message) } },
    ];
    await withReplay(exchanges, async (server) => {
      const model = anthropicModel(server, 'claude-sonnet-5-5');
      // A setting Anthropic ignores comes back on both responses alike.
      const plain = await model.request(prompt, { seed: 7 }, noTools);
      const streamed = await collectStream(model.requestStream(prompt, { seed: 7 }, noTools));
      expect([plain.warnings, streamed.warnings]).toEqual([
        ['anthropic does not support seed; it is ignored'],
        ['anthropic does not support seed; it is ignored'],
      ]);
      // A streamed tool call arrives as JSON text; the plain one as the object: the same arguments.
      const args = (r: ModelResponse) =>
        r.parts.map((p) => (p.kind === 'tool-call' ? { ...p, args: typeof p.args === 'string' ? JSON.parse(p.args) : p.args } : p));
      expect({ ...(comparable(streamed) as object), parts: args(streamed) }).toEqual({ ...(comparable(plain) as object), parts: args(plain) });
      expect(plain.parts[0]).toEqual({ kind: 'thinking', content: 'Paris: call the weather tool.', signature: 'EqQBCkYIBxgCKkD', provider: 'anthropic' });
    });
  });
});
