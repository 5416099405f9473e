/**
 * Streamed runs on FunctionModel's streaming variant: text as it arrives, structured output
 * filling in, tool-call arguments parsed as they arrive, run events, cancellation with a
 * consistent history, debouncing, and stream-then-collect equal to a plain request.
 */
import { describe, expect, it } from 'vitest';
import { agent, collectStream, defineTool, type AgentRunEvent, type ModelMessage } from 'schemantic';
import { FunctionModel, TestModel, type StreamChunk } from 'schemantic/testing';
import { masked } from '../helpers/messages.js';

/** A streaming model that plays one script per request. */
function streamed(...scripts: StreamChunk[][]): FunctionModel {
  let i = 0;
  return new FunctionModel(undefined, {
    stream: async function* () {
      const script = scripts[Math.min(i++, scripts.length - 1)]!;
      for (const chunk of script) {
        await Promise.resolve();
        yield chunk;
      }
    },
  });
}

const city = {
  type: 'object',
  properties: { name: { type: 'string' }, population: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } },
  required: ['name', 'population'],
};

/** Splits text into pieces of `size` characters (a model's chunks). */
const pieces = (text: string, size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

describe('textStream', () => {
  it('yields the text as it arrives: cumulative by default, or deltas', async () => {
    const model = streamed(['The ', 'capital ', 'is ', 'Paris.']);
    const cumulative: string[] = [];
    const run = agent({ name: 'geo', model }).runStream('Capital of France?');
    for await (const text of run.textStream()) cumulative.push(text);
    expect(cumulative).toEqual(['The ', 'The capital ', 'The capital is ', 'The capital is Paris.']);
    expect(await run.output()).toBe('The capital is Paris.');
    expect(run.usage().requests).toBe(1);

    const deltas: string[] = [];
    for await (const d of agent({ name: 'geo', model: streamed(['The ', 'capital']) })
      .runStream('?')
      .textStream({ delta: true }))
      deltas.push(d);
    expect(deltas).toEqual(['The ', 'capital']);
  });

  it('groups deltas within the debounce window, always ending with the rest', async () => {
    const grouped: string[] = [];
    const run = agent({ name: 'geo', model: streamed(pieces('abcdefghij', 1)) }).runStream('?');
    for await (const d of run.textStream({ delta: true, debounceMs: 60_000 })) grouped.push(d);
    // The first delta passes at once; the window then holds everything until the stream ends.
    expect(grouped).toEqual(['a', 'bcdefghij']);
  });
});

describe('outputStream', () => {
  it('yields the structured output filling in, field by field, then the validated output', async () => {
    const json = '{"name": "Paris", "population": 2148000, "tags": ["capital", "river"]}';
    const chunks: StreamChunk[] = pieces(json, 6).map((piece, i) => ({
      0: i === 0 ? { name: 'final_result', jsonArgs: piece, toolCallId: 'o1' } : { jsonArgs: piece },
    }));
    const run = agent<undefined, { name: string; population: number; tags?: string[] }>({ name: 'geo', model: streamed(chunks), output: city }).runStream(
      'Paris?',
    );
    const seen: unknown[] = [];
    for await (const partial of run.outputStream()) seen.push(structuredClone(partial));
    // Chunks of 6 characters: a partial appears only when one changes what the output holds.
    expect(seen).toEqual([
      {},
      { name: 'Pa' },
      { name: 'Paris' },
      { name: 'Paris', population: 2148000 },
      { name: 'Paris', population: 2148000, tags: ['cap'] },
      { name: 'Paris', population: 2148000, tags: ['capital'] },
      { name: 'Paris', population: 2148000, tags: ['capital', 'rive'] },
      { name: 'Paris', population: 2148000, tags: ['capital', 'river'] },
      // The final output, validated.
      { name: 'Paris', population: 2148000, tags: ['capital', 'river'] },
    ]);
    expect(await run.output()).toEqual({ name: 'Paris', population: 2148000, tags: ['capital', 'river'] });
  });

  it('reads JSON from text in native mode, and past words and fences in prompted mode', async () => {
    const native = agent<undefined, { name: string; population: number }>({
      name: 'geo',
      model: streamed(pieces('{"name":"Oslo","population":709000}', 10)),
      output: city,
      outputMode: 'native',
    }).runStream('?');
    const last: unknown[] = [];
    for await (const p of native.outputStream()) last.push(structuredClone(p));
    expect(last.at(-1)).toEqual({ name: 'Oslo', population: 709000 });
    expect(last[0]).toEqual({ name: 'O' });

    const prompted = agent<undefined, { name: string; population: number }>({
      name: 'geo',
      model: streamed(pieces('Sure!\n```json\n{"name":"Rome","population":2873000}\n```\nAnything else?', 7)),
      output: city,
      outputMode: 'prompted',
    }).runStream('?');
    const partials: unknown[] = [];
    for await (const p of prompted.outputStream()) partials.push(structuredClone(p));
    // Chunks of 7: the words and the fence are skipped; "Rome" arrives in one chunk.
    expect(partials).toEqual([{}, { name: 'Rome' }, { name: 'Rome', population: 2873000 }, { name: 'Rome', population: 2873000 }]);
  });

  it('stops at the first final output: later tool calls of that response are not run, and say so', async () => {
    const calls: string[] = [];
    const log = defineTool({ name: 'log', parameters: { type: 'object' }, handler: () => (calls.push('log'), 'logged') });
    const model = streamed([
      { 0: { name: 'final_result', jsonArgs: '{"name":"Lima","population":1}', toolCallId: 'o1' } },
      { 1: { name: 'log', jsonArgs: '{}', toolCallId: 'l1' } },
    ]);
    const run = agent({ name: 'geo', model, output: city, tools: [log], endStrategy: 'exhaustive' }).runStream('?');
    expect(await run.output()).toEqual({ name: 'Lima', population: 1 });
    expect(calls).toEqual([]);
    const last = run.allMessages().at(-1)!;
    expect(last.kind === 'request' && last.parts.map((p) => p.kind === 'tool-return' && p.content)).toEqual([
      'Final result processed.',
      'Tool not executed - a final result was already processed.',
    ]);
  });
});

describe('run events', () => {
  const weather = (calls: string[]) =>
    defineTool<{ city: string }>({
      name: 'weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      handler: (_ctx, { city: c }) => (calls.push(c), `sunny in ${c}`),
    });

  it('reports a run with two tool rounds: parts as they grow, tool calls and results, the final result', async () => {
    const model = streamed(
      [{ 0: { name: 'weather', jsonArgs: '{"city":', toolCallId: 'w1' } }, { 0: { jsonArgs: '"Paris"}' } }],
      [{ 0: { name: 'weather', jsonArgs: '{"city":"Oslo"}', toolCallId: 'w2' } }],
      ['Sunny ', 'in both.'],
    );
    // partialArgs is live (updated in place by later deltas): describe each event as it arrives.
    const describe = (e: AgentRunEvent<string>) => {
      switch (e.kind) {
        case 'part-start':
          return `start ${e.index} ${e.part.kind}`;
        case 'part-delta':
          return 'partialArgs' in e ? `delta ${e.index} ${e.toolName} ${JSON.stringify(e.partialArgs)}` : `delta ${e.index} ${JSON.stringify(e.delta)}`;
        case 'part-end':
          return `end ${e.index} ${JSON.stringify(e.part)}`;
        case 'function-tool-call':
          return `call ${e.toolName} ${JSON.stringify(e.args)}`;
        case 'function-tool-result':
          return `result ${e.toolName} ${JSON.stringify(e.result.content)}`;
        case 'final-result':
          return 'final';
        case 'run-result':
          return `run-result ${JSON.stringify(e.result.output)}`;
        case 'deferred-tool-requests':
          return 'deferred';
        default:
          return e.kind;
      }
    };
    const compact: string[] = [];
    for await (const e of agent({ name: 'trip', model, tools: [weather([])] }).runStreamEvents('Weather in Paris and Oslo?')) compact.push(describe(e));
    expect(compact).toMatchInlineSnapshot(`
      [
        "start 0 tool-call",
        "delta 0 weather {}",
        "delta 0 weather {"city":"Paris"}",
        "end 0 {"kind":"tool-call","toolName":"weather","args":"{\\"city\\":\\"Paris\\"}","toolCallId":"w1"}",
        "call weather {"city":"Paris"}",
        "result weather "sunny in Paris"",
        "start 0 tool-call",
        "delta 0 weather {"city":"Oslo"}",
        "end 0 {"kind":"tool-call","toolName":"weather","args":"{\\"city\\":\\"Oslo\\"}","toolCallId":"w2"}",
        "call weather {"city":"Oslo"}",
        "result weather "sunny in Oslo"",
        "start 0 text",
        "delta 0 {"kind":"text","content":"Sunny "}",
        "delta 0 {"kind":"text","content":"in both."}",
        "end 0 {"kind":"text","content":"Sunny in both."}",
        "final",
        "run-result "Sunny in both."",
      ]
    `);
  });

  it('reaches an eventHandler of run(), and run.stream(node) while stepping with iter()', async () => {
    const model = () => streamed([{ 0: { name: 'weather', jsonArgs: '{"city":"Rome"}', toolCallId: 'w1' } }], ['Done.']);
    const kinds: string[] = [];
    const result = await agent({ name: 'trip', model: model(), tools: [weather([])] }).run('Rome?', { eventHandler: (e) => void kinds.push(e.kind) });
    expect(result.output).toBe('Done.');
    expect(kinds).toEqual([
      'part-start',
      'part-delta',
      'part-end',
      'function-tool-call',
      'function-tool-result',
      'part-start',
      'part-delta',
      'part-end',
      'final-result',
    ]);

    const run = agent({ name: 'trip', model: model(), tools: [weather([])] }).iter('Rome?');
    await run.next(); // user prompt -> model request
    const streamedKinds: string[] = [];
    const node = run.nextNode;
    expect(node.kind).toBe('model-request');
    const events = run.stream(node);
    for (let step = await events.next(); !step.done; step = await events.next()) streamedKinds.push(step.value.kind);
    expect(streamedKinds).toEqual(['part-start', 'part-delta', 'part-end']);
    expect(run.nextNode.kind).toBe('call-tools');
    expect((await run.complete()).output).toBe('Done.');
  });

  it('streams thinking and parallel tool calls', async () => {
    const calls: string[] = [];
    const model = streamed(
      [
        { thinking: 'Two cities: ' },
        { thinking: 'call twice.', signature: 'sig' },
        { 0: { name: 'weather', jsonArgs: '{"city":"A"}', toolCallId: 'a' }, 1: { name: 'weather', jsonArgs: '{"city":"B"}', toolCallId: 'b' } },
      ],
      ['ok'],
    );
    const deltas: string[] = [];
    const result = await agent({ name: 'trip', model, tools: [weather(calls)] }).run('?', {
      eventHandler: (e) => {
        if (e.kind === 'part-delta' && e.delta.kind === 'thinking') deltas.push(e.delta.content ?? '');
      },
    });
    expect(deltas).toEqual(['Two cities: ', 'call twice.']);
    expect(calls.sort()).toEqual(['A', 'B']);
    expect(masked(result.allMessages()[1])).toMatchObject({
      parts: [{ kind: 'thinking', content: 'Two cities: call twice.', signature: 'sig' }, { toolCallId: 'a' }, { toolCallId: 'b' }],
    });
  });
});

describe('cancellation', () => {
  it('an abort mid-text stops the run; the history keeps the text so far, marked interrupted', async () => {
    const controller = new AbortController();
    const run = agent({ name: 'geo', model: streamed(['one ', 'two ', 'three ', 'four']) }).runStream('?', { signal: controller.signal });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const d of run.textStream({ delta: true })) {
        seen.push(d);
        if (seen.length === 2) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toBe(controller.signal.reason);
    expect(seen).toEqual(['one ', 'two ']);
    const last = run.allMessages().at(-1)!;
    expect(masked(last)).toMatchObject({ kind: 'response', parts: [{ kind: 'text', content: 'one two ' }], interrupted: true });
  });

  it('an abort mid-tool-call stops the run before the tool runs; the history holds no call', async () => {
    const controller = new AbortController();
    const ran: string[] = [];
    const model = streamed([{ 0: { name: 'weather', jsonArgs: '{"city":', toolCallId: 'w1' } }, { 0: { jsonArgs: '"Par' } }, { 0: { jsonArgs: 'is"}' } }]);
    const tool = defineTool({ name: 'weather', parameters: { type: 'object' }, handler: () => (ran.push('weather'), 'x') });
    const events: string[] = [];
    const run = agent({ name: 'trip', model, tools: [tool] });
    const error = await (async () => {
      for await (const e of run.runStreamEvents('?', { signal: controller.signal })) {
        events.push(e.kind);
        if (e.kind === 'part-delta') controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toBe(controller.signal.reason);
    expect(events).toEqual(['part-start', 'part-delta']);
    expect(ran).toEqual([]);
  });

  it('leaving mid-tool-call cancels it; no tool call is left without a result in the history', async () => {
    let closed = false;
    const model = new FunctionModel(undefined, {
      stream: async function* () {
        try {
          yield { 0: { name: 'weather', jsonArgs: '{"city":', toolCallId: 'w1' } };
          yield { 0: { jsonArgs: '"Par' } };
          yield { 0: { jsonArgs: 'is"}' } };
        } finally {
          closed = true;
        }
      },
    });
    const run = agent({ name: 'trip', model, tools: [defineTool({ name: 'weather', parameters: { type: 'object' }, handler: () => 'x' })] }).iter('?');
    await run.next();
    for await (const event of run.stream()) if (event.kind === 'part-delta') break;
    expect(closed).toBe(true);
    const messages: readonly ModelMessage[] = await run.messages();
    expect(masked(messages.at(-1))).toMatchObject({ kind: 'response', parts: [], interrupted: true });
    expect(JSON.stringify(messages)).not.toContain('tool-call');
  });
});

describe('leaving a streamed run early', () => {
  /** A model streaming `chunks`; `closed` turns true when its stream is closed. */
  function watched(chunks: StreamChunk[]): { model: FunctionModel; closed: () => boolean } {
    let closed = false;
    const model = new FunctionModel(undefined, {
      stream: async function* () {
        try {
          for (const chunk of chunks) yield chunk;
        } finally {
          closed = true;
        }
      },
    });
    return { model, closed: () => closed };
  }
  const weather = defineTool({ name: 'weather', parameters: { type: 'object' }, handler: () => 'x' });

  it('runStreamEvents: breaking out closes the model stream', async () => {
    const { model, closed } = watched([{ 0: { name: 'weather', jsonArgs: '{"city":', toolCallId: 'w1' } }, { 0: { jsonArgs: '"Paris"}' } }]);
    for await (const event of agent({ name: 'trip', model, tools: [weather] }).runStreamEvents('?')) if (event.kind === 'part-delta') break;
    expect(closed()).toBe(true);
  });

  it('textStream: breaking out closes the model stream and keeps the text so far, marked interrupted', async () => {
    const { model, closed } = watched(['one ', 'two ', 'three']);
    const run = agent({ name: 'words', model }).runStream('?');
    for await (const text of run.textStream()) if (text === 'one ') break;
    expect(closed()).toBe(true);
    expect(masked(run.allMessages().at(-1))).toMatchObject({ kind: 'response', parts: [{ kind: 'text', content: 'one ' }], interrupted: true });
  });

  it('outputStream: breaking out closes the model stream; the cut output call is not kept', async () => {
    const { model, closed } = watched([
      { 0: { name: 'final_result', jsonArgs: '{"name":"Oslo",', toolCallId: 'o1' } },
      { 0: { jsonArgs: '"population":700000}' } },
    ]);
    const run = agent<undefined, unknown>({ name: 'city', model, output: city }).runStream('?');
    const seen: unknown[] = [];
    for await (const partial of run.outputStream()) {
      seen.push(structuredClone(partial));
      break;
    }
    expect(seen).toEqual([{ name: 'Oslo' }]);
    expect(closed()).toBe(true);
    expect(masked(run.allMessages().at(-1))).toMatchObject({ kind: 'response', parts: [], interrupted: true });
  });
});

describe('stream then collect', () => {
  it('gives the response a plain request gives, for TestModel and FunctionModel', async () => {
    const params = {
      functionTools: [
        { name: 'weather', kind: 'function' as const, parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      ],
      outputTools: [],
      outputMode: 'text' as const,
      allowText: true,
    };
    const prompt: ModelMessage[] = [{ kind: 'request', parts: [{ kind: 'user-prompt', content: 'hi', timestamp: '' }] }];
    for (const model of [
      new TestModel(),
      new FunctionModel(() => [
        { kind: 'text', content: 'hello' },
        { kind: 'tool-call', toolName: 'weather', args: '{"city":"X"}', toolCallId: 'c' },
      ]),
    ]) {
      const plain = await model.request(prompt, undefined, params);
      const collected = await collectStream(model.requestStream(prompt, undefined, params));
      expect(masked(collected)).toEqual(masked(plain));
    }
  });
});
