/**
 * An adversarial pass over tracing: every way a run can end must end its span once, with the
 * right outcome, and leave no span open; concurrent and nested runs must not adopt each other's
 * spans; no key may reach an export; hostile content must never make a traced run fail where an
 * untraced one succeeds; an untraced run pays nothing. Written to break tracing; the 19 that did
 * (spans left open, untraced runs leaking into traced ones, keys remembered too late, values no
 * serialiser takes, the 1.36 event shapes) were fixed and stay as regression tests.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { context, diag, DiagLogLevel, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { agent, FallbackModel, ModelAPIError, ModelRetry, UnexpectedModelBehavior, UsageLimitExceeded, UserError } from 'schemantic';
import { AnthropicModel } from 'schemantic/anthropic';
import { traceContext } from 'schemantic/http';
import { OpenAIChatModel } from 'schemantic/openai';
import { FunctionModel, TestModel, type StreamChunk } from 'schemantic/testing';
import 'schemantic/telemetry';
import { CANARY_KEY, anthropicModel, openaiModel, withReplay } from '../../providers/harness.js';
import { exportedText, otelHarness } from './otel-harness.js';

// ---------------------------------------------------------------------------------------------
// Harness: the in-memory SDK of otel-harness, plus a processor that sees every span that starts,
// so that a span left open (never exported) is caught.
// ---------------------------------------------------------------------------------------------

/** What the SDK warns about: an operation on a span that already ended (a second end, a late attribute). */
const warnings: string[] = [];
beforeAll(() => {
  const keep = (message: string) => void warnings.push(message);
  diag.setLogger({ error: keep, warn: keep, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
});

class StartedSpans implements SpanProcessor {
  readonly started: Span[] = [];
  onStart(span: Span): void {
    this.started.push(span);
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function tracing() {
  warnings.length = 0;
  const base = otelHarness();
  const exporter = new InMemorySpanExporter();
  const recorder = new StartedSpans();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter), recorder] });
  const settings = (extra: object = {}) => ({ tracerProvider, meterProvider: base.meterProvider, ...extra });
  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  /** The names of spans that started and never ended. */
  const open = (): string[] => recorder.started.filter((s) => !(s as unknown as ReadableSpan).ended).map((s) => (s as unknown as ReadableSpan).name);
  /** The one finished span of that name (fails if there are several, or none). */
  const one = (name: string): ReadableSpan => {
    const found = spans().filter((s) => s.name === name);
    expect(
      found.map((s) => s.name),
      `exactly one span ${name}`,
    ).toEqual([name]);
    return found[0]!;
  };
  const named = (name: string): ReadableSpan[] => spans().filter((s) => s.name === name);
  const started = (name: string) => recorder.started.filter((s) => (s as unknown as ReadableSpan).name === name).length;
  const parentOf = (span: ReadableSpan): ReadableSpan | undefined => spans().find((s) => s.spanContext().spanId === span.parentSpanContext?.spanId);
  return { tracerProvider, settings, spans, open, one, named, started, parentOf, histogram: base.histogram };
}

type Tracing = ReturnType<typeof tracing>;

/** The run span ended once, with that outcome, and every span that started has ended. */
function expectRunEnded(t: Tracing, agentName: string, outcome: 'success' | 'error' | 'cancelled', errorType?: string): ReadableSpan {
  expect(t.open(), 'spans left open').toEqual([]);
  expect(
    warnings.filter((w) => /ended Span/i.test(w)),
    'operations on ended spans',
  ).toEqual([]);
  expect(t.started(`invoke_agent ${agentName}`), 'run spans started').toBe(1);
  const span = t.one(`invoke_agent ${agentName}`);
  expect(span.attributes['schemantic.run.outcome'], 'outcome').toBe(outcome);
  if (outcome === 'success') expect(span.status.code).toBe(SpanStatusCode.UNSET);
  else expect(span.status.code).toBe(SpanStatusCode.ERROR);
  if (errorType !== undefined) expect(span.attributes['error.type']).toBe(errorType);
  return span;
}

const city = {
  name: 'get_city',
  parameters: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'], additionalProperties: false },
  handler: async (_ctx: unknown, { code }: { code: string }) => ({ code, name: 'London' }),
};

/** A model that calls `tool` with `args` once, then answers `answer`. */
function callsThenAnswers(tool: string, args: object, answer: string): FunctionModel {
  return new FunctionModel(
    (messages) => (messages.some((m) => m.kind === 'response') ? answer : [{ kind: 'tool-call', toolName: tool, args, toolCallId: 'call-1' }]),
    { name: 'scripted' },
  );
}

/** A model that streams `chunks`, then (optionally) throws. */
function streaming(chunks: StreamChunk[], fail?: Error, name = 'streamer'): FunctionModel {
  return new FunctionModel(undefined, {
    name,
    stream: async function* () {
      for (const chunk of chunks) yield chunk;
      if (fail) throw fail;
    },
  });
}

/** A stream that never ends on its own. */
function endless(name = 'endless'): FunctionModel {
  return new FunctionModel(undefined, {
    name,
    stream: async function* () {
      for (let i = 0; ; i++) {
        await new Promise((r) => setTimeout(r, 1));
        yield `chunk ${i} `;
      }
    },
  });
}

const openaiPath = '/v1/chat/completions';

const structured = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } as const;

// ---------------------------------------------------------------------------------------------
// 1. Every path that ends a run ends its span once, with the right outcome, and no span open.
// ---------------------------------------------------------------------------------------------

