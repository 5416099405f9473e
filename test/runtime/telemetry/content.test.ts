/**
 * Content capture: off by default; on, prompts, instructions, responses, tool arguments and
 * results in the conventions' message format; the 1.36 attribute set on request; secrets redacted.
 */
import { describe, expect, it } from 'vitest';
import { agent } from 'schemantic';
import { OpenAIChatModel } from 'schemantic/openai';
import { FunctionModel } from 'schemantic/testing';
import 'schemantic/telemetry';
import { withReplay } from '../../providers/harness.js';
import { exportedText, otelHarness, type SpanNode } from './otel-harness.js';

const CONTENT_KEYS = ['gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.system_instructions', 'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result'];

const model = () =>
  new FunctionModel(
    (messages) =>
      messages.some((m) => m.kind === 'response')
        ? 'It is 21 degrees in London.'
        : [
            { kind: 'thinking', content: 'I should look it up.' },
            { kind: 'tool-call', toolName: 'weather', args: '{"city":"London"}', toolCallId: 'w1' },
          ],
    { name: 'scripted' },
  );

const weather = {
  name: 'weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  handler: async (_ctx: unknown, { city }: { city: string }) => ({ city, celsius: 21 }),
};

function run(instrument: object) {
  return agent({
    name: 'forecaster',
    model: model(),
    tools: [weather],
    instructions: 'Answer in one sentence.',
    systemPrompt: 'You are a forecaster.',
    instrument,
  }).run('Weather in London?');
}

const byName = (nodes: SpanNode[]) => {
  const all: SpanNode[] = [];
  const walk = (list: SpanNode[]) => list.forEach((n) => (all.push(n), walk(n.children)));
  walk(nodes);
  return all;
};

