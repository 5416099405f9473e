/**
 * FunctionModel's streaming variant, an async iterator written by hand, streams exactly what the
 * async generator it replaced streamed (events and usage), and behaves like a generator: nothing
 * runs before the first `next()`, calls are served in order, leaving early or an abort closes the
 * stream function's iterator, and a stream that throws is not closed again.
 */
import { describe, expect, it } from 'vitest';
import { agent, type ModelMessage, type ModelRequestParameters, type ModelStreamEvent, type ResponsePart } from 'schemantic';
import { FunctionModel, type DeltaToolCalls, type StreamChunk } from 'schemantic/testing';
import { estimateUsage } from '../../runtime/testing/estimate-usage.js';

const params: ModelRequestParameters = { functionTools: [], outputTools: [], outputMode: 'tool', allowText: true };
const messages: ModelMessage[] = [{ kind: 'request', parts: [{ kind: 'user-prompt', content: 'hi', timestamp: '' }] }];

/** The async generator FunctionModel streamed with before (the reference). */
async function* reference(chunks: AsyncIterable<StreamChunk>, name: string, signal?: AbortSignal): AsyncIterable<ModelStreamEvent> {
  const parts: ResponsePart[] = [];
  let textIndex: number | undefined;
  let thinkingIndex: number | undefined;
  const toolIndex = new Map<number, number>();
  for await (const chunk of chunks) {
    signal?.throwIfAborted();
    if (typeof chunk === 'string') {
      if (textIndex === undefined) {
        textIndex = parts.length;
        parts.push({ kind: 'text', content: '' });
        yield { kind: 'part-start', index: textIndex, part: { kind: 'text', content: '' } };
      }
      (parts[textIndex] as { content: string }).content += chunk;
      yield { kind: 'part-delta', index: textIndex, delta: { kind: 'text', content: chunk } };
    } else if ('thinking' in chunk && typeof chunk.thinking === 'string') {
      if (thinkingIndex === undefined) {
        thinkingIndex = parts.length;
        parts.push({ kind: 'thinking', content: '' });
        yield { kind: 'part-start', index: thinkingIndex, part: { kind: 'thinking', content: '' } };
      }
      yield {
        kind: 'part-delta',
        index: thinkingIndex,
        delta: { kind: 'thinking', content: chunk.thinking, ...(chunk.signature ? { signature: chunk.signature } : {}) },
      };
    } else {
      for (const [key, delta] of Object.entries(chunk as DeltaToolCalls)) {
        const call = Number(key);
        let index = toolIndex.get(call);
        if (index === undefined) {
          index = parts.length;
          toolIndex.set(call, index);
          const part: ResponsePart = { kind: 'tool-call', toolName: delta.name ?? '', args: '', toolCallId: delta.toolCallId ?? `call-${index}` };
          parts.push(part);
          yield { kind: 'part-start', index, part: structuredClone(part) };
          if (delta.jsonArgs) yield { kind: 'part-delta', index, delta: { kind: 'tool-call', argsDelta: delta.jsonArgs } };
          continue;
        }
        const part = parts[index] as { args: string; toolName: string };
        if (delta.jsonArgs) part.args += delta.jsonArgs;
        if (delta.name) part.toolName += delta.name;
        yield {
          kind: 'part-delta',
          index,
          delta: { kind: 'tool-call', ...(delta.jsonArgs ? { argsDelta: delta.jsonArgs } : {}), ...(delta.name ? { toolName: delta.name } : {}) },
        };
      }
    }
  }
  for (let i = 0; i < parts.length; i++) yield { kind: 'part-end', index: i };
  yield {
    kind: 'finish',
    modelName: name,
    usage: estimateUsage(messages, parts),
    finishReason: parts.some((p) => p.kind === 'tool-call') ? 'tool-call' : 'stop',
  };
}

async function* play(chunks: readonly StreamChunk[]): AsyncIterable<StreamChunk> {
  for (const chunk of chunks) yield chunk;
}

