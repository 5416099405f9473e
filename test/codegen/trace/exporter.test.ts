/**
 * `schemantic trace` receiving what OpenTelemetry's own JavaScript SDK and OTLP/HTTP exporter
 * send: a run made of real spans (an agent run holding a model request and a failed tool call)
 * arrives decoded, with its nesting, attributes, status and events, and is reported once as a run.
 */
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTraceServer, type TraceServer } from '../../../codegen/cli/trace/trace-server.js';
import type { TraceSummary } from '../../../codegen/cli/trace/trace-store.js';

let server: TraceServer;
const runs: TraceSummary[] = [];

beforeAll(async () => {
  server = await startTraceServer({ port: 0, onRun: (run) => runs.push(run) });
});
afterAll(() => server.close());

it('receives a run exported by the OpenTelemetry SDK, decoded with its parents, attributes, status and events', async () => {
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${server.url}/v1/traces` }))] });
  const tracer = provider.getTracer('schemantic-test', '1.0.0');

  const run = tracer.startSpan('invoke_agent weather', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'weather' } });
  const inRun = trace.setSpan(context.active(), run);
  const chat = tracer.startSpan(
    'chat gpt-4o',
    {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 35,
        'gen_ai.request.temperature': 0.2,
        'gen_ai.response.finish_reasons': ['tool_call'],
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Weather in London?' }] }]),
      },
    },
    inRun,
  );
  chat.end();
  const tool = tracer.startSpan(
    'execute_tool get_lat_lng',
    { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_lat_lng' } },
    inRun,
  );
  tool.recordException(Object.assign(new Error('geocoder timed out'), { name: 'TimeoutError' }));
  tool.setAttribute('error.type', 'TimeoutError');
  tool.setStatus({ code: SpanStatusCode.ERROR, message: 'geocoder timed out' });
  tool.end();
  run.end();
  await provider.forceFlush();
  await provider.shutdown();

  const traceId = run.spanContext().traceId;
  const answer = await fetch(`${server.url}/api/traces/${traceId}`);
  expect(answer.status).toBe(200);
  const { spans } = (await answer.json()) as { spans: any[] };
  const byName = new Map(spans.map((s) => [s.name, s]));
  // The run first (it starts first, or in the same millisecond and ends last); its children in either order.
  expect(spans[0].name).toBe('invoke_agent weather');
  expect([...byName.keys()].sort()).toEqual(['chat gpt-4o', 'execute_tool get_lat_lng', 'invoke_agent weather']);

  const runSpan = byName.get('invoke_agent weather');
  expect(runSpan).toMatchObject({
    traceId,
    spanId: run.spanContext().spanId,
    kind: 'internal',
    status: { code: 'unset' },
    scope: { name: 'schemantic-test', version: '1.0.0' },
  });
  expect(runSpan).not.toHaveProperty('parentSpanId');
  expect(runSpan.resource['service.name']).toMatch(/^unknown_service/);

  expect(byName.get('chat gpt-4o')).toMatchObject({
    spanId: chat.spanContext().spanId,
    parentSpanId: run.spanContext().spanId,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 35,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.response.finish_reasons': ['tool_call'],
      'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"Weather in London?"}]}]',
    },
  });

  const toolSpan = byName.get('execute_tool get_lat_lng');
  expect(toolSpan).toMatchObject({
    parentSpanId: run.spanContext().spanId,
    attributes: { 'gen_ai.tool.name': 'get_lat_lng', 'error.type': 'TimeoutError' },
    status: { code: 'error', message: 'geocoder timed out' },
    events: [{ name: 'exception', attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'geocoder timed out' } }],
  });
  expect(toolSpan.events[0].attributes['exception.stacktrace']).toContain('geocoder timed out');
  // Times are nanoseconds, and each span lies within the run (give or take the SDK's clock arithmetic, in floats).
  const ms = 1_000_000n;
  for (const s of spans) {
    expect(s.startTimeUnixNano).toMatch(/^\d{19}$/);
    expect(BigInt(s.startTimeUnixNano) >= BigInt(runSpan.startTimeUnixNano) - ms && BigInt(s.endTimeUnixNano) <= BigInt(runSpan.endTimeUnixNano) + ms).toBe(
      true,
    );
  }

  // The run's root span arrived last (SimpleSpanProcessor exports each span as it ends): reported once.
  expect(runs).toEqual([
    expect.objectContaining({
      traceId,
      name: 'invoke_agent weather',
      agentName: 'weather',
      spanCount: 3,
      inputTokens: 120,
      outputTokens: 35,
      errorCount: 1,
      complete: true,
    }),
  ]);
});