describe('content capture', () => {
  it('records no content by default', async () => {
    const otel = otelHarness();
    await run(otel.settings());
    for (const span of otel.spans()) for (const key of CONTENT_KEYS) expect(span.attributes[key], `${span.name} ${key}`).toBeUndefined();
    expect(exportedText(otel.spans())).not.toContain('Weather in London?');
    expect(exportedText(otel.spans())).not.toContain('21 degrees');
  });

  it('records messages in the conventions format when on', async () => {
    const otel = otelHarness();
    await run(otel.settings({ includeContent: true }));
    const spans = byName(otel.tree());
    const [firstChat, secondChat] = spans.filter((s) => s.name === 'chat scripted');
    expect(JSON.parse(String(firstChat!.span.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You are a forecaster.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Weather in London?' }] },
    ]);
    expect(JSON.parse(String(firstChat!.span.attributes['gen_ai.system_instructions']))).toEqual([{ type: 'text', content: 'Answer in one sentence.' }]);
    expect(JSON.parse(String(firstChat!.span.attributes['gen_ai.output.messages']))).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'I should look it up.' },
          { type: 'tool_call', id: 'w1', name: 'weather', arguments: { city: 'London' } },
        ],
        // The model reported no finish reason; the conventions require one: the parts imply it.
        finish_reason: 'tool_call',
      },
    ]);
    const secondInput = JSON.parse(String(secondChat!.span.attributes['gen_ai.input.messages'])) as { role: string; parts: unknown[] }[];
    expect(secondInput.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(secondInput[3]!.parts).toEqual([{ type: 'tool_call_response', id: 'w1', response: { city: 'London', celsius: 21 } }]);
    const tool = spans.find((s) => s.name === 'execute_tool weather')!;
    expect(tool.span.attributes['gen_ai.tool.call.arguments']).toBe('{"city":"London"}');
    expect(JSON.parse(String(tool.span.attributes['gen_ai.tool.call.result']))).toEqual({ city: 'London', celsius: 21 });
    const runSpan = spans.find((s) => s.name === 'invoke_agent forecaster')!;
    expect(JSON.parse(String(runSpan.span.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Weather in London?' }] },
    ]);
    expect(JSON.parse(String(runSpan.span.attributes['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'It is 21 degrees in London.' }], finish_reason: 'stop' },
    ]);
  });

  it('records images as media type only, unless binary content is asked for', async () => {
    const prompt = [
      'What is this?',
      { kind: 'binary' as const, data: 'aGVsbG8=', mediaType: 'image/png' },
      { kind: 'image-url' as const, url: 'https://example.com/cat.jpg' },
    ];
    const parts = async (includeBinaryContent: boolean) => {
      const otel = otelHarness();
      await agent({
        name: 'vision',
        model: new FunctionModel(() => 'a cat', { name: 'eyes' }),
        instrument: otel.settings({ includeContent: true, includeBinaryContent }),
      }).run(prompt);
      const chat = otel.spans().find((s) => s.name === 'chat eyes')!;
      return (JSON.parse(String(chat.attributes['gen_ai.input.messages'])) as { parts: unknown[] }[])[0]!.parts;
    };
    expect(await parts(false)).toEqual([
      { type: 'text', content: 'What is this?' },
      { type: 'blob', mime_type: 'image/png', modality: 'image' },
      { type: 'uri', uri: 'https://example.com/cat.jpg', modality: 'image' },
    ]);
    expect((await parts(true))[1]).toEqual({ type: 'blob', mime_type: 'image/png', modality: 'image', content: 'aGVsbG8=' });
  });

  it('emits the 1.36 set when asked: gen_ai.system, and messages as span events', async () => {
    const otel = otelHarness();
    await run(otel.settings({ includeContent: true, semconv: '1.36' }));
    const chat = otel.spans().find((s) => s.name === 'chat scripted')!;
    expect(chat.attributes['gen_ai.system']).toBe('function');
    expect(chat.attributes['gen_ai.provider.name']).toBeUndefined();
    for (const span of otel.spans()) for (const key of CONTENT_KEYS) expect(span.attributes[key], `${span.name} ${key}`).toBeUndefined();
    expect(chat.events.map((e) => e.name)).toEqual(['gen_ai.system.message', 'gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.choice']);
    const choice = chat.events.at(-1)!;
    expect(choice.attributes).toMatchObject({ 'gen_ai.system': 'function', index: 0, finish_reason: 'tool_call' });
    expect(JSON.parse(String(choice.attributes?.['message']))).toEqual({
      tool_calls: [{ id: 'w1', type: 'function', function: { name: 'weather', arguments: { city: 'London' } } }],
    });
    expect(chat.events.find((e) => e.name === 'gen_ai.user.message')!.attributes).toEqual({ 'gen_ai.system': 'function', content: 'Weather in London?' });
    expect(chat.events[0]!.attributes).toEqual({ 'gen_ai.system': 'function', content: 'Answer in one sentence.' });
    const second = otel.spans().filter((s) => s.name === 'chat scripted')[1]!;
    expect(second.events.map((e) => e.name)).toContain('gen_ai.tool.message');
    expect(second.events.find((e) => e.name === 'gen_ai.assistant.message')!.attributes).toHaveProperty('tool_calls');
  });

  it('redacts a key a client uses even when it is not shaped like one', async () => {
    const secret = 'local0secret0token0f3a9c1';
    const otel = otelHarness();
    const reply = {
      request: { method: 'POST', path: '/v1/chat/completions' },
      response: {
        kind: 'json' as const,
        status: 200,
        body: {
          id: 'c',
          object: 'chat.completion',
          created: 1,
          model: 'm',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: `you said ${secret}` } }],
        },
      },
    };
    await withReplay([reply], async (server) => {
      const model = OpenAIChatModel.connect('m', { apiKey: secret, baseURL: `${server.url}/v1`, maxRetries: 0 });
      await agent({ name: 'echo', model, instrument: otel.settings({ includeContent: true }) }).run(`the token is ${secret}`);
    });
    const text = exportedText(otel.spans());
    expect(text).toContain('you said [redacted]');
    expect(text).not.toContain(secret);
  });
});
