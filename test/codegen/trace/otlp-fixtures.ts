/**
 * OTLP/HTTP JSON bodies for the trace tests, written as an exporter writes them, and a small
 * HTTP client that can send anything (any Host, Origin, encoding or size) to the trace server.
 */
import { request } from 'node:http';

/** A span to encode: attributes as plain values, times in milliseconds after {@link T0}. */
export interface SpanInput {
  spanId: string;
  parentSpanId?: string;
  name: string;
  start: number;
  end: number;
  attributes?: Record<string, unknown>;
  events?: { name: string; at: number; attributes?: Record<string, unknown> }[];
  status?: { code: number; message?: string };
}

/** The trace of {@link weatherRun}. */
export const TRACE_ID = '5b8efff798038103d269b633813fc60c';

/** 2023-11-14T22:13:20Z, in nanoseconds. */
export const T0 = 1_700_000_000_000_000_000n;

/** A span name that is HTML: a page that renders it as HTML runs `window.__xss = 1`. */
export const XSS_NAME = '<img src=x onerror="window.__xss=1">';

const nanos = (ms: number) => (T0 + BigInt(Math.round(ms * 1e6))).toString();

/** A plain value as OTLP's AnyValue. */
export function anyValue(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (typeof value === 'object' && value !== null) return { kvlistValue: { values: keyValues(value as Record<string, unknown>) } };
  return {};
}

/** Attributes as OTLP's KeyValue list. */
export function keyValues(attributes: Record<string, unknown>): { key: string; value: Record<string, unknown> }[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/** An `ExportTraceServiceRequest` holding `spans` of trace `traceId`, from one service. */
export function exportRequest(spans: readonly SpanInput[], traceId = TRACE_ID, service = 'weather-app'): object {
  return {
    resourceSpans: [
      {
        resource: { attributes: keyValues({ 'service.name': service }) },
        scopeSpans: [
          {
            scope: { name: 'schemantic', version: '0.1.0' },
            spans: spans.map((s) => ({
              traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: 1,
              startTimeUnixNano: nanos(s.start),
              endTimeUnixNano: nanos(s.end),
              attributes: keyValues(s.attributes ?? {}),
              events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: nanos(e.at), attributes: keyValues(e.attributes ?? {}) })),
              status: s.status ?? { code: 0 },
            })),
          },
        ],
      },
    ],
  };
}

const messages = (value: unknown) => JSON.stringify(value);

/**
 * A run of agent `weather`: `invoke_agent weather` holding two model requests and a tool call
 * that failed (error status, `error.type`, an exception event), the tool call holding a span
 * whose name is HTML, and a span whose parent never arrives.
 */
export function weatherRun(): { body: object; ids: Record<'run' | 'chat1' | 'tool' | 'xss' | 'chat2' | 'orphan', string> } {
  const ids = {
    run: 'a000000000000001',
    chat1: 'a000000000000002',
    tool: 'a000000000000003',
    xss: 'a000000000000004',
    chat2: 'a000000000000005',
    orphan: 'a000000000000006',
  };
  const spans: SpanInput[] = [
    {
      spanId: ids.run,
      name: 'invoke_agent weather',
      start: 0,
      end: 900,
      // The run's own totals: not counted again on top of its model requests.
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'weather',
        'gen_ai.usage.input_tokens': 150,
        'gen_ai.usage.output_tokens': 40,
      },
    },
    {
      spanId: ids.chat1,
      parentSpanId: ids.run,
      name: 'chat gpt-4o',
      start: 10,
      end: 400,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.usage.output_tokens': 30,
        'gen_ai.system_instructions': messages([{ type: 'text', content: 'Be concise.' }]),
        'gen_ai.input.messages': messages([{ role: 'user', parts: [{ type: 'text', content: 'Weather in <b>London</b>?' }] }]),
        'gen_ai.output.messages': messages([
          {
            role: 'assistant',
            parts: [{ type: 'tool_call', id: 'call_1', name: 'get_lat_lng', arguments: { location_description: 'London' } }],
            finish_reason: 'tool_call',
          },
        ]),
      },
    },
    {
      spanId: ids.tool,
      parentSpanId: ids.run,
      name: 'execute_tool get_lat_lng',
      start: 410,
      end: 500,
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_lat_lng',
        'gen_ai.tool.call.arguments': '{"location_description":"London"}',
        'error.type': 'TimeoutError',
      },
      events: [
        { name: 'exception', at: 495, attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'geocoder timed out' } },
        { name: 'retry', at: 496, attributes: { 'schemantic.retry.attempt': 1 } },
      ],
      status: { code: 2, message: 'geocoder timed out' },
    },
    { spanId: ids.xss, parentSpanId: ids.tool, name: XSS_NAME, start: 420, end: 480, attributes: { note: '<script>window.__xss=2</script>' } },
    {
      spanId: ids.chat2,
      parentSpanId: ids.run,
      name: 'chat gpt-4o',
      start: 510,
      end: 880,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 50, 'gen_ai.usage.output_tokens': 10 },
    },
    { spanId: ids.orphan, parentSpanId: 'ffffffffffffffff', name: 'late callback', start: 890, end: 895 },
  ];
  return { body: exportRequest(spans), ids };
}

/** What the server answered. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => any;
}

/** Sends one request to `url` (the server's origin), with exactly the headers given (Host included, when given). */
export function send(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer | object } = {},
): Promise<Answer> {
  const body =
    options.body === undefined ? undefined : typeof options.body === 'string' || Buffer.isBuffer(options.body) ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers };
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(`${url}${options.path ?? '/v1/traces'}`, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    // A server that answers before the body is sent may close the connection on the rest: only an error before any answer counts.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.end(body);
  });
}