describe('every way a run ends', () => {
  it('run(): success through a tool', async () => {
    const t = tracing();
    await agent({ name: 'plain', model: callsThenAnswers('get_city', { code: 'LON' }, 'ok'), tools: [city], instrument: t.settings() }).run('go');
    expectRunEnded(t, 'plain', 'success');
    expect(t.spans().map((s) => s.name)).toEqual(['chat scripted', 'execute_tool get_city', 'chat scripted', 'invoke_agent plain']);
  });

  it('iter() stepped by hand with next() to the end', async () => {
    const t = tracing();
    const run = agent({ name: 'stepped', model: callsThenAnswers('get_city', { code: 'LON' }, 'ok'), tools: [city], instrument: t.settings() }).iter('go');
    let node = run.nextNode;
    while (node.kind !== 'end') node = await run.next(node);
    expectRunEnded(t, 'stepped', 'success');
  });

  it('iter() with for-await, the loop body throwing: cancelled', async () => {
    const t = tracing();
    const run = agent({ name: 'thrower', model: callsThenAnswers('get_city', { code: 'LON' }, 'ok'), tools: [city], instrument: t.settings() }).iter('go');
    await expect(
      (async () => {
        for await (const node of run) if (node.kind === 'call-tools') throw new Error('caller gave up');
      })(),
    ).rejects.toThrow('caller gave up');
    expectRunEnded(t, 'thrower', 'cancelled', 'cancelled');
  });

  it('iter() with for-await, a node failing: error, once', async () => {
    const t = tracing();
    const model = new FunctionModel(() => {
      throw new ModelAPIError('m', 'boom');
    });
    const run = agent({ name: 'failing', model, instrument: t.settings() }).iter('go');
    await expect(
      (async () => {
        for await (const _ of run);
      })(),
    ).rejects.toThrow('boom');
    expectRunEnded(t, 'failing', 'error', 'ModelAPIError');
  });

  it.each([
    ['textStream', (r: { textStream(): AsyncIterable<string> }) => drain(r.textStream())],
    ['textStream (debounced)', (r: { textStream(o: object): AsyncIterable<string> }) => drain(r.textStream({ debounceMs: 5 }))],
    ['responses', (r: { responses(): AsyncIterable<unknown> }) => drain(r.responses())],
    ['output()', (r: { output(): Promise<unknown> }) => r.output()],
    ['result()', (r: { result(): Promise<unknown> }) => r.result()],
  ] as const)('runStream read with %s to the end: success', async (_name, read) => {
    const t = tracing();
    const model = new FunctionModel(
      (messages) =>
        messages.some((m) => m.kind === 'response') ? 'Hello, world' : [{ kind: 'tool-call', toolName: 'get_city', args: { code: 'X' }, toolCallId: 'c' }],
      { name: 'replayed' },
    );
    await read(agent({ name: 'streamed', model, tools: [city], instrument: t.settings() }).runStream('hi') as never);
    expectRunEnded(t, 'streamed', 'success');
    expect(t.named('chat replayed').map((s) => s.attributes['schemantic.request.streamed'])).toEqual([true, true]);
  });

  it('runStream read with outputStream to the end: success', async () => {
    const t = tracing();
    const run = agent<undefined, { city: string }>({
      name: 'outputs',
      model: new TestModel({ customOutputArgs: { city: 'Paris' } }),
      output: structured,
      instrument: t.settings(),
    }).runStream('hi');
    await drain(run.outputStream());
    expectRunEnded(t, 'outputs', 'success');
  });

  it.each([['textStream'], ['outputStream'], ['responses']] as const)('runStream left early while reading %s: cancelled', async (how) => {
    const t = tracing();
    const run = agent({ name: 'left', model: endless(), instrument: t.settings() }).runStream('hi');
    const reader = (how === 'textStream' ? run.textStream() : how === 'responses' ? run.responses() : run.outputStream()) as AsyncIterable<unknown>;
    for await (const _ of reader) break;
    expectRunEnded(t, 'left', 'cancelled', 'cancelled');
    expect(t.one('chat endless').attributes['error.type']).toBe('cancelled');
  });

  it('runStreamEvents left early: cancelled', async () => {
    const t = tracing();
    for await (const event of agent({ name: 'events', model: endless(), instrument: t.settings() }).runStreamEvents('hi'))
      if (event.kind === 'part-delta') break;
    expectRunEnded(t, 'events', 'cancelled', 'cancelled');
  });

  it('runStreamEvents left during a tool step: cancelled, the tool span still ends', async () => {
    const t = tracing();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = { ...city, handler: async () => (await gate, 'done') };
    const events = agent({
      name: 'toolleft',
      model: callsThenAnswers('get_city', { code: 'LON' }, 'ok'),
      tools: [slow],
      instrument: t.settings(),
    }).runStreamEvents('go');
    for await (const event of events) if (event.kind === 'function-tool-call') break;
    release();
    await new Promise((r) => setTimeout(r, 10));
    expectRunEnded(t, 'toolleft', 'cancelled', 'cancelled');
  });

  it('an eventHandler run to the end: success', async () => {
    const t = tracing();
    const seen: string[] = [];
    await agent({ name: 'handled', model: callsThenAnswers('get_city', { code: 'LON' }, 'ok'), tools: [city], instrument: t.settings() }).run('go', {
      eventHandler: (e) => void seen.push(e.kind),
    });
    expect(seen).toContain('function-tool-result');
    expectRunEnded(t, 'handled', 'success');
  });

  it('an eventHandler that throws while a response streams: the run fails, and no span is left open', async () => {
    const t = tracing();
    const run = agent({ name: 'handlerthrows', model: endless(), instrument: t.settings() }).run('go', {
      eventHandler: (e) => {
        if (e.kind === 'part-delta') throw new Error('handler broke');
      },
    });
    await expect(run).rejects.toThrow('handler broke');
    // BUG: AgentRun.runNode never returns the node's event generator when the handler throws, so
    // the model's stream stays open and so does its chat span.
    expectRunEnded(t, 'handlerthrows', 'error', 'Error');
  });

  it.each([
    ['run()', (a: ReturnType<typeof agent>) => a.run('hi')],
    ['run() with an eventHandler', (a: ReturnType<typeof agent>) => a.run('hi', { eventHandler: () => {} })],
    ['runStream().textStream()', (a: ReturnType<typeof agent>) => drain(a.runStream('hi').textStream())],
    ['runStream().result()', (a: ReturnType<typeof agent>) => a.runStream('hi').result()],
    ['runStreamEvents()', (a: ReturnType<typeof agent>) => drain(a.runStreamEvents('hi'))],
  ] as const)('a model that throws after some chunks, read with %s: error on the chat and the run', async (_how, go) => {
    const t = tracing();
    const a = agent({ name: 'broken', model: streaming(['Hello, ', 'wor'], new ModelAPIError('streamer', 'connection reset')), instrument: t.settings() });
    await expect(go(a as never)).rejects.toThrow('connection reset');
    expectRunEnded(t, 'broken', 'error', 'ModelAPIError');
    const chat = t.one('chat streamer');
    expect(chat.status.code).toBe(SpanStatusCode.ERROR);
    expect(chat.attributes['error.type']).toBe('ModelAPIError');
  });

  it('a streamed run stops at the first final output (early end): the function tools are not run, no tool span', async () => {
    const t = tracing();
    const model = new FunctionModel(
      () => [
        { kind: 'tool-call', toolName: 'final_result', args: { city: 'Paris' }, toolCallId: 'o' },
        { kind: 'tool-call', toolName: 'get_city', args: { code: 'LON' }, toolCallId: 't' },
      ],
      { name: 'both' },
    );
    const run = agent<undefined, { city: string }>({ name: 'early', model, output: structured, tools: [city], instrument: t.settings() }).runStream('go');
    expect(await run.output()).toEqual({ city: 'Paris' });
    expectRunEnded(t, 'early', 'success');
    expect(t.named('execute_tool get_city')).toEqual([]);
  });

  it('output retries exhausted: error UnexpectedModelBehavior, a retry event per retry', async () => {
    const t = tracing();
    const model = new FunctionModel(() => [{ kind: 'tool-call', toolName: 'final_result', args: { town: 'x' }, toolCallId: 'o' }], { name: 'stubborn' });
    await expect(agent({ name: 'exhausted', model, output: structured, outputRetries: 1, instrument: t.settings() }).run('go')).rejects.toThrow(
      UnexpectedModelBehavior,
    );
    const span = expectRunEnded(t, 'exhausted', 'error', 'UnexpectedModelBehavior');
    expect(span.events.filter((e) => e.name === 'schemantic.output.retry')).toHaveLength(2);
    expect(span.attributes['schemantic.run.requests']).toBe(2);
  });

  it('usage limit exceeded before a request: error, no chat span for the request never sent', async () => {
    const t = tracing();
    await expect(
      agent({ name: 'limited', model: callsThenAnswers('get_city', { code: 'LON' }, 'ok'), tools: [city], instrument: t.settings() }).run('go', {
        usageLimits: { requests: 1 },
      }),
    ).rejects.toThrow(UsageLimitExceeded);
    expectRunEnded(t, 'limited', 'error', 'UsageLimitExceeded');
    expect(t.named('chat scripted')).toHaveLength(1);
  });

  it.each([['run'], ['runStream']] as const)('usage limit exceeded after a response (%s): the chat succeeded, the run failed', async (how) => {
    const t = tracing();
    const a = agent({ name: 'tokens', model: new TestModel({ customOutputText: 'a long enough answer' }), instrument: t.settings() });
    const limits = { usageLimits: { outputTokens: 1 } };
    await expect(how === 'run' ? a.run('go', limits) : a.runStream('go', limits).result()).rejects.toThrow(UsageLimitExceeded);
    expectRunEnded(t, 'tokens', 'error', 'UsageLimitExceeded');
    expect(t.one('chat test').status.code).toBe(SpanStatusCode.UNSET);
  });

  it('a context that fails its schema: the run fails before any span starts (none left open)', async () => {
    const t = tracing();
    const a = agent<undefined, string, { user: string }>({
      name: 'ctx',
      model: new TestModel(),
      context: { type: 'object', properties: { user: { type: 'string' } }, required: ['user'] },
      instrument: t.settings(),
    });
    await expect(a.run('go', { context: { user: 1 } as never })).rejects.toThrow(UserError);
    expect(t.open()).toEqual([]);
  });

  it.each([['run'], ['runStream'], ['runStreamEvents'], ['iter']] as const)('a signal aborted before the start (%s): cancelled', async (how) => {
    const t = tracing();
    const a = agent({ name: 'preaborted', model: new TestModel(), instrument: t.settings() });
    const signal = AbortSignal.abort(new Error('too late'));
    const go =
      how === 'run'
        ? a.run('go', { signal })
        : how === 'runStream'
          ? a.runStream('go', { signal }).result()
          : how === 'iter'
            ? a.iter('go', { signal }).complete()
            : drain(a.runStreamEvents('go', { signal }));
    await expect(go).rejects.toThrow();
    const span = expectRunEnded(t, 'preaborted', 'cancelled', 'cancelled');
    expect(span.status.message).toContain('too late');
  });

  it.each([['run'], ['runStream'], ['runStreamEvents']] as const)('a signal aborted mid-stream (%s): cancelled, chat cancelled', async (how) => {
    const t = tracing();
    const controller = new AbortController();
    const model = new FunctionModel(undefined, {
      name: 'aborting',
      stream: async function* () {
        yield 'one ';
        controller.abort(new Error('user pressed stop'));
        await new Promise((r) => setTimeout(r, 5));
        yield 'two';
      },
    });
    const a = agent({ name: 'midstream', model, instrument: t.settings() });
    const options = { signal: controller.signal, eventHandler: () => {} };
    const go = how === 'run' ? a.run('go', options) : how === 'runStream' ? a.runStream('go', options).result() : drain(a.runStreamEvents('go', options));
    await expect(go).rejects.toThrow();
    expectRunEnded(t, 'midstream', 'cancelled', 'cancelled');
    expect(t.one('chat aborting').attributes['error.type']).toBe('cancelled');
  });

  it('a signal aborted mid-tool: cancelled, the tool span ended', async () => {
    const t = tracing();
    const controller = new AbortController();
    const tool = {
      ...city,
      handler: async () => {
        controller.abort(new Error('stop now'));
        throw controller.signal.reason;
      },
    };
    await expect(
      agent({ name: 'midtool', model: callsThenAnswers('get_city', { code: 'LON' }, 'ok'), tools: [tool], instrument: t.settings() }).run('go', {
        signal: controller.signal,
      }),
    ).rejects.toThrow('stop now');
    expectRunEnded(t, 'midtool', 'cancelled', 'cancelled');
  });

  it('a reader leaving a stream whose model fails to close: the run span still ends', async () => {
    const t = tracing();
    const model = new FunctionModel(undefined, {
      name: 'sticky',
      stream: async function* () {
        try {
          for (;;) yield 'x';
        } finally {
          throw new Error('cleanup failed');
        }
      },
    });
    const run = agent({ name: 'sticky', model, instrument: t.settings() }).runStream('hi');
    await expect(
      (async () => {
        for await (const _ of run.textStream()) break;
      })(),
    ).rejects.toThrow('cleanup failed');
    // BUG: RunReader.return awaits closeNode(false), which rethrows the close failure before
    // endRunTrace(left) runs; closeNode ends the trace only for `failed`.
    expect(t.open(), 'spans left open').toEqual([]);
  });

  it('reading a streamed run a second way (a UserError for the caller) does not end the trace of the run still being read', async () => {
    const t = tracing();
    const run = agent({ name: 'twice', model: streaming(['Hello, ', 'world']), instrument: t.settings() }).runStream('hi');
    const texts = run.textStream()[Symbol.asyncIterator]();
    await texts.next();
    await expect(run.output()).rejects.toThrow(/already read/);
    for (let step = await texts.next(); !step.done; step = await texts.next());
    // BUG: the second reader's failed claim goes through RunReader.closeNode(true, err), which ends
    // the shared run's trace with that UserError though the run goes on and succeeds.
    expectRunEnded(t, 'twice', 'success');
  });
});