async function collect(events: AsyncIterable<ModelStreamEvent>): Promise<ModelStreamEvent[]> {
  const out: ModelStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const SCRIPTS: [string, StreamChunk[]][] = [
  ['text', ['Hello', '', ' world']],
  ['thinking, then text', [{ thinking: 'hmm ' }, { thinking: 'yes', signature: 'sig' }, { thinking: '' }, 'ok']],
  [
    'tool calls: several per chunk, out of order, names and ids in deltas, empty deltas',
    [
      { 1: { name: 'b', jsonArgs: '{"x":', toolCallId: 'id-b' }, 0: { jsonArgs: '{' } },
      { 0: { name: 'a' } },
      { 0: { name: 'bc', jsonArgs: '"y":1}' }, 1: { jsonArgs: '2}' } },
      { 1: {} },
      { 2: { name: 'c' } },
      { 2: { jsonArgs: '' } },
    ],
  ],
  ['everything', ['Let me check. ', { thinking: 'plan' }, { 0: { name: 'weather', jsonArgs: '{"city":"Oslo"}', toolCallId: 'w1' } }, 'Done.']],
  ['nothing', []],
];

describe('FunctionModel streaming', () => {
  it.each(SCRIPTS)('streams what the generator streamed: %s', async (_name, script) => {
    const model = new FunctionModel(undefined, { stream: () => play(script), name: 'fm' });
    expect(await collect(model.requestStream(messages, undefined, params))).toEqual(await collect(reference(play(script), 'fm')));
  });

  it('calls the stream function on the first next(), and never when closed before', async () => {
    let calls = 0;
    const model = new FunctionModel(undefined, { stream: () => (calls++, play(['a'])) });
    const events = model.requestStream(messages, undefined, params)[Symbol.asyncIterator]();
    expect(calls).toBe(0);
    expect(await events.next()).toMatchObject({ done: false, value: { kind: 'part-start' } });
    expect(calls).toBe(1);
    const unread = model.requestStream(messages, undefined, params)[Symbol.asyncIterator]();
    expect(await unread.return!()).toEqual({ done: true, value: undefined });
    expect(await unread.next()).toEqual({ done: true, value: undefined });
    expect(calls).toBe(1);
  });

  it('serves overlapping next() calls in order', async () => {
    const model = new FunctionModel(undefined, {
      stream: async function* () {
        for (const chunk of ['a', 'b']) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          yield chunk;
        }
      },
    });
    const events = model.requestStream(messages, undefined, params)[Symbol.asyncIterator]();
    const all = await Promise.all(Array.from({ length: 7 }, () => events.next()));
    expect(all.map((r) => (r.done ? 'done' : r.value.kind))).toEqual(['part-start', 'part-delta', 'part-delta', 'part-end', 'finish', 'done', 'done']);
  });

  it('leaving early closes the stream function; a stream that throws is not closed again', async () => {
    const log: string[] = [];
    const model = (fail: boolean) =>
      new FunctionModel(undefined, {
        stream: async function* () {
          try {
            yield 'a';
            if (fail) throw new Error('broken');
            yield 'b';
          } finally {
            log.push('closed');
          }
        },
      });
    for await (const event of model(false).requestStream(messages, undefined, params)) if (event.kind === 'part-delta') break;
    expect(log).toEqual(['closed']);
    const events = model(true).requestStream(messages, undefined, params)[Symbol.asyncIterator]();
    await events.next();
    await events.next();
    await expect(events.next()).rejects.toThrow('broken');
    expect(await events.next()).toEqual({ done: true, value: undefined });
    expect(await events.return!()).toEqual({ done: true, value: undefined });
    expect(log).toEqual(['closed', 'closed']);
  });

  it('a stream function that throws at once fails the stream, which then ends', async () => {
    const model = new FunctionModel(undefined, {
      stream: () => {
        throw new Error('no stream');
      },
    });
    const events = model.requestStream(messages, undefined, params)[Symbol.asyncIterator]();
    await expect(events.next()).rejects.toThrow('no stream');
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it('an abort stops at the next chunk and closes the stream function', async () => {
    const controller = new AbortController();
    let closed = false;
    const model = new FunctionModel(undefined, {
      stream: async function* () {
        try {
          yield 'a';
          yield 'b';
        } finally {
          closed = true;
        }
      },
    });
    const events = model.requestStream(messages, undefined, params, controller.signal)[Symbol.asyncIterator]();
    await events.next();
    await events.next();
    controller.abort();
    await expect(events.next()).rejects.toBe(controller.signal.reason);
    expect(closed).toBe(true);
  });
});

describe('a streamed run read by hand', () => {
  it('is read one way, once: a second way fails, even one started in the same tick', async () => {
    const model = () => new FunctionModel(undefined, { stream: () => play(['one ', 'two']) });
    const run = agent({ name: 'words', model: model() }).runStream('?');
    const texts: string[] = [];
    for await (const text of run.textStream()) texts.push(text);
    expect(texts).toEqual(['one ', 'one two']);
    await expect(run.output()).resolves.toBe('one two');
    await expect(run.textStream()[Symbol.asyncIterator]().next()).rejects.toThrow('this streamed run was already read');

    const both = agent({ name: 'words', model: model() }).runStream('?');
    const first = both.textStream()[Symbol.asyncIterator]().next();
    const second = both.outputStream()[Symbol.asyncIterator]().next();
    expect(await first).toEqual({ done: false, value: 'one ' });
    await expect(second).rejects.toThrow('this streamed run was already read');
  });

  it('serves overlapping next() calls in order, and return() waits for the one in flight', async () => {
    const model = new FunctionModel(undefined, { stream: () => play(['one ', 'two ', 'three']) });
    const texts = agent({ name: 'words', model }).runStream('?').textStream()[Symbol.asyncIterator]();
    const [a, b] = await Promise.all([texts.next(), texts.next()]);
    expect([a.value, b.value]).toEqual(['one ', 'one two ']);
    const pending = texts.next();
    const closed = texts.return!();
    expect((await pending).value).toBe('one two three');
    expect(await closed).toEqual({ done: true, value: undefined });
    expect(await texts.next()).toEqual({ done: true, value: undefined });
  });
});
