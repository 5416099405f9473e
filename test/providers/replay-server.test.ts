/**
 * The replay server the provider adapter tests stand on: it must serve recorded traffic exactly (JSON re-serialised,
 * SSE byte for byte), hold clients to the recorded order, fail loudly on anything unplanned, and misbehave on purpose
 * (slow, truncated, reset) in ways a client can observe. Ends with one check through the real `openai` SDK, so the
 * adapters' tests can rely on the SDK and the server agreeing on paths, headers and errors.
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCassette, loadSse, MISMATCH_STATUS, startReplayServer, type Exchange, type Reply, type ReplayServer } from './replay-server.js';

const servers: ReplayServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(...exchanges: Exchange[]): Promise<ReplayServer> {
  const server = await startReplayServer(exchanges);
  servers.push(server);
  return server;
}

const post = (path: string, response: Reply): Exchange => ({ request: { method: 'POST', path }, response });

function postJson(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...init });
}

/** Reads a body to its end or its failure, keeping each piece as it arrived. */
async function readPieces(res: Response): Promise<{ pieces: Buffer[]; bytes: Buffer; error?: unknown }> {
  const pieces: Buffer[] = [];
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { pieces, bytes: Buffer.concat(pieces) };
      pieces.push(Buffer.from(value));
    }
  } catch (error) {
    return { pieces, bytes: Buffer.concat(pieces), error };
  }
}

describe('JSON replies and the request log', () => {
  it('serves the recorded reply, recomputes content-length, keeps other headers, and logs the request with its parsed body', async () => {
    const server = await serve(
      post('/v1/chat/completions', {
        kind: 'json',
        status: 429,
        headers: { 'retry-after': '7', 'content-length': '1', 'transfer-encoding': 'chunked' },
        body: { error: { message: 'slow down, café' } },
      }),
    );
    const res = await postJson(
      `${server.url}/v1/chat/completions?api-version=2`,
      { model: 'm', n: 1 },
      { headers: { 'content-type': 'application/json', 'X-Trace': 'abc' } },
    );
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('content-type')).toBe('application/json');
    const text = await res.text();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toEqual({ error: { message: 'slow down, café' } });
    expect(server.requests).toEqual([
      {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: expect.objectContaining({ 'x-trace': 'abc', 'content-type': 'application/json' }),
        body: { model: 'm', n: 1 },
        aborted: false,
      },
    ]);
    expect(() => server.assertConsumed()).not.toThrow();
  });

  it('keeps a body that is not JSON as text', async () => {
    const server = await serve(post('/upload', { kind: 'json', status: 200, body: null }));
    await fetch(`${server.url}/upload`, { method: 'POST', body: 'not json' });
    expect(server.requests[0]?.body).toBe('not json');
  });
});

describe('order and leftovers', () => {
  it('answers a request out of order with 599, does not consume the exchange, and reports both in assertConsumed', async () => {
    const server = await serve(post('/v1/a', { kind: 'json', status: 200, body: 'a' }), post('/v1/b', { kind: 'json', status: 200, body: 'b' }));
    const res = await postJson(`${server.url}/v1/b`, {});
    expect(res.status).toBe(MISMATCH_STATUS);
    // Without this the SDKs would retry a 5xx, and report the same mismatch three times, slowly.
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('expects POST /v1/a');
    // The exchange that was skipped is still next: the same order now succeeds.
    expect(await (await postJson(`${server.url}/v1/a`, {})).json()).toBe('a');
    expect(await (await postJson(`${server.url}/v1/b`, {})).json()).toBe('b');
    expect(() => server.assertConsumed()).toThrow('request 1 (POST /v1/b) does not match exchange 1 of 2, which expects POST /v1/a');
  });

  it('matches the method as well as the path', async () => {
    const server = await serve(post('/v1/models', { kind: 'json', status: 200, body: [] }));
    expect((await fetch(`${server.url}/v1/models`)).status).toBe(MISMATCH_STATUS);
    expect(() => server.assertConsumed()).toThrow(
      /request 1 \(GET \/v1\/models\) does not match exchange 1 of 1, which expects POST \/v1\/models[^]*exchange 1 of 1 \(POST \/v1\/models\) was never requested/,
    );
  });

  it('fails assertConsumed for an exchange never requested', async () => {
    const server = await serve(post('/v1/a', { kind: 'json', status: 200, body: 'a' }), post('/v1/messages', { kind: 'json', status: 200, body: 'b' }));
    await postJson(`${server.url}/v1/a`, {});
    expect(() => server.assertConsumed()).toThrow('exchange 2 of 2 (POST /v1/messages) was never requested');
  });

  it('fails assertConsumed for a request that came after the script ran out', async () => {
    const server = await serve(post('/v1/a', { kind: 'json', status: 200, body: 'a' }));
    await postJson(`${server.url}/v1/a`, {});
    expect((await postJson(`${server.url}/v1/messages`, {})).status).toBe(MISMATCH_STATUS);
    expect(() => server.assertConsumed()).toThrow('request 2 (POST /v1/messages) came after all 1 exchanges were served');
  });
});