describe('streams through SDKs and fallbacks', () => {
  const chunk = (delta: object, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

  it('an SDK stream cut off mid-response: the chat and HTTP spans end, the run fails', async () => {
    const t = tracing();
    const text = chunk({ role: 'assistant', content: 'Hello' }) + chunk({ content: ', world' }) + chunk({}, 'stop') + 'data: [DONE]\n\n';
    await withReplay(
      [{ request: { method: 'POST', path: openaiPath }, response: { kind: 'sse' as const, text, cutAfterBytes: text.indexOf(', world') } }],
      async (server) => {
        const run = agent({ name: 'cut', model: openaiModel(server, 'gpt-4o'), instrument: t.settings() }).runStream('hi');
        await expect(drain(run.textStream())).rejects.toThrow();
      },
    );
    expectRunEnded(t, 'cut', 'error');
    expect(t.one('chat gpt-4o').status.code).toBe(SpanStatusCode.ERROR);
    expect(t.one('POST').attributes['http.response.status_code']).toBe(200);
  });

  it('a streamed fallback whose first model fails, left early while the second streams: every attempt ends', async () => {
    const t = tracing();
    const broken = new FunctionModel(undefined, {
      name: 'broken',
      stream: async function* () {
        throw new ModelAPIError('broken', 'HTTP 503');
      },
    });
    const run = agent({ name: 'fb', model: new FallbackModel([broken, endless('second')]), instrument: t.settings() }).runStream('hi');
    for await (const _ of run.textStream()) break;
    expectRunEnded(t, 'fb', 'cancelled', 'cancelled');
    expect(t.one('chat broken').attributes['error.type']).toBe('ModelAPIError');
    expect(t.one('chat second').status.code).toBe(SpanStatusCode.UNSET);
  });

  it('iter() with every node read through run.stream(node): success, the delegate nested', async () => {
    const t = tracing();
    const helper = agent({ name: 'helper', model: new TestModel({ customOutputText: 'helped' }) });
    const run = agent({ name: 'streamnodes', model: callsThenAnswers('helper', { prompt: 'p' }, 'done'), delegates: [helper], instrument: t.settings() }).iter(
      'go',
    );
    while (run.nextNode.kind !== 'end') await drain(run.stream(run.nextNode));
    expectRunEnded(t, 'streamnodes', 'success');
    expect(t.parentOf(t.one('invoke_agent helper'))?.name).toBe('execute_tool helper');
  });
});

async function drain(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable);
}

