/**
 * Where a run's span hangs and when a run is traced: under the caller's current span, under a
 * remote parent from `traceparent` (also through the example HTTP server), or a new trace; the
 * `instrument` settings by run, by agent and globally; the metrics.
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { agent } from 'schemantic';
import { TestModel } from 'schemantic/testing';
import { instrumentAllAgents } from 'schemantic/telemetry';
import { startServer } from '../../../examples/server.js';
import { otelHarness } from './otel-harness.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('the parent of a run span', () => {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => void context.setGlobalContextManager(manager.enable()));
  afterAll(() => {
    manager.disable();
    context.disable();
  });

  it('is the span current where the run starts (a user HTTP request span, say)', async () => {
    const otel = otelHarness();
    const tracer = otel.tracerProvider.getTracer('app');
    await tracer.startActiveSpan('GET /forecast', async (request) => {
      await agent({ name: 'inside', model: new TestModel(), instrument: otel.settings() }).run('hi');
      request.end();
    });
    expect(otel.shape()).toEqual(['GET /forecast', ['invoke_agent inside', ['chat test']]]);
  });

  it('is the remote span of a traceparent given as traceContext', async () => {
    const otel = otelHarness();
    await agent({ name: 'remote', model: new TestModel(), instrument: otel.settings() }).run('hi', {
      traceContext: { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` },
    });
    const run = otel.spans().find((s) => s.name === 'invoke_agent remote')!;
    expect(run.spanContext().traceId).toBe(TRACE_ID);
    expect(run.parentSpanContext?.spanId).toBe(SPAN_ID);
    expect(run.parentSpanContext?.isRemote).toBe(true);
  });

  it.each([['garbage'], [`00-${'0'.repeat(32)}-${SPAN_ID}-01`], [`ff-${TRACE_ID}-${SPAN_ID}-01`], [`00-${TRACE_ID}-${SPAN_ID}`]])(
    'starts a new trace for a malformed traceparent: %s',
    async (header) => {
      const otel = otelHarness();
      await agent({ name: 'fresh', model: new TestModel(), instrument: otel.settings() }).run('hi', { traceContext: { traceparent: header } });
      const run = otel.spans().find((s) => s.name === 'invoke_agent fresh')!;
      expect(run.parentSpanContext).toBeUndefined();
      expect(run.spanContext().traceId).not.toBe(TRACE_ID);
    },
  );

  it('continues the traceparent of a request to the example HTTP server', async () => {
    const otel = otelHarness();
    const saved = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'SCHEMANTIC_MODEL'].map((k) => [k, process.env[k]] as const);
    for (const [k] of saved) delete process.env[k];
    instrumentAllAgents(otel.settings());
    const { server, url } = await startServer(0, { chunkDelayMs: 0 });
    try {
      const response = await fetch(`${url}/events?agent=weather&prompt=${encodeURIComponent('Weather in Paris?')}`, {
        headers: { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` },
      });
      expect(response.status).toBe(200);
      await response.text();
    } finally {
      instrumentAllAgents(false);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      for (const [k, v] of saved) if (v !== undefined) process.env[k] = v;
    }
    const run = otel.spans().find((s) => s.name === 'invoke_agent weather')!;
    expect(run.spanContext().traceId).toBe(TRACE_ID);
    expect(run.parentSpanContext?.spanId).toBe(SPAN_ID);
    expect(otel.shape()).toEqual([
      'invoke_agent weather',
      ['chat streaming-test', 'execute_tool get_lat_lng', 'execute_tool get_weather', 'chat streaming-test'],
    ]);
  });
});

describe('which runs are traced', () => {
  it('follows the run, then the agent, then instrumentAllAgents', async () => {
    const otel = otelHarness();
    const plain = agent({ name: 'plain', model: new TestModel() });
    const off = agent({ name: 'off', model: new TestModel(), instrument: false });
    await plain.run('not traced');
    expect(otel.spans()).toEqual([]);
    instrumentAllAgents(otel.settings());
    try {
      await plain.run('traced by the global setting');
      await off.run('the agent says no');
      await plain.run('the run says no', { instrument: false });
      await off.run('the run says yes', { instrument: otel.settings({ includeContent: true }) });
    } finally {
      instrumentAllAgents(false);
    }
    expect(otel.spans().map((s) => s.name)).toEqual(['chat test', 'invoke_agent plain', 'chat test', 'invoke_agent off']);
    expect(otel.spans()[3]!.attributes['gen_ai.input.messages']).toContain('the run says yes');
  });

  it('leaves a run untraced when on but no OpenTelemetry SDK is registered: nothing would record it', async () => {
    const scopes = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    try {
      const result = await agent({ name: 'noop', model: new TestModel({ customOutputText: 'fine' }), instrument: true }).run('hi');
      expect(result.output).toBe('fine');
      // No span scope entered (on Node 20 the first one slows every promise of the process).
      expect(scopes).not.toHaveBeenCalled();
    } finally {
      scopes.mockRestore();
    }
  });
});

describe('metrics', () => {
  it('records gen_ai.client.token.usage and gen_ai.client.operation.duration per model request', async () => {
    const otel = otelHarness();
    await agent({ name: 'metered', model: new TestModel(), instrument: otel.settings() }).run('count me');
    const tokens = await otel.histogram('gen_ai.client.token.usage');
    const byType = Object.fromEntries(tokens.map((p) => [p.attributes['gen_ai.token.type'], p.value.count]));
    expect(byType).toEqual({ input: 1, output: 1 });
    expect(tokens[0]!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'test',
      'gen_ai.request.model': 'test',
      'gen_ai.response.model': 'test',
    });
    const input = tokens.find((p) => p.attributes['gen_ai.token.type'] === 'input')!;
    expect(input.value.sum).toBeGreaterThan(0);
    const duration = await otel.histogram('gen_ai.client.operation.duration');
    expect(duration.map((p) => p.value.count)).toEqual([1]);
    expect(duration[0]!.attributes['error.type']).toBeUndefined();
  });
});
