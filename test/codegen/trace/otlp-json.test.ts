/**
 * `schemantic trace` reading OTLP/HTTP JSON: every kind of attribute value, nanosecond times as
 * strings and as numbers, ids in hex and base64, and spans with fields missing (kept with neutral
 * values, or dropped and counted when they cannot be placed). Then the store: summaries, tokens
 * counted once, the most recent traces kept.
 */
import { describe, expect, it } from 'vitest';
import { decodeAttributes, decodeTraceRequest, OtlpShapeError } from '../../../codegen/cli/trace/otlp-json.js';
import { TraceStore, tokenTotals } from '../../../codegen/cli/trace/trace-store.js';
import { exportRequest, TRACE_ID, weatherRun } from './otlp-fixtures.js';

/** One span in an export request, with the fields given (and nothing else). */
const oneSpan = (span: Record<string, unknown>) => ({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
const ids = { traceId: TRACE_ID, spanId: '00f067aa0ba902b7' };

describe('decodeTraceRequest', () => {
  it('reads every kind of attribute value', () => {
    const attributes = decodeAttributes([
      { key: 's', value: { stringValue: 'text' } },
      { key: 'b', value: { boolValue: false } },
      { key: 'i', value: { intValue: 42 } },
      { key: 'i64', value: { intValue: '9007199254740993' } },
      { key: 'iSmall', value: { intValue: '-7' } },
      { key: 'd', value: { doubleValue: 0.5 } },
      { key: 'dNaN', value: { doubleValue: 'NaN' } },
      { key: 'bytes', value: { bytesValue: 'AQID' } },
      { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 1 }, { arrayValue: { values: [{ boolValue: true }] } }] } } },
      {
        key: 'kv',
        value: {
          kvlistValue: {
            values: [
              { key: 'x', value: { doubleValue: 1.5 } },
              { key: '__proto__', value: { stringValue: 'just a key' } },
            ],
          },
        },
      },
      { key: 'empty', value: {} },
      { key: 'missing' },
      { key: 'emptyArray', value: { arrayValue: {} } },
      { value: { stringValue: 'no key' } },
      'not a key-value',
    ]);
    expect(JSON.parse(JSON.stringify(attributes))).toEqual({
      s: 'text',
      b: false,
      i: 42,
      i64: '9007199254740993',
      iSmall: -7,
      d: 0.5,
      dNaN: 'NaN',
      bytes: 'AQID',
      arr: ['a', 1, [true]],
      kv: { x: 1.5, ['__proto__']: 'just a key' },
      empty: null,
      missing: null,
      emptyArray: [],
    });
    // `__proto__` stayed a key: the object's prototype is untouched.
    expect(Object.getPrototypeOf(attributes['kv'])).toBe(null);
  });

  it('stops reading nested values at a depth, without failing', () => {
    let value: object = { stringValue: 'bottom' };
    for (let i = 0; i < 100; i++) value = { arrayValue: { values: [value] } };
    const decoded = decodeAttributes([{ key: 'deep', value }]);
    expect(JSON.stringify(decoded)).toContain('(nested too deep)');
  });

  it('reads nanosecond times as strings and as numbers', () => {
    const [fromStrings] = decodeTraceRequest(oneSpan({ ...ids, startTimeUnixNano: '1700000000123456789', endTimeUnixNano: '1700000000223456789' })).spans;
    expect(fromStrings).toMatchObject({ startTimeUnixNano: '1700000000123456789', endTimeUnixNano: '1700000000223456789', durationMs: 100 });
    // A JSON number this large has already been rounded by JSON.parse: kept as read.
    const [fromNumbers] = decodeTraceRequest(
      JSON.parse(JSON.stringify(oneSpan({ ...ids, startTimeUnixNano: 1700000000000000000, endTimeUnixNano: 1700000000500000000 }))),
    ).spans;
    expect(fromNumbers).toMatchObject({ startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000500000000', durationMs: 500 });
  });

  it('reads ids in hex (any case) and in base64, and treats an all-zero parent as none', () => {
    const [hex] = decodeTraceRequest(
      oneSpan({ traceId: TRACE_ID.toUpperCase(), spanId: '00F067AA0BA902B7', parentSpanId: '0000000000000000', startTimeUnixNano: '1' }),
    ).spans;
    expect(hex).toMatchObject({ traceId: TRACE_ID, spanId: '00f067aa0ba902b7' });
    expect(hex).not.toHaveProperty('parentSpanId');
    const base64 = (h: string) => Buffer.from(h, 'hex').toString('base64');
    const [b64] = decodeTraceRequest(
      oneSpan({ traceId: base64(TRACE_ID), spanId: base64('00f067aa0ba902b7'), parentSpanId: base64('53995c3f42cd8ad8'), startTimeUnixNano: '1' }),
    ).spans;
    expect(b64).toMatchObject({ traceId: TRACE_ID, spanId: '00f067aa0ba902b7', parentSpanId: '53995c3f42cd8ad8' });
  });

  it('keeps a span with missing fields, with neutral values', () => {
    const { spans, rejected } = decodeTraceRequest(oneSpan({ ...ids, endTimeUnixNano: '2000' }));
    expect(rejected).toBe(0);
    expect(spans).toEqual([
      {
        ...ids,
        name: '',
        kind: 'unspecified',
        startTimeUnixNano: '2000',
        endTimeUnixNano: '2000',
        durationMs: 0,
        attributes: {},
        events: [],
        status: { code: 'unset' },
        resource: {},
      },
    ]);
    // An end before the start is a span of no length; an event without a time is at the span's start; names of enums are read.
    const [odd] = decodeTraceRequest(
      oneSpan({
        ...ids,
        kind: 'SPAN_KIND_CLIENT',
        startTimeUnixNano: '5000',
        endTimeUnixNano: '10',
        events: [{ name: 'retry' }, 'junk'],
        status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
      }),
    ).spans;
    expect(odd).toMatchObject({
      kind: 'client',
      endTimeUnixNano: '5000',
      events: [{ name: 'retry', timeUnixNano: '5000', attributes: {} }],
      status: { code: 'error', message: 'boom' },
    });
  });

  it('drops and counts spans that cannot be placed, and skips what is not a span', () => {
    const body = {
      resourceSpans: [
        null,
        { scopeSpans: 'nope' },
        {
          scopeSpans: [
            { spans: 'nope' },
            {
              spans: [
                { spanId: ids.spanId, startTimeUnixNano: '1' }, // no trace id
                { traceId: TRACE_ID, startTimeUnixNano: '1' }, // no span id
                { ...ids, spanId: 'xyz', startTimeUnixNano: '1' }, // not an id
                { ...ids, traceId: '0'.repeat(32), startTimeUnixNano: '1' }, // the invalid trace id
                { ...ids }, // no time at all
                42,
                { ...ids, name: 'kept', startTimeUnixNano: '1', endTimeUnixNano: '2' },
              ],
            },
          ],
        },
      ],
    };
    const { spans, rejected } = decodeTraceRequest(body);
    expect(spans.map((s) => s.name)).toEqual(['kept']);
    expect(rejected).toBe(6);
  });

  it('accepts an empty request and the pre-2022 name of scopeSpans; refuses what is not a request', () => {
    expect(decodeTraceRequest({})).toEqual({ spans: [], rejected: 0 });
    const legacy = {
      resourceSpans: [{ instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'old' }, spans: [{ ...ids, startTimeUnixNano: '1' }] }] }],
    };
    expect(decodeTraceRequest(legacy).spans[0]?.scope).toEqual({ name: 'old' });
    for (const body of [null, [], 'text', 3, { resourceSpans: {} }]) expect(() => decodeTraceRequest(body)).toThrow(OtlpShapeError);
  });

  it('keeps the resource and the scope with each span', () => {
    const [span] = decodeTraceRequest(exportRequest([{ spanId: ids.spanId, name: 'x', start: 0, end: 1 }])).spans;
    expect(span).toMatchObject({ resource: { 'service.name': 'weather-app' }, scope: { name: 'schemantic', version: '0.1.0' } });
  });
});

