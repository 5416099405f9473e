/**
 * The trace server over HTTP: what an exporter sends is stored and served, and what a hostile
 * sender (another process, a web page in the developer's browser, a DNS-rebound name) sends is
 * refused with the right status, leaving the store as it was and the server running.
 */
import { get } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTraceServer, type TraceServer } from '../../../codegen/cli/trace/trace-server.js';
import { exportRequest, send, TRACE_ID, weatherRun } from './otlp-fixtures.js';

let server: TraceServer;
const refused: [number, string][] = [];

beforeEach(async () => {
  refused.length = 0;
  server = await startTraceServer({ port: 0, onRefused: (status, message) => refused.push([status, message]) });
});
afterEach(() => server.close());

/** What the store holds and has counted, to compare before and after a refused request. */
const storeState = () => JSON.stringify({ summaries: server.store.summaries(), counts: server.store.counts() });

/** Runs `request` and expects the store to be the same afterwards, and the server to still take a run. */
async function expectRefused(request: () => Promise<{ status: number; json: () => any }>, status: number, message: RegExp): Promise<void> {
  const before = storeState();
  const answer = await request();
  expect(answer.status).toBe(status);
  expect(answer.json().message).toMatch(message);
  expect(storeState()).toBe(before);
  expect((await send(server.url, { body: weatherRun().body })).status).toBe(200);
}

describe('receiving spans', () => {
  it('stores an export and serves the list of runs and each run', async () => {
    const posted = await send(server.url, { body: weatherRun().body });
    expect(posted.status).toBe(200);
    expect(posted.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(posted.json()).toEqual({ partialSuccess: {} });

    const list = (await send(server.url, { path: '/api/traces' })).json();
    expect(list.traces).toMatchObject([{ traceId: TRACE_ID, name: 'invoke_agent weather', agentName: 'weather', spanCount: 6, complete: true }]);
    expect(list.counts).toEqual({ traces: 1, spans: 6, rejectedSpans: 0, metricExports: 0, logExports: 0 });

    const one = await send(server.url, { path: `/api/traces/${TRACE_ID.toUpperCase()}` });
    expect(one.status).toBe(200);
    expect(one.json().spans.map((s: { spanId: string }) => s.spanId)).toEqual(Object.values(weatherRun().ids));
    const missing = await send(server.url, { path: `/api/traces/${'1'.repeat(32)}` });
    expect(missing.status).toBe(404);
    expect((await send(server.url, { path: '/api/traces/%zz' })).status).toBe(404);
  });

  it('accepts a gzipped body', async () => {
    const answer = await send(server.url, {
      body: gzipSync(JSON.stringify(weatherRun().body)),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(answer.status).toBe(200);
    expect(server.store.summaries().map((s) => s.name)).toEqual(['invoke_agent weather']);
  });

  it('keeps the spans it can and says how many it could not (partialSuccess)', async () => {
    const body = exportRequest([{ spanId: 'c000000000000001', name: 'kept', start: 0, end: 1 }]) as { resourceSpans: { scopeSpans: { spans: object[] }[] }[] };
    body.resourceSpans[0]!.scopeSpans[0]!.spans.push({ name: 'no ids' }, { traceId: TRACE_ID, spanId: 'c000000000000002' });
    const answer = await send(server.url, { body });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ partialSuccess: { rejectedSpans: 2, errorMessage: expect.stringContaining('dropped') } });
    expect(server.store.counts()).toMatchObject({ spans: 1, rejectedSpans: 2 });
  });

  it('accepts metrics and logs, in any encoding, and only counts them', async () => {
    for (const path of ['/v1/metrics', '/v1/logs']) {
      const answer = await send(server.url, { path, body: Buffer.from([0x0a, 0x00]), headers: { 'content-type': 'application/x-protobuf' } });
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({ partialSuccess: {} });
    }
    expect(server.store.counts()).toMatchObject({ traces: 0, metricExports: 1, logExports: 1 });
  });

  it('tells the page when runs change, over Server-Sent Events, and closes with the stream open', async () => {
    const received = new Promise<string>((resolve, reject) => {
      get(`${server.url}/api/events`, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('retry: 1000\n\n') && !text.includes('event: change')) void send(server.url, { body: weatherRun().body });
          if (/event: change\ndata: .*\n\n/.test(text)) resolve(text);
        });
      }).on('error', reject);
    });
    expect(await received).toContain(`event: change\ndata: {"traceIds":["${TRACE_ID}"]}\n\n`);
    // afterEach closes the server with this stream still open.
  });

  it('keeps at most --max-traces runs', async () => {
    const small = await startTraceServer({ port: 0, maxTraces: 2 });
    try {
      for (const n of [1, 2, 3]) {
        const traceId = n.toString(16).padStart(32, '0');
        await send(small.url, { body: exportRequest([{ spanId: 'd000000000000001', name: `run ${n}`, start: n, end: n + 1 }], traceId) });
      }
      expect((await send(small.url, { path: '/api/traces' })).json().traces.map((t: { name: string }) => t.name)).toEqual(['run 3', 'run 2']);
    } finally {
      await small.close();
    }
  });
});

