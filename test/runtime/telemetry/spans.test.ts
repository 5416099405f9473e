/**
 * Spans of agent runs against the GenAI semantic conventions: names, nesting and attributes for a
 * tool run, a structured output run, retries, a delegation, a streamed run, a cancelled run, a
 * failed run and a fallback, each checked against a table of the attributes the conventions expect.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { agent, FallbackModel, ModelAPIError, ModelRetry, type ModelResponse, type ResponsePart } from 'schemantic';
import { FunctionModel, TestModel } from 'schemantic/testing';
import 'schemantic/telemetry';
import { otelHarness, type SpanNode } from './otel-harness.js';

/** A model that calls `tool` with `args` once, then answers `answer`. */
function callsThenAnswers(tool: string, args: object, answer: string | ResponsePart[]): FunctionModel {
  return new FunctionModel(
    (messages) => (messages.some((m) => m.kind === 'response') ? answer : [{ kind: 'tool-call', toolName: tool, args, toolCallId: 'call-1' }]),
    { name: 'scripted' },
  );
}

const cityTool = {
  name: 'get_city',
  description: 'A city by code.',
  parameters: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'], additionalProperties: false },
  handler: async (_ctx: unknown, { code }: { code: string }) => ({ code, name: code === 'LON' ? 'London' : 'elsewhere' }),
};

/** The attributes of a span that the table names (only those keys). */
function picked(node: SpanNode, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, node.span.attributes[k]]));
}

function find(nodes: SpanNode[], name: string): SpanNode {
  for (const node of nodes) {
    if (node.name === name) return node;
    const inner = node.children.length > 0 ? findOrUndefined(node.children, name) : undefined;
    if (inner) return inner;
  }
  throw new Error(`no span named ${name}`);
}

function findOrUndefined(nodes: SpanNode[], name: string): SpanNode | undefined {
  try {
    return find(nodes, name);
  } catch {
    return undefined;
  }
}

interface Case {
  name: string;
  /** Runs the scenario with these settings; resolves when the run is over (whatever its outcome). */
  run: (settings: object) => Promise<unknown>;
  /** The expected tree of span names. */
  shape: unknown[];
  /** Expected attributes (exact values) by span name. */
  attributes: Record<string, Record<string, unknown>>;
  /** Expected span status codes by span name. */
  status?: Record<string, SpanStatusCode>;
  /** Span events expected by span name (names only). */
  events?: Record<string, string[]>;
}