describe('streams', () => {
  const text = loadSse('anthropic/anthropic-stream-tool-use-max-tokens.sse');

  it('serves SSE byte for byte, as text/event-stream', async () => {
    // The padded real-API events and a multi-byte character: anything re-encoded or trimmed would show.
    const body = `${text}data: {"note":"café 🙂"   }\n\n`;
    const server = await serve(post('/v1/messages', { kind: 'sse', text: body }));
    const res = await postJson(`${server.url}/v1/messages`, {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(body, 'utf8'))).toBe(true);
    await server.settled();
    expect(server.requests[0]?.aborted).toBe(false);
  });

  it('with chunkDelayMs, delivers the events in separate pieces over time', async () => {
    const short = loadSse('anthropic/anthropic-stream-text.sse');
    const events = short.split('\n\n').length - 1;
    const server = await serve(post('/v1/messages', { kind: 'sse', text: short, chunkDelayMs: 15 }));
    const started = Date.now();
    const { pieces, bytes, error } = await readPieces(await postJson(`${server.url}/v1/messages`, {}));
    expect(error).toBeUndefined();
    expect(bytes.toString('utf8')).toBe(short);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual((events - 1) * 15 - 10);
  });

  it.each([{ chunkDelayMs: undefined }, { chunkDelayMs: 1 }])(
    'with cutAfterBytes, sends exactly that many bytes, then drops the connection (chunkDelayMs $chunkDelayMs)',
    async ({ chunkDelayMs }) => {
      const body = `data: {"a":"é"}\n\n${text}`;
      const utf8 = Buffer.from(body, 'utf8');
      // Past the first event, and in the middle of a multi-byte character: the cut counts bytes, not characters.
      const cut = utf8.indexOf('é') + 1 + 300;
      const server = await serve(post('/v1/messages', { kind: 'sse', text: body, cutAfterBytes: cut, chunkDelayMs }));
      const res = await postJson(`${server.url}/v1/messages`, {});
      expect(res.status).toBe(200);
      const { bytes, error } = await readPieces(res);
      expect(bytes.equals(utf8.subarray(0, cut))).toBe(true);
      // undici: the chunked body never ended.
      expect(error).toBeInstanceOf(TypeError);
      expect(String((error as Error).cause)).toMatch(/other side closed/);
      await server.settled();
      expect(server.requests[0]?.aborted).toBe(false);
    },
  );

  it('with cutAfterBytes 0, sends the headers and no body', async () => {
    const server = await serve(post('/v1/messages', { kind: 'sse', text, cutAfterBytes: 0 }));
    const res = await postJson(`${server.url}/v1/messages`, {});
    expect(res.status).toBe(200);
    const { bytes, error } = await readPieces(res);
    expect(bytes.length).toBe(0);
    expect(error).toBeInstanceOf(TypeError);
  });

  it('notices a client that aborts mid-stream, stops writing, and goes on serving', async () => {
    const server = await serve(
      post('/v1/messages', { kind: 'sse', text, chunkDelayMs: 40 }),
      post('/v1/messages', { kind: 'json', status: 200, body: 'next' }),
    );
    const controller = new AbortController();
    const res = await postJson(`${server.url}/v1/messages`, {}, { signal: controller.signal });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString('utf8')).toBe(`${text.split('\n\n')[0]}\n\n`);
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    await server.settled();
    expect(server.requests[0]?.aborted).toBe(true);
    expect(await (await postJson(`${server.url}/v1/messages`, {})).json()).toBe('next');
    expect(() => server.assertConsumed()).not.toThrow();
  });
});