// ---------------------------------------------------------------------------------------------
// 2. Concurrency and nesting.
// ---------------------------------------------------------------------------------------------

describe('concurrent and nested runs', () => {
  it('concurrent tool calls where one throws: every tool span ends, the run fails', async () => {
    const t = tracing();
    const model = new FunctionModel(
      () => [
        { kind: 'tool-call', toolName: 'slow', args: {}, toolCallId: 'a' },
        { kind: 'tool-call', toolName: 'bad', args: {}, toolCallId: 'b' },
        { kind: 'tool-call', toolName: 'slow', args: {}, toolCallId: 'c' },
      ],
      { name: 'fanout' },
    );
    const empty = { type: 'object', properties: {}, additionalProperties: false };
    const slow = { name: 'slow', parameters: empty, handler: async () => (await new Promise((r) => setTimeout(r, 10)), 'ok') };
    const bad = {
      name: 'bad',
      parameters: empty,
      handler: async () => {
        throw new RangeError('bad tool');
      },
    };
    await expect(agent({ name: 'fan', model, tools: [slow, bad], instrument: t.settings() }).run('go')).rejects.toThrow('bad tool');
    expectRunEnded(t, 'fan', 'error', 'RangeError');
    expect(t.named('execute_tool slow').map((s) => s.attributes['schemantic.tool.outcome'])).toEqual(['success', 'success']);
    expect(t.one('execute_tool bad').attributes['schemantic.tool.outcome']).toBe('error');
  });

  it('delegation two deep, with two delegates called in parallel: each run nests under its own tool call', async () => {
    const t = tracing();
    const leaf = agent({ name: 'leaf', model: new TestModel({ customOutputText: 'leaf done' }) });
    const middle = agent({ name: 'middle', model: callsThenAnswers('leaf', { prompt: 'deeper' }, 'middle done'), delegates: [leaf] });
    const other = agent({ name: 'other', model: new TestModel({ customOutputText: 'other done' }) });
    const top = agent({
      name: 'top',
      model: new FunctionModel(
        (messages) =>
          messages.some((m) => m.kind === 'response')
            ? 'all done'
            : [
                { kind: 'tool-call', toolName: 'middle', args: { prompt: 'a' }, toolCallId: 'm' },
                { kind: 'tool-call', toolName: 'other', args: { prompt: 'b' }, toolCallId: 'o' },
              ],
        { name: 'boss' },
      ),
      delegates: [middle, other],
      instrument: t.settings(),
    });
    await top.run('go');
    expect(t.open()).toEqual([]);
    const chain = (name: string) => {
      const names: string[] = [];
      for (let s: ReadableSpan | undefined = t.one(name); s; s = t.parentOf(s)) names.push(s.name);
      return names;
    };
    expect(chain('invoke_agent leaf')).toEqual(['invoke_agent leaf', 'execute_tool leaf', 'invoke_agent middle', 'execute_tool middle', 'invoke_agent top']);
    expect(chain('invoke_agent other')).toEqual(['invoke_agent other', 'execute_tool other', 'invoke_agent top']);
    expect(new Set(t.spans().map((s) => s.spanContext().traceId)).size).toBe(1);
  });

  it('two traced runs at once (Promise.all, a context manager on) never adopt each other', async () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      const t = tracing();
      const seenInTools: (string | undefined)[] = [];
      const make = (name: string) =>
        agent({
          name,
          model: new FunctionModel(
            async (messages) => {
              await new Promise((r) => setTimeout(r, 3));
              return messages.some((m) => m.kind === 'response') ? 'done' : [{ kind: 'tool-call', toolName: 'get_city', args: { code: 'X' }, toolCallId: 't' }];
            },
            { name: `model-${name}` },
          ),
          tools: [
            {
              ...city,
              handler: async () => {
                await new Promise((r) => setTimeout(r, 2));
                seenInTools.push(trace.getActiveSpan()?.spanContext().spanId);
                return 'ok';
              },
            },
          ],
          instrument: t.settings(),
        });
      const [a, b] = [make('alpha'), make('beta')];
      await Promise.all([a.run('1'), b.runStream('2').result(), drain(a.runStreamEvents('3')), b.run('4', { eventHandler: () => {} })]);
      expect(t.open()).toEqual([]);
      const runs = t.spans().filter((s) => s.name.startsWith('invoke_agent'));
      expect(runs).toHaveLength(4);
      for (const run of runs) expect(run.parentSpanContext, `${run.name} is a root`).toBeUndefined();
      for (const span of t.spans().filter((s) => !s.name.startsWith('invoke_agent'))) {
        const parent = t.parentOf(span)!;
        const owner = span.name.includes('alpha') ? 'alpha' : span.name.includes('beta') ? 'beta' : undefined;
        if (owner) expect(parent.name, span.name).toBe(`invoke_agent ${owner}`);
        expect(parent.spanContext().traceId).toBe(span.spanContext().traceId);
      }
      // The span current in each handler is that call's own tool span.
      expect(seenInTools.sort()).toEqual(
        t
          .spans()
          .filter((s) => s.name.startsWith('execute_tool'))
          .map((s) => s.spanContext().spanId)
          .sort(),
      );
    } finally {
      manager.disable();
      context.disable();
    }
  });

  it('a traced run inside an untraced run’s tool is a trace of its own', async () => {
    const t = tracing();
    const inner = agent({ name: 'inner', model: new TestModel(), instrument: t.settings() });
    const tool = { ...city, handler: async () => (await inner.run('x')).output };
    await agent({ name: 'outer', model: callsThenAnswers('get_city', { code: 'LON' }, 'ok'), tools: [tool] }).run('go');
    expect(t.spans().map((s) => s.name)).toEqual(['chat test', 'invoke_agent inner']);
    expect(t.one('invoke_agent inner').parentSpanContext).toBeUndefined();
  });

  it('an untraced run (instrument: false) inside a traced tool: neither it nor its delegates are traced', async () => {
    const t = tracing();
    const helper = agent({ name: 'helper', model: new TestModel({ customOutputText: 'helped' }) });
    const quiet = agent({ name: 'quiet', model: callsThenAnswers('helper', { prompt: 'help' }, 'quiet done'), delegates: [helper] });
    const tool = { ...city, handler: async () => (await quiet.run('x', { instrument: false })).output };
    await agent({ name: 'loud', model: callsThenAnswers('get_city', { code: 'LON' }, 'ok'), tools: [tool], instrument: t.settings() }).run('go');
    expect(t.named('invoke_agent quiet')).toEqual([]);
    // BUG: the helper's run finds the loud run's tool span in the async scope (the untraced quiet
    // run does not clear it) and inherits the loud run's settings: "a delegate takes its caller's
    // setting" does not hold when the caller said false.
    expect(t.named('invoke_agent helper')).toEqual([]);
  });

  it('an untraced run inside a traced model request records nothing into that request', async () => {
    const t = tracing();
    const quiet = agent({
      name: 'quiet',
      model: new FallbackModel([
        new FunctionModel(
          () => {
            throw new ModelAPIError('first', 'HTTP 503');
          },
          { name: 'first' },
        ),
        new FunctionModel(() => 'inner answer', { name: 'second' }),
      ]),
      instrument: false,
    });
    // A model that asks another agent (a router, a judge): its request span is in effect meanwhile.
    const router = new FunctionModel(async () => `router says: ${(await quiet.run('route')).output}`, { name: 'router' });
    await agent({ name: 'outer', model: router, instrument: t.settings() }).run('go');
    // BUG: FallbackModel reads activeRequestTrace(), which is still the outer run's request: the
    // untraced run's attempts appear as children of `chat router`.
    expect(t.spans().map((s) => s.name)).toEqual(['chat router', 'invoke_agent outer']);
  });

  it('a run an output validator starts (an LLM judge) nests under the validating run, with its settings', async () => {
    const t = tracing();
    const judge = agent({ name: 'judge', model: new TestModel({ customOutputText: 'fine' }) });
    await agent({
      name: 'judged',
      model: new TestModel({ customOutputText: 'answer' }),
      outputValidators: [async (_ctx, output) => ((await judge.run(`is ${output} ok?`)).output === 'fine' ? output : output)],
      instrument: t.settings(),
    }).run('go');
    // GAP: the run loop itself never runs inside the run's node, so code the run calls outside a
    // tool or a request (output validators, instructions, system prompt functions) starts runs
    // that neither nest under it nor inherit its setting.
    const run = t.named('invoke_agent judge')[0];
    expect(run, 'the judge run is traced').toBeDefined();
    expect(t.parentOf(run!)?.name).toBe('invoke_agent judged');
  });

  it('agent.override inside a traced run records the override model', async () => {
    const t = tracing();
    const a = agent({ name: 'overridden', model: new TestModel({ customOutputText: 'orig' }), instrument: t.settings() });
    await a.override({ model: new FunctionModel(() => 'swapped', { name: 'swap' }) }, () => a.run('go'));
    expect(t.one('invoke_agent overridden').attributes['gen_ai.request.model']).toBe('swap');
    expect(t.spans().map((s) => s.name)).toEqual(['chat swap', 'invoke_agent overridden']);
  });

  it('a run with an empty traceContext (no headers) inside a traced tool still nests under it', async () => {
    const t = tracing();
    const inner = agent({ name: 'inner', model: new TestModel() });
    // traceContext(req.headers) gives {} for a request without trace headers.
    const tool = { ...city, handler: async () => (await inner.run('x', { traceContext: {} })).output };
    await agent({ name: 'outer', model: callsThenAnswers('get_city', { code: 'LON' }, 'ok'), tools: [tool], instrument: t.settings() }).run('go');
    // BUG (minor): runParentContext takes any carrier over the parent node, so an empty one
    // detaches the run from its caller's trace (without a context manager, a new root).
    expect(t.parentOf(t.one('invoke_agent inner'))?.name).toBe('execute_tool get_city');
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Redaction: no key reaches an attribute, an event or a status.
// ---------------------------------------------------------------------------------------------

function completion(message: Record<string, unknown>, finish: string, path = openaiPath) {
  return {
    request: { method: 'POST', path },
    response: {
      kind: 'json' as const,
      status: 200,
      body: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o',
        choices: [{ index: 0, finish_reason: finish, message: { role: 'assistant', content: null, ...message } }],
        usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
      },
    },
  };
}

function anthropicMessage(content: unknown[], stop: string) {
  return {
    request: { method: 'POST', path: '/v1/messages' },
    response: {
      kind: 'json' as const,
      status: 200,
      body: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-x',
        content,
        stop_reason: stop,
        stop_sequence: null,
        usage: { input_tokens: 3, output_tokens: 2 },
      },
    },
  };
}