const CASES: Case[] = [
  {
    name: 'a tool run',
    run: (instrument) =>
      agent({ name: 'cities', model: callsThenAnswers('get_city', { code: 'LON' }, 'London it is.'), tools: [cityTool], instrument }).run('Which city is LON?'),
    shape: ['invoke_agent cities', ['chat scripted', 'execute_tool get_city', 'chat scripted']],
    attributes: {
      'invoke_agent cities': {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'cities',
        'gen_ai.provider.name': 'function',
        'gen_ai.request.model': 'scripted',
        'gen_ai.output.type': 'text',
        'schemantic.run.outcome': 'success',
        'schemantic.run.requests': 2,
      },
      'chat scripted': {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'function',
        'gen_ai.request.model': 'scripted',
        'gen_ai.response.model': 'scripted',
        'gen_ai.output.type': 'text',
        'schemantic.request.streamed': false,
      },
      'execute_tool get_city': {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_city',
        'gen_ai.tool.call.id': 'call-1',
        'gen_ai.tool.type': 'function',
        'schemantic.tool.retry': 0,
        'schemantic.tool.outcome': 'success',
      },
    },
    status: { 'invoke_agent cities': SpanStatusCode.UNSET, 'execute_tool get_city': SpanStatusCode.UNSET },
  },
  {
    name: 'a structured output run',
    run: (instrument) =>
      agent<undefined, { city: string }>({
        name: 'structured',
        model: new TestModel({ customOutputArgs: { city: 'London' } }),
        output: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        instrument,
      }).run('Where?'),
    shape: ['invoke_agent structured', ['chat test']],
    attributes: {
      'invoke_agent structured': { 'gen_ai.output.type': 'json', 'gen_ai.provider.name': 'test', 'schemantic.run.outcome': 'success' },
      'chat test': { 'gen_ai.output.type': 'json', 'gen_ai.response.finish_reasons': ['tool_call'] },
    },
  },
  {
    name: 'a tool retry (ModelRetry, then invalid arguments, then success)',
    run: (instrument) => {
      let calls = 0;
      const model = new FunctionModel(
        (messages) => {
          const step = messages.filter((m) => m.kind === 'response').length;
          if (step === 0) return [{ kind: 'tool-call', toolName: 'get_city', args: { code: 'XXX' }, toolCallId: 'c1' }];
          if (step === 1) return [{ kind: 'tool-call', toolName: 'get_city', args: { wrong: 1 }, toolCallId: 'c2' }];
          if (step === 2) return [{ kind: 'tool-call', toolName: 'get_city', args: { code: 'LON' }, toolCallId: 'c3' }];
          return 'done';
        },
        { name: 'retrying' },
      );
      const tool = {
        ...cityTool,
        retries: 3,
        handler: async (_ctx: unknown, { code }: { code: string }) => {
          calls += 1;
          if (code === 'XXX') throw new ModelRetry('unknown code XXX, try LON');
          return { code, calls };
        },
      };
      return agent({ name: 'retries', model, tools: [tool], instrument }).run('go');
    },
    shape: [
      'invoke_agent retries',
      ['chat retrying', 'execute_tool get_city', 'chat retrying', 'execute_tool get_city', 'chat retrying', 'execute_tool get_city', 'chat retrying'],
    ],
    attributes: {},
  },
  {
    name: 'a delegation (the delegate run nests under the delegating tool call)',
    run: (instrument) => {
      const helper = agent({ name: 'helper', model: new TestModel({ customOutputText: 'helped' }) });
      const boss = agent({
        name: 'boss',
        model: callsThenAnswers('helper', { prompt: 'help me' }, 'thanks'),
        delegates: [helper],
        instrument,
      });
      return boss.run('delegate this');
    },
    shape: ['invoke_agent boss', ['chat scripted', 'execute_tool helper', ['invoke_agent helper', ['chat test']], 'chat scripted']],
    attributes: { 'invoke_agent helper': { 'gen_ai.agent.name': 'helper', 'schemantic.run.outcome': 'success' } },
  },
  {
    name: 'a streamed run',
    run: async (instrument) => {
      const model = new FunctionModel(undefined, {
        name: 'streamer',
        stream: async function* () {
          yield 'Hello, ';
          yield 'world';
        },
      });
      const run = agent({ name: 'streamed', model, instrument }).runStream('hi');
      const texts: string[] = [];
      for await (const text of run.textStream()) texts.push(text);
      expect(texts.at(-1)).toBe('Hello, world');
    },
    shape: ['invoke_agent streamed', ['chat streamer']],
    attributes: { 'chat streamer': { 'schemantic.request.streamed': true }, 'invoke_agent streamed': { 'schemantic.run.outcome': 'success' } },
  },
  {
    name: 'a cancelled streamed run (the reader stops after the first chunk)',
    run: async (instrument) => {
      const model = new FunctionModel(undefined, {
        name: 'endless',
        stream: async function* () {
          for (let i = 0; ; i++) yield `chunk ${i} `;
        },
      });
      const run = agent({ name: 'cancelled', model, instrument }).runStream('hi');
      for await (const _ of run.textStream({ delta: true })) break;
    },
    shape: ['invoke_agent cancelled', ['chat endless']],
    attributes: {
      'invoke_agent cancelled': { 'schemantic.run.outcome': 'cancelled', 'error.type': 'cancelled' },
      'chat endless': { 'error.type': 'cancelled' },
    },
    status: { 'invoke_agent cancelled': SpanStatusCode.ERROR, 'chat endless': SpanStatusCode.ERROR },
  },
  {
    name: 'a run cancelled by its signal',
    run: async (instrument) => {
      const controller = new AbortController();
      const model = new FunctionModel(
        () => {
          controller.abort(new Error('user pressed stop'));
          throw controller.signal.reason;
        },
        { name: 'slow' },
      );
      await agent({ name: 'aborted', model, instrument })
        .run('hi', { signal: controller.signal })
        .catch(() => undefined);
    },
    shape: ['invoke_agent aborted', ['chat slow']],
    attributes: { 'invoke_agent aborted': { 'schemantic.run.outcome': 'cancelled', 'error.type': 'cancelled' } },
    status: { 'invoke_agent aborted': SpanStatusCode.ERROR },
  },
  {
    name: 'a failed run (a tool handler throws)',
    run: async (instrument) => {
      const tool = {
        ...cityTool,
        handler: async () => {
          throw new TypeError('database is down');
        },
      };
      await agent({ name: 'failing', model: callsThenAnswers('get_city', { code: 'LON' }, 'never'), tools: [tool], instrument })
        .run('go')
        .catch((err: unknown) => expect((err as Error).message).toBe('database is down'));
    },
    shape: ['invoke_agent failing', ['chat scripted', 'execute_tool get_city']],
    attributes: {
      'invoke_agent failing': { 'schemantic.run.outcome': 'error', 'error.type': 'TypeError' },
      'execute_tool get_city': { 'schemantic.tool.outcome': 'error', 'error.type': 'TypeError' },
    },
    status: { 'invoke_agent failing': SpanStatusCode.ERROR, 'execute_tool get_city': SpanStatusCode.ERROR },
    events: { 'invoke_agent failing': ['exception'], 'execute_tool get_city': ['exception'] },
  },
  {
    name: 'a fallback (the first model fails, the second answers)',
    run: (instrument) => {
      const broken = new FunctionModel(
        () => {
          throw new ModelAPIError('broken', 'HTTP 503 from broken');
        },
        { name: 'broken' },
      );
      const working = new FunctionModel(() => 'fine', { name: 'working' });
      return agent({ name: 'fallback', model: new FallbackModel([broken, working]), instrument }).run('hi');
    },
    shape: ['invoke_agent fallback', ['chat fallback(function:broken, function:working)', ['chat broken', 'chat working']]],
    attributes: {
      'chat fallback(function:broken, function:working)': { 'gen_ai.provider.name': 'fallback', 'gen_ai.response.model': 'working' },
      'chat broken': { 'gen_ai.provider.name': 'function', 'schemantic.fallback.attempt': true, 'error.type': 'ModelAPIError' },
      'chat working': { 'gen_ai.provider.name': 'function', 'error.type': undefined },
    },
    status: { 'chat broken': SpanStatusCode.ERROR, 'chat working': SpanStatusCode.UNSET },
  },
];