describe('TraceStore', () => {
  it('summarises a run: root name, agent, duration, tokens counted once, errors', () => {
    const store = new TraceStore();
    const { completed } = store.add(decodeTraceRequest(weatherRun().body).spans);
    const summary = {
      traceId: TRACE_ID,
      name: 'invoke_agent weather',
      agentName: 'weather',
      serviceName: 'weather-app',
      startTimeUnixNano: '1700000000000000000',
      durationMs: 900,
      spanCount: 6,
      // The two model requests (100 + 50, 30 + 10), not the run's own totals on top.
      inputTokens: 150,
      outputTokens: 40,
      errorCount: 1,
      complete: true,
    };
    expect(completed).toEqual([summary]);
    expect(store.summaries()).toEqual([summary]);
    expect(store.spans(TRACE_ID)?.map((s) => s.name)).toEqual([
      'invoke_agent weather',
      'chat gpt-4o',
      'execute_tool get_lat_lng',
      '<img src=x onerror="window.__xss=1">',
      'chat gpt-4o',
      'late callback',
    ]);
  });

  it('counts the tokens of a run with no model request spans from the run, and survives a cycle of parents', () => {
    const span = (spanId: string, parentSpanId: string | undefined, tokens: number) => ({
      ...decodeTraceRequest(oneSpan({ ...ids, spanId, startTimeUnixNano: '1' })).spans[0]!,
      ...(parentSpanId ? { parentSpanId } : {}),
      attributes: { 'gen_ai.usage.input_tokens': tokens, 'gen_ai.usage.output_tokens': 1 },
    });
    expect(tokenTotals([span('a000000000000001', undefined, 7)])).toEqual({ inputTokens: 7, outputTokens: 1 });
    expect(tokenTotals([span('a000000000000001', 'a000000000000002', 7), span('a000000000000002', 'a000000000000001', 9)])).toEqual({
      inputTokens: 0,
      outputTokens: 0,
    });
  });

  it('keeps the most recently updated traces, reports a run once when its root arrives, and replaces a span sent twice', () => {
    const store = new TraceStore(2);
    const changes: (readonly string[])[] = [];
    store.onChange((traceIds) => changes.push(traceIds));
    const trace = (n: number) => n.toString(16).padStart(32, '0');
    const child = (n: number) =>
      decodeTraceRequest(exportRequest([{ spanId: 'b000000000000002', parentSpanId: 'b000000000000001', name: 'child', start: n, end: n + 1 }], trace(n)))
        .spans;
    const root = (n: number) => decodeTraceRequest(exportRequest([{ spanId: 'b000000000000001', name: `run ${n}`, start: n, end: n + 5 }], trace(n))).spans;
    expect(store.add(child(1)).completed).toEqual([]);
    expect(store.add(root(1)).completed.map((s) => s.name)).toEqual(['run 1']);
    // Sent again (an exporter's retry): replaced, not reported again.
    expect(store.add(root(1)).completed).toEqual([]);
    expect(store.summary(trace(1))?.spanCount).toBe(2);
    store.add(root(2));
    store.add(child(1)); // trace 1 is now the most recently updated
    store.add(root(3));
    expect(store.summaries().map((s) => s.name)).toEqual(['run 3', 'run 1']);
    expect(store.spans(trace(2))).toBeUndefined();
    expect(changes.length).toBe(6);
    expect(store.counts()).toMatchObject({ traces: 3, spans: 4 });
  });
});