describe('connection failures', () => {
  it('reset: the client gets a connection error and no response', async () => {
    const server = await serve(post('/v1/chat/completions', { kind: 'reset' }));
    const error: unknown = await postJson(`${server.url}/v1/chat/completions`, {}).then(
      () => 'answered',
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNRESET');
    await server.settled();
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.aborted).toBe(false);
    expect(() => server.assertConsumed()).not.toThrow();
  });

  it('delay: nothing arrives before the delay, then the reply', async () => {
    const server = await serve(post('/v1/chat/completions', { kind: 'delay', ms: 120, then: { kind: 'json', status: 201, body: { ok: true } } }));
    const started = Date.now();
    const res = await postJson(`${server.url}/v1/chat/completions`, {});
    // Timers may fire a millisecond or so early relative to Date.now().
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('delay: a client that gives up while waiting is recorded as aborted', async () => {
    const server = await serve(post('/v1/chat/completions', { kind: 'delay', ms: 5_000, then: { kind: 'json', status: 200, body: {} } }));
    const started = Date.now();
    // Give up once the server has the request (a fixed 50 ms timeout could fire before it arrived on a busy machine).
    const giveUp = new AbortController();
    const pending = postJson(`${server.url}/v1/chat/completions`, {}, { signal: giveUp.signal });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    giveUp.abort();
    await expect(pending).rejects.toThrow();
    await server.settled();
    expect(server.requests[0]?.aborted).toBe(true);
    // The server stopped waiting when the client left, rather than sitting out the 5 s.
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('loadCassette and loadSse', () => {
  it('reads a JSON cassette: path without host or query, recorded request body, reply without wire headers', () => {
    const exchanges = loadCassette('openai/test_openai_instructions.yaml');
    expect(exchanges).toHaveLength(1);
    const [only] = exchanges;
    expect(only?.request).toEqual({
      method: 'POST',
      path: '/v1/chat/completions',
      body: {
        messages: [
          { content: 'You are a helpful assistant.', role: 'system' },
          { content: 'What is the capital of France?', role: 'user' },
        ],
        model: 'gpt-4o',
        n: 1,
        stream: false,
      },
    });
    expect(only?.response).toMatchObject({ kind: 'json', status: 200, body: { choices: [{ message: { content: 'The capital of France is Paris.' } }] } });
    const headers = (only?.response as { headers: Record<string, string> }).headers;
    expect(headers).toMatchObject({ 'content-type': 'application/json', 'openai-processing-ms': '320' });
    expect(Object.keys(headers)).not.toContain('content-length');
    expect(Object.keys(headers)).not.toContain('transfer-encoding');
  });

  it('reads a streaming cassette as SSE replies, one per interaction', () => {
    const exchanges = loadCassette('openai/test_run_stream_sync_streams_real_model.yaml');
    expect(exchanges.map((e) => e.response.kind)).toEqual(['sse', 'sse']);
    for (const e of exchanges) {
      const r = e.response as Extract<Reply, { kind: 'sse' }>;
      expect(r.status).toBe(200);
      expect(r.headers?.['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(r.text.startsWith('data: {"id":"chatcmpl-')).toBe(true);
      expect(r.text.endsWith('data: [DONE]\n\n')).toBe(true);
    }
  });

  it('keeps a recorded stream byte for byte: the extracted .sse copy of a cassette is identical', () => {
    const [exchange] = loadCassette('anthropic/test_anthropic_model_thinking_part_stream.yaml');
    expect(exchange?.request.path).toBe('/v1/messages');
    expect((exchange?.response as { text: string }).text).toBe(loadSse('anthropic/anthropic-stream-thinking.sse'));
  });

  it('keeps error statuses and retry-after, and joins repeated header values', () => {
    expect(loadCassette('openai/test_model_name_suggestion[openai-chat].yaml')[0]?.response).toMatchObject({
      kind: 'json',
      status: 404,
      headers: { 'access-control-expose-headers': 'CF-Ray, CF-Ray' },
      body: { error: { code: 'model_not_found' } },
    });
    expect(loadCassette('anthropic/test_mixed_tools_no_output.yaml')[0]?.response).toMatchObject({ headers: { 'retry-after': '61' } });
    expect(
      loadCassette('openai-compatible/test_openrouter_errors_raised.yaml').map((e) => [
        e.request.path,
        e.response.kind,
        (e.response as { status: number }).status,
      ]),
    ).toEqual(Array(3).fill(['/api/v1/chat/completions', 'json', 429]));
  });
});

describe('through the real openai SDK', () => {
  it('replays a recorded completion to chat.completions.create, and a recorded 404 as an APIError with that status', async () => {
    const [completion] = loadCassette('openai/test_openai_instructions.yaml');
    const [notFound] = loadCassette('openai/test_model_name_suggestion[openai-chat].yaml');
    const server = await serve(completion!, notFound!);
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 });

    const recorded = completion!.request.body as OpenAI.ChatCompletionCreateParamsNonStreaming;
    const result = await client.chat.completions.create(recorded);
    expect(result.choices[0]?.message.content).toBe('The capital of France is Paris.');
    expect(result.usage?.total_tokens).toBe(32);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: recorded, headers: { authorization: 'Bearer sk-test' } });

    const failure: unknown = await client.chat.completions.create(notFound!.request.body as OpenAI.ChatCompletionCreateParamsNonStreaming).then(
      () => 'answered',
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(404);
    expect((failure as InstanceType<typeof OpenAI.APIError>).code).toBe('model_not_found');
    expect(server.requests).toHaveLength(2);
    server.assertConsumed();
  });
});