describe('spans of a run, by the GenAI conventions', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const otel = otelHarness();
    await c.run(otel.settings());
    expect(otel.shape()).toEqual(c.shape);
    const tree = otel.tree();
    for (const [name, expected] of Object.entries(c.attributes)) expect(picked(find(tree, name), Object.keys(expected)), name).toEqual(expected);
    for (const [name, code] of Object.entries(c.status ?? {})) expect(find(tree, name).span.status.code, name).toBe(code);
    for (const [name, events] of Object.entries(c.events ?? {}))
      expect(
        find(tree, name).span.events.map((e) => e.name),
        name,
      ).toEqual(events);
  });

  it('gives spans the kinds the conventions name: the run internal, model requests client, tools internal', async () => {
    const otel = otelHarness();
    await CASES[0]!.run(otel.settings());
    const kinds = Object.fromEntries(otel.spans().map((s) => [s.name, s.kind]));
    expect(kinds).toEqual({ 'invoke_agent cities': SpanKind.INTERNAL, 'chat scripted': SpanKind.CLIENT, 'execute_tool get_city': SpanKind.INTERNAL });
  });

  it('sums the tokens of its own requests on the run span', async () => {
    const otel = otelHarness();
    const model = new FunctionModel(
      (messages): { parts: ResponsePart[]; usage: ModelResponse['usage']; finishReason: 'stop'; providerResponseId: string } => ({
        parts: messages.some((m) => m.kind === 'response')
          ? [{ kind: 'text', content: 'ok' }]
          : [{ kind: 'tool-call', toolName: 'get_city', args: { code: 'LON' }, toolCallId: 't' }],
        usage: { inputTokens: 100, outputTokens: 7, details: { cacheReadTokens: 40 } },
        finishReason: 'stop',
        providerResponseId: 'resp-1',
      }),
      { name: 'counted' },
    );
    await agent({ name: 'tokens', model, tools: [cityTool], instrument: otel.settings() }).run('go');
    const tree = otel.tree();
    expect(picked(find(tree, 'invoke_agent tokens'), ['gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens'])).toEqual({
      'gen_ai.usage.input_tokens': 200,
      'gen_ai.usage.output_tokens': 14,
    });
    const chat = find(tree, 'chat counted');
    expect(
      picked(chat, [
        'gen_ai.usage.input_tokens',
        'gen_ai.usage.output_tokens',
        'gen_ai.usage.cache_read.input_tokens',
        'gen_ai.response.id',
        'gen_ai.response.finish_reasons',
      ]),
    ).toEqual({
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 7,
      'gen_ai.usage.cache_read.input_tokens': 40,
      'gen_ai.response.id': 'resp-1',
      'gen_ai.response.finish_reasons': ['stop'],
    });
  });

  it('records each retry on its tool span: ModelRetry and invalid arguments are errors with their reason, the retry count grows', async () => {
    const otel = otelHarness();
    await CASES[2]!.run(otel.settings());
    const tools = otel.tree()[0]!.children.filter((n) => n.name === 'execute_tool get_city');
    expect(
      tools.map((t) => [
        t.span.attributes['schemantic.tool.retry'],
        t.span.attributes['schemantic.tool.outcome'],
        t.span.attributes['error.type'],
        t.span.status.code,
      ]),
    ).toEqual([
      [0, 'retry', 'ModelRetry', SpanStatusCode.ERROR],
      [1, 'retry', 'InvalidArguments', SpanStatusCode.ERROR],
      [2, 'success', undefined, SpanStatusCode.UNSET],
    ]);
    expect(tools[0]!.span.status.message).toContain('unknown code XXX, try LON');
    expect(tools[0]!.span.events.map((e) => [e.name, e.attributes?.['exception.type']])).toEqual([['exception', 'ModelRetry']]);
    expect(tools[1]!.span.status.message).toMatch(/code/);
  });

  it('records an output the model must retry as an event on the run span', async () => {
    const otel = otelHarness();
    const model = new FunctionModel(
      (messages) => [{ kind: 'tool-call', toolName: 'final_result', args: messages.length > 1 ? { city: 'Paris' } : { town: 'Paris' }, toolCallId: 'o' }],
      { name: 'outputs' },
    );
    await agent({
      name: 'validated',
      model,
      output: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      instrument: otel.settings(),
    }).run('go');
    const run = find(otel.tree(), 'invoke_agent validated');
    const retries = run.span.events.filter((e) => e.name === 'schemantic.output.retry');
    expect(retries).toHaveLength(1);
    expect(retries[0]!.attributes).toMatchObject({ 'gen_ai.tool.name': 'final_result' });
    expect(String(retries[0]!.attributes?.['message'])).toMatch(/city/);
  });

  it('records the time to first chunk of a streamed request', async () => {
    const otel = otelHarness();
    await CASES[4]!.run(otel.settings());
    const ttfc = find(otel.tree(), 'chat streamer').span.attributes['gen_ai.response.time_to_first_chunk'];
    expect(typeof ttfc).toBe('number');
    expect(ttfc as number).toBeGreaterThanOrEqual(0);
  });

  it('ends the run span when a reader of iter() leaves early', async () => {
    const otel = otelHarness();
    const run = agent({ name: 'stepped', model: callsThenAnswers('get_city', { code: 'LON' }, 'done'), tools: [cityTool], instrument: otel.settings() }).iter(
      'go',
    );
    for await (const node of run) if (node.kind === 'call-tools') break;
    const span = find(otel.tree(), 'invoke_agent stepped').span;
    expect(span.attributes['schemantic.run.outcome']).toBe('cancelled');
    expect(span.ended).toBe(true);
  });

  it('records the run and request ids and settings the caller gave', async () => {
    const otel = otelHarness();
    await agent({
      name: 'ids',
      model: new TestModel(),
      modelSettings: { temperature: 0.2, maxTokens: 50, topP: 0.9, seed: 7, stop: ['END'] },
      instrument: otel.settings(),
    }).run('hi', {
      conversationId: 'conv-42',
    });
    const tree = otel.tree();
    const run = find(tree, 'invoke_agent ids');
    expect(run.span.attributes['gen_ai.conversation.id']).toBe('conv-42');
    expect(run.span.attributes['schemantic.run.id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      picked(find(tree, 'chat test'), [
        'gen_ai.request.temperature',
        'gen_ai.request.max_tokens',
        'gen_ai.request.top_p',
        'gen_ai.request.seed',
        'gen_ai.request.stop_sequences',
      ]),
    ).toEqual({
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 50,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.seed': 7,
      'gen_ai.request.stop_sequences': ['END'],
    });
  });
});