describe('redaction of the keys clients use', () => {
  /** A tool that fails three ways, each quoting the key, then an output validator that does too. */
  function leakyAgent(model: OpenAIChatModel | AnthropicModel, instrument: object) {
    let calls = 0;
    const tool = {
      name: 'leak',
      parameters: { type: 'object', properties: {}, additionalProperties: false },
      retries: 5,
      handler: async () => {
        calls += 1;
        if (calls === 1) throw new ModelRetry(`retry with ${CANARY_KEY}`);
        return { config: `key=${CANARY_KEY}` };
      },
    };
    let validated = 0;
    return agent({
      name: 'leaky',
      model,
      tools: [tool],
      instructions: `never say ${CANARY_KEY}`,
      outputValidators: [
        (_ctx, output: string) => {
          validated += 1;
          if (validated === 1) throw new ModelRetry(`output quoted ${CANARY_KEY}`);
          return output;
        },
      ],
      instrument,
    });
  }

  it.each([['latest'], ['1.36']] as const)(
    'OpenAI (%s): retries, tool results, instructions, validator messages and errors quoting the key',
    async (semconv) => {
      const t = tracing();
      const call = (id: string) => completion({ tool_calls: [{ id, type: 'function', function: { name: 'leak', arguments: '{}' } }] }, 'tool_calls');
      await withReplay(
        [
          call('c1'),
          call('c2'),
          completion({ content: `first ${CANARY_KEY}` }, 'stop'),
          completion({ content: 'second' }, 'stop'),
          {
            request: { method: 'POST', path: openaiPath },
            response: { kind: 'json' as const, status: 500, body: { error: { message: `bad ${CANARY_KEY}` } } },
          },
        ],
        async (server) => {
          const model = openaiModel(server, 'gpt-4o');
          const a = leakyAgent(model, t.settings({ includeContent: true, includeBinaryContent: true, semconv }));
          expect((await a.run(`my key is ${CANARY_KEY}`)).output).toBe('second');
          await expect(a.run(`again ${CANARY_KEY}`)).rejects.toThrow();
          const failing = agent({
            name: 'thrower',
            model: callsThenAnswers('boom', {}, 'never'),
            tools: [
              {
                name: 'boom',
                parameters: { type: 'object' },
                handler: async () => {
                  throw new Error(`tool failed with ${CANARY_KEY}`);
                },
              },
            ],
            instrument: t.settings({ includeContent: true, semconv }),
          });
          await expect(failing.run('x')).rejects.toThrow();
        },
      );
      expect(t.open()).toEqual([]);
      const text = exportedText(t.spans()) + JSON.stringify(t.spans().map((s) => s.events));
      expect(text).toContain('[redacted]');
      expect(text).not.toContain(CANARY_KEY.slice(3));
    },
  );

  it('Anthropic: content and errors quoting the key', async () => {
    const t = tracing();
    await withReplay(
      [
        anthropicMessage([{ type: 'tool_use', id: 'tu1', name: 'leak', input: {} }], 'tool_use'),
        anthropicMessage([{ type: 'tool_use', id: 'tu2', name: 'leak', input: {} }], 'tool_use'),
        anthropicMessage([{ type: 'text', text: `echo ${CANARY_KEY}` }], 'end_turn'),
        anthropicMessage([{ type: 'text', text: 'fine' }], 'end_turn'),
      ],
      async (server) => {
        const a = leakyAgent(anthropicModel(server, 'claude-x'), t.settings({ includeContent: true }));
        await a.run(`key ${CANARY_KEY}`);
      },
    );
    const text = exportedText(t.spans());
    expect(text).not.toContain(CANARY_KEY.slice(3));
  });

  it('a key that is not key-shaped, given to a model made with `new` (not connect), is redacted from the first spans too', async () => {
    const secret = 'azure0hex0key0c0ffee0123456789ab';
    const t = tracing();
    await withReplay([completion({ content: 'ok' }, 'stop')], async (server) => {
      const model = new OpenAIChatModel('gpt-4o', { apiKey: secret, baseURL: `${server.url}/v1`, maxRetries: 0 });
      await agent({ name: 'lazy', model, instructions: `the key is ${secret}`, instrument: t.settings({ includeContent: true }) }).run(`token ${secret}`);
    });
    // BUG: SdkClient remembers the key (rememberSecret) only when it makes the client, at the first
    // request; the run span's prompt and the first chat span's messages are recorded before that.
    const leaks = t
      .spans()
      .filter((s) => exportedText([s]).includes(secret))
      .map((s) => s.name);
    expect(leaks).toEqual([]);
  });

  it('a key in the base URL path never reaches url.full', async () => {
    const t = tracing();
    const path = `/proxy/${CANARY_KEY}/v1/chat/completions`;
    await withReplay([completion({ content: 'ok' }, 'stop', path)], async (server) => {
      const model = OpenAIChatModel.connect('gpt-4o', { apiKey: CANARY_KEY, baseURL: `${server.url}/proxy/${CANARY_KEY}/v1`, maxRetries: 0 });
      await agent({ name: 'proxied', model, instrument: t.settings() }).run('hi');
    });
    // BUG: request-span.ts http() builds url.full from the URL's path unredacted (only the query is
    // dropped), though "every string recorded" is said to be redacted.
    expect(t.one('POST').attributes['url.full']).not.toContain(CANARY_KEY.slice(3));
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Hostile content: tracing never makes a run fail, or fail differently.
// ---------------------------------------------------------------------------------------------

describe('hostile content', () => {
  const withContent = (t: Tracing) => t.settings({ includeContent: true });

  async function outcome(run: Promise<{ output: unknown }>): Promise<unknown> {
    try {
      return { ok: (await run).output };
    } catch (err) {
      return { failed: err };
    }
  }

  /** Calls `tool`, then answers `done`; gives its usage, so that FunctionModel never serialises the history to estimate it. */
  const counted = (tool: string) =>
    new FunctionModel(
      (messages) => ({
        parts: messages.some((m) => m.kind === 'response')
          ? [{ kind: 'text', content: 'done' }]
          : [{ kind: 'tool-call', toolName: tool, args: {}, toolCallId: 'c' }],
        usage: { inputTokens: 1, outputTokens: 1 },
      }),
      { name: 'counted' },
    );

  function toolReturning(value: () => unknown, instrument: object | false) {
    const tool = { name: 'odd', parameters: { type: 'object' }, handler: async () => value() };
    return agent({ name: 'hostile', model: counted('odd'), tools: [tool], instrument }).run('go');
  }

  it.each([
    ['a BigInt', () => ({ id: 10n })],
    ['a cycle', () => ((o: Record<string, unknown>) => ((o['self'] = o), o))({})],
    ['a symbol', () => Symbol('s')],
    ['a function', () => () => 1],
    ['undefined', () => undefined],
    ['a huge string', () => 'x'.repeat(2_000_000)],
  ])('a tool returning %s: the traced run succeeds as the untraced one does', async (_name, value) => {
    const t = tracing();
    expect(await outcome(toolReturning(value, withContent(t)))).toEqual(await outcome(toolReturning(value, false)));
    expectRunEnded(t, 'hostile', 'success');
  });

  it('a tool returning a null-prototype object that JSON cannot serialise: the traced run succeeds as the untraced one does', async () => {
    const value = () => Object.assign(Object.create(null) as object, { id: 10n });
    expect(await outcome(toolReturning(value, false))).toEqual({ ok: 'done' });
    const t = tracing();
    // BUG: redactedJson (genai-messages.ts) falls back to String(value), which throws for an object
    // without a prototype: the tool span's end throws and the run fails with that TypeError.
    expect(await outcome(toolReturning(value, withContent(t)))).toEqual({ ok: 'done' });
  });

  it('a tool throwing a null-prototype object: the run rejects with that very value, traced or not', async () => {
    const thrown = Object.assign(Object.create(null) as object, { code: 'E_ODD' });
    const run = (instrument: object | false) =>
      agent({
        name: 'throwsodd',
        model: callsThenAnswers('odd', {}, 'never'),
        tools: [
          {
            name: 'odd',
            parameters: { type: 'object' },
            handler: async () => {
              throw thrown;
            },
          },
        ],
        instrument,
      }).run('go');
    await expect(run(false)).rejects.toBe(thrown);
    const t = tracing();
    // BUG: recordError (span-errors.ts) calls String(error), which throws for it: the run rejects
    // with a TypeError from tracing instead, and the tool span never ends.
    await expect(run(t.settings())).rejects.toBe(thrown);
    expect(t.open()).toEqual([]);
  });

  it('an output a validator makes unserialisable (a BigInt id): the traced run succeeds as the untraced one does', async () => {
    const run = (instrument: object | false) =>
      agent<undefined, { city: string; id?: bigint }>({
        name: 'bigout',
        model: new TestModel({ customOutputArgs: { city: 'Paris' } }),
        output: structured,
        outputValidators: [(_ctx, output) => ({ ...output, id: 42n })],
        instrument,
      }).run('go');
    expect(await outcome(run(false))).toEqual({ ok: { city: 'Paris', id: 42n } });
    const t = tracing();
    // BUG: run-span.ts end() JSON.stringify(outcome.output) unguarded: the run fails with
    // "Do not know how to serialize a BigInt", and the run span, marked ended first, never ends.
    expect(await outcome(run(t.settings({ includeContent: true })))).toEqual({ ok: { city: 'Paris', id: 42n } });
    expect(t.open()).toEqual([]);
  });

  it('malformed JSON tool arguments: a retry, the arguments recorded as sent', async () => {
    const t = tracing();
    let step = 0;
    const model = new FunctionModel(
      () => (step++ === 0 ? [{ kind: 'tool-call', toolName: 'get_city', args: '{"code": "LON"', toolCallId: 'bad' }] : 'gave up'),
      { name: 'sloppy' },
    );
    await agent({ name: 'malformed', model, tools: [city], instrument: withContent(t) }).run('go');
    expectRunEnded(t, 'malformed', 'success');
    const tool = t.one('execute_tool get_city');
    expect(tool.attributes['schemantic.tool.outcome']).toBe('retry');
    expect(tool.attributes['gen_ai.tool.call.arguments']).toBe('{"code": "LON"');
    expect(tool.attributes['error.type']).toBe('SyntaxError');
  });

  it('a thrown symbol or undefined: the run rejects with it, the spans end', async () => {
    for (const thrown of [Symbol('odd'), undefined, 'a string']) {
      const t = tracing();
      const tool = {
        name: 'odd',
        parameters: { type: 'object' },
        handler: async () => {
          throw thrown;
        },
      };
      const run = agent({ name: 'weird', model: callsThenAnswers('odd', {}, 'never'), tools: [tool], instrument: t.settings() }).run('go');
      await expect(run).rejects.toBe(thrown);
      expectRunEnded(t, 'weird', 'error', '_OTHER');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 5. Conventions, metrics and trace context.
// ---------------------------------------------------------------------------------------------

describe('conventions, metrics and trace context', () => {
  afterEach(() => propagation.disable());

  it('an output tool call that fails next to a valid one is no retry: no retry event when the model is not asked again', async () => {
    const t = tracing();
    const model = new FunctionModel(
      () => [
        { kind: 'tool-call', toolName: 'final_result', args: { town: 'x' }, toolCallId: 'bad' },
        { kind: 'tool-call', toolName: 'final_result', args: { city: 'Paris' }, toolCallId: 'good' },
      ],
      { name: 'two' },
    );
    await agent<undefined, { city: string }>({ name: 'twoouts', model, output: structured, instrument: t.settings() }).run('go');
    const span = expectRunEnded(t, 'twoouts', 'success');
    expect(span.attributes['schemantic.run.requests']).toBe(1);
    // BUG (minor): settleOutput (call-tools.ts) records schemantic.output.retry for every invalid
    // output call, though the run ended with the valid one and nothing was retried.
    expect(span.events.map((e) => e.name)).not.toContain('schemantic.output.retry');
  });

  it('gen_ai.output.messages on the run span follows the output message schema (finish_reason is required)', async () => {
    const t = tracing();
    await agent({ name: 'schema', model: new TestModel({ customOutputText: 'hi' }), instrument: t.settings({ includeContent: true }) }).run('go');
    const messages = JSON.parse(String(t.one('invoke_agent schema').attributes['gen_ai.output.messages'])) as Record<string, unknown>[];
    for (const message of messages) expect(Object.keys(message).sort()).toEqual(['finish_reason', 'parts', 'role']);
  });

  it('the 1.36 set: message events in the 1.36 shapes (content as given, tool calls as {id, type, function})', async () => {
    const t = tracing();
    await agent({
      name: 'legacy',
      model: callsThenAnswers('get_city', { code: 'LON' }, 'London it is'),
      tools: [city],
      instrument: t.settings({ includeContent: true, semconv: '1.36' }),
    }).run('Which city?');
    const [first, second] = t.named('chat scripted');
    const user = first!.events.find((e) => e.name === 'gen_ai.user.message')!;
    expect(first!.attributes['gen_ai.response.time_to_first_chunk']).toBeUndefined();
    expect(t.one('execute_tool get_city').attributes['gen_ai.tool.call.arguments']).toBeUndefined();
    // BUG (conventions): the 1.36 events carry the latest set's part format: content is
    // '[{"type":"text","content":"Which city?"}]', tool calls are {type: 'tool_call', name, ...},
    // and gen_ai.choice's message has `parts` instead of `content` / `tool_calls`.
    expect(user.attributes?.['content']).toBe('Which city?');
    const assistant = second!.events.find((e) => e.name === 'gen_ai.assistant.message')!;
    expect(JSON.parse(String(assistant.attributes?.['tool_calls']))).toEqual([
      { id: 'call-1', type: 'function', function: { name: 'get_city', arguments: { code: 'LON' } } },
    ]);
    const choice = second!.events.find((e) => e.name === 'gen_ai.choice')!;
    expect(JSON.parse(String(choice.attributes?.['message']))).toMatchObject({ content: 'London it is' });
  });

  it('metrics: duration with error.type on a failure, and the 1.36 set names gen_ai.system', async () => {
    const t = tracing();
    const failing = new FunctionModel(
      () => {
        throw new ModelAPIError('down', 'HTTP 503');
      },
      { name: 'down' },
    );
    await expect(agent({ name: 'm1', model: failing, instrument: t.settings({ semconv: '1.36' }) }).run('go')).rejects.toThrow();
    const duration = await t.histogram('gen_ai.client.operation.duration');
    expect(duration.map((p) => p.attributes)).toEqual([
      { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'function', 'gen_ai.request.model': 'down', 'error.type': 'ModelAPIError' },
    ]);
  });

  it('metrics: a histogram point keeps the attributes it was recorded with', async () => {
    const t = tracing();
    const recorded: { name: string; given: Record<string, unknown>; snapshot: Record<string, unknown> }[] = [];
    const base = t.settings() as { meterProvider: { getMeter(n: string, v?: string): object } };
    const meterProvider = {
      getMeter: (name: string, version?: string) => {
        const meter = base.meterProvider.getMeter(name, version) as { createHistogram(n: string, o: object): { record(v: number, a: object): void } };
        return {
          createHistogram: (metric: string, options: object) => {
            const histogram = meter.createHistogram(metric, options);
            return {
              record: (value: number, attributes: Record<string, unknown>) => {
                recorded.push({ name: metric, given: attributes, snapshot: { ...attributes } });
                histogram.record(value, attributes);
              },
            };
          },
        };
      },
    };
    await agent({ name: 'ttfc', model: streaming(['a', 'b']), instrument: { ...t.settings(), meterProvider } })
      .runStream('go')
      .result();
    expect(recorded.map((r) => r.name)).toContain('gen_ai.client.operation.time_to_first_chunk');
    // BUG: request-span.ts passes this.metricAttributes itself to recordFirstChunk, then adds
    // gen_ai.response.model (and server.*) to that object; the SDK keeps the object by reference,
    // so the point is exported with attributes it was not recorded with (and later points with
    // the same hash are merged under them).
    for (const r of recorded) expect(r.given, r.name).toEqual(r.snapshot);
  });

  it.each([
    ['a Traceparent key (odd casing)', { Traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }],
    ['a TRACEPARENT key', { TRACEPARENT: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }],
  ])('traceContext with %s continues the trace, with or without a W3C propagator', async (_name, carrier) => {
    for (const withPropagator of [false, true]) {
      if (withPropagator) propagation.setGlobalPropagator(new W3CTraceContextPropagator());
      const t = tracing();
      await agent({ name: 'cased', model: new TestModel(), instrument: t.settings() }).run('hi', { traceContext: carrier });
      expect(t.one('invoke_agent cased').spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    }
  });

  it('traceContext() reads a plain header object whatever its casing (as Lambda and other frameworks give it)', () => {
    const header = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(traceContext(new Headers({ TraceParent: header }))).toEqual({ traceparent: header });
    expect(traceContext({ traceparent: [header, 'dup'] })).toEqual({ traceparent: header });
    // BUG (minor): http/trace-context.ts looks the names up case-sensitively in a plain object.
    expect(traceContext({ Traceparent: header, TraceState: 'k=v' })).toEqual({ traceparent: header, tracestate: 'k=v' });
  });

  it('a traceContext carrying an array (Node headers passed as they are) never fails the run', async () => {
    const t = tracing();
    const header = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const run = agent({ name: 'arrayed', model: new TestModel({ customOutputText: 'fine' }), instrument: t.settings() }).run('hi', {
      traceContext: { traceparent: [header] } as never,
    });
    // BUG (minor): parent-context.ts remoteContext calls header.trim() on whatever it finds.
    await expect(run).resolves.toMatchObject({ output: 'fine' });
  });
});

// ---------------------------------------------------------------------------------------------
// 6. An untraced run pays nothing.
// ---------------------------------------------------------------------------------------------

describe('with instrument off', () => {
  it('a streamed run makes no async-scope or OpenTelemetry context call per chunk', async () => {
    const chunks = Array.from({ length: 200 }, (_, i) => `c${i} `);
    const count = async (n: number) => {
      const runs = vi.spyOn(AsyncLocalStorage.prototype, 'run');
      const withs = vi.spyOn(context, 'with');
      try {
        await drain(
          agent({ name: 'untraced', model: streaming(chunks.slice(0, n)) })
            .runStream('go')
            .textStream({ delta: true }),
        );
        await drain(agent({ name: 'untraced', model: streaming(chunks.slice(0, n)) }).runStreamEvents('go'));
        return { runs: runs.mock.calls.length, withs: withs.mock.calls.length };
      } finally {
        runs.mockRestore();
        withs.mockRestore();
      }
    };
    const few = await count(2);
    const many = await count(200);
    expect(many).toEqual(few);
    expect(many.withs).toBe(0);
  });

  it('an untraced run builds no trace info (no run id is drawn)', async () => {
    const uuid = vi.spyOn(globalThis.crypto, 'randomUUID');
    try {
      await agent({ name: 'untraced', model: new TestModel() }).run('go');
      // BUG (minor, overhead): prepareRun (agent.ts) draws a UUID and builds RunTraceInfo for every
      // run before startRunTrace decides the run is not traced ("allocates nothing for one").
      expect(uuid).not.toHaveBeenCalled();
    } finally {
      uuid.mockRestore();
    }
  });
});