describe('hostile and mistaken requests', () => {
  it('malformed JSON: 400 with a message', async () => {
    await expectRefused(() => send(server.url, { body: '{"resourceSpans": [' }), 400, /^the body is not valid JSON: /);
    await expectRefused(() => send(server.url, { body: '[]' }), 400, /not an OTLP trace export/);
    await expectRefused(() => send(server.url, { body: { resourceSpans: 'all of them' } }), 400, /"resourceSpans" must be an array/);
    expect(refused.map(([status]) => status)).toEqual([400, 400, 400]);
  });

  it('a body over 32 MiB, sent as it is or inflating from gzip: 413', async () => {
    const huge = Buffer.alloc(33 * 1024 * 1024, 0x20);
    await expectRefused(() => send(server.url, { body: huge }), 413, /larger than 32 MiB/);
    // Chunked, so no Content-Length tells the size beforehand: counted as it arrives.
    await expectRefused(
      () => send(server.url, { body: huge, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }),
      413,
      /larger than 32 MiB/,
    );
    const bomb = gzipSync(huge);
    expect(bomb.length).toBeLessThan(100_000);
    await expectRefused(
      () => send(server.url, { body: bomb, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } }),
      413,
      /larger than 32 MiB/,
    );
  });

  it('a body that is not gzip, or in an encoding it does not read: 400, 415', async () => {
    await expectRefused(
      () => send(server.url, { body: '{}', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } }),
      400,
      /not valid gzip/,
    );
    await expectRefused(
      () => send(server.url, { body: '{}', headers: { 'content-type': 'application/json', 'content-encoding': 'br' } }),
      415,
      /Content-Encoding br/,
    );
  });

  it('protobuf or another media type: 415, saying to use http/json', async () => {
    await expectRefused(
      () => send(server.url, { body: Buffer.from([0x0a, 0x00]), headers: { 'content-type': 'application/x-protobuf' } }),
      415,
      /OTEL_EXPORTER_OTLP_PROTOCOL=http\/json/,
    );
    await expectRefused(() => send(server.url, { body: '{}', headers: { 'content-type': 'text/plain' } }), 415, /application\/json/);
  });

  it('a wrong method: 405 with Allow; an unknown path: 404', async () => {
    const getTraces = await send(server.url, { path: '/v1/traces', method: 'GET' });
    expect(getTraces.status).toBe(405);
    expect(getTraces.headers['allow']).toBe('POST');
    await expectRefused(() => send(server.url, { path: '/', body: weatherRun().body }), 405, /answers GET only/);
    await expectRefused(() => send(server.url, { path: '/api/traces', method: 'DELETE' }), 405, /answers GET only/);
    await expectRefused(() => send(server.url, { path: '/v1/traces/', body: weatherRun().body }), 404, /nothing at/);
    await expectRefused(() => send(server.url, { path: '/v2/traces', body: weatherRun().body }), 404, /nothing at/);
  });

  it('a browser request from another origin: 403', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://localhost:1', `${server.url}.evil.example`]) {
      await expectRefused(() => send(server.url, { body: weatherRun().body, headers: { 'content-type': 'application/json', origin } }), 403, /other web pages/);
    }
    await expectRefused(() => send(server.url, { path: '/api/traces', headers: { origin: 'https://evil.example' } }), 403, /other web pages/);
    // The viewer's own origin is welcome.
    expect((await send(server.url, { body: weatherRun().body, headers: { 'content-type': 'application/json', origin: server.url } })).status).toBe(200);
  });

  it('a Host that is not a loopback name (DNS rebinding): 421, for the API and the receiver', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, '127.0.0.1.evil.example', '10.0.0.1', '[::2]:1', 'local host']) {
      await expectRefused(() => send(server.url, { path: '/api/traces', headers: { host } }), 421, /addressed to localhost, 127\.0\.0\.1 or \[::1\]/);
      await expectRefused(
        () => send(server.url, { body: weatherRun().body, headers: { 'content-type': 'application/json', host } }),
        421,
        /addressed to localhost/,
      );
    }
    for (const host of [`localhost:${server.port}`, `[::1]:${server.port}`, `127.0.0.2:${server.port}`, 'LOCALHOST']) {
      expect((await send(server.url, { path: '/api/traces', headers: { host } })).status).toBe(200);
    }
    // No Host at all (HTTP/1.0, where Node does not ask for one).
    const raw = await new Promise<string>((resolve, reject) => {
      let text = '';
      connect(server.port, '127.0.0.1', function (this: Socket) {
        this.end('GET /api/traces HTTP/1.0\r\n\r\n');
      })
        .setEncoding('utf8')
        .on('data', (chunk: string) => (text += chunk))
        .on('end', () => resolve(text))
        .on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 421 /);
  });
});

describe('startTraceServer', () => {
  it('listens on loopback addresses only', async () => {
    await expect(startTraceServer({ host: '0.0.0.0', port: 0 })).rejects.toThrow('0.0.0.0 is not a loopback address');
  });

  it('rejects with EADDRINUSE when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startTraceServer({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      blocker.close();
    }
  });
});
