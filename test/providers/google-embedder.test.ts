/**
 * GoogleEmbedder through the real `@google/genai` client talking to a local replay server. No
 * embeddings traffic was recorded upstream, so the cassettes here are written from the Gemini
 * API's documented shape (test/fixtures/providers/cassettes/google-embeddings/README.md). Each
 * test checks what was sent (the fixture's request bodies, a snapshot), what was made of the
 * answer, and that the canary key appears nowhere.
 */
import { describe, expect, it } from 'vitest';
import { ModelAPIError, ModelHTTPError, UserError } from 'schemantic';
import { GoogleEmbedder, type GoogleEmbedderOptions } from 'schemantic/google';
import { setAllowModelRequests } from 'schemantic/testing';
import { CANARY_KEY, expectNoCanary, sentBodies, withReplay } from './harness.js';
import { loadCassette, type Exchange, type ReplayServer } from './replay-server.js';

/** An embedder whose SDK client talks to the replay server (no retries unless asked). */
function embedder<N extends number = number>(server: ReplayServer, options: GoogleEmbedderOptions<N> = {}): GoogleEmbedder<N> {
  return GoogleEmbedder.connect<N>({ apiKey: CANARY_KEY, baseURL: server.url, maxRetries: 0, ...options });
}

const PATH = '/v1beta/models/gemini-embedding-001:batchEmbedContents';

/** The vector of the k-th text of the batched cassette (1-based), as written there. */
const written = (k: number) => [k / 8, -k / 4, 0.5, 1 / 2 ** k];

type Sent = { requests: { content: { parts: { text: string }[] }; taskType?: string; outputDimensionality?: number; model: string }[] };
const textsOf = (body: unknown) => (body as Sent).requests.map((r) => r.content.parts[0]!.text);

/** An answer with one vector per text: `[position]`. */
function positions(from: number, count: number): Exchange {
  const embeddings = Array.from({ length: count }, (_, i) => ({ values: [from + i] }));
  return { request: { method: 'POST', path: PATH }, response: { kind: 'json', status: 200, body: { embeddings } } };
}

/** A 200 answer with `body`. */
const answer = (body: unknown): Exchange => ({ request: { method: 'POST', path: PATH }, response: { kind: 'json', status: 200, body } });

describe('GoogleEmbedder: requests and answers', () => {
  it('splits texts into batches, sends outputDimensionality and RETRIEVAL_DOCUMENT, keeps the order and reports progress', async () => {
    const exchanges = loadCassette('google-embeddings/written-embed-documents-batched.yaml');
    await withReplay(exchanges, async (server) => {
      const texts = exchanges.flatMap((e) => textsOf(e.request.body));
      const progress: number[] = [];
      const result = await embedder(server, { dimensions: 4, batchSize: 2, concurrency: 1 }).embed(texts, {
        inputType: 'document',
        onProgress: (p) => progress.push(p.embedded),
      });
      expect(result.embeddings).toEqual([1, 2, 3, 4, 5].map(written));
      expect(result.dimensions).toBe(4);
      // The Gemini API counts no tokens for embeddings.
      expect(result.usage).toEqual({ inputTokens: 0 });
      expect(result.model).toBe('gemini-embedding-001');
      expect(progress).toEqual([2, 4, 5]);
      // What was sent is what the fixture says the API takes: one request per text, the model, the task, the size.
      expect(server.requests.map((r) => r.path)).toEqual([PATH, PATH, PATH]);
      expect(server.requests.map((r) => r.body)).toEqual(exchanges.map((e) => e.request.body));
      expect(server.requests.map((r) => r.headers['x-goog-api-key'])).toEqual([CANARY_KEY, CANARY_KEY, CANARY_KEY]);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/google-embeddings-batched.json');
      expectNoCanary(result);
    });
  });

  it('sends RETRIEVAL_QUERY for queries', async () => {
    const exchanges = loadCassette('google-embeddings/written-embed-query.yaml');
    await withReplay(exchanges, async (server) => {
      const result = await embedder(server, { dimensions: 8 }).embed(['How do I install it?'], { inputType: 'query' });
      expect(result.embeddings).toEqual([[0.0123, -0.0456, 0.0789, 0.1011, -0.1213, 0.1415, -0.1617, 0.1819]]);
      expect(result.dimensions).toBe(8);
      expect(server.requests[0]!.body).toEqual(exchanges[0]!.request.body);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/google-embeddings-query.json');
    });
  });

  it('sends the configured task type when a call names no inputType, and the inputType’s when it does', async () => {
    await withReplay([positions(0, 1), positions(0, 1)], async (server) => {
      const similarity = embedder(server, { taskType: 'SEMANTIC_SIMILARITY' });
      await similarity.embed(['a']);
      await similarity.embed(['a'], { inputType: 'query' });
      expect(server.requests.map((r) => (r.body as Sent).requests[0]!.taskType)).toEqual(['SEMANTIC_SIMILARITY', 'RETRIEVAL_QUERY']);
    });
  });

  it('sends at most 100 texts per request by default (the Gemini API limit), in order, and no size or task unless given', async () => {
    // Written in code: answers of 100 and 100 and 1 vectors are no fixture anyone would read.
    await withReplay([positions(0, 100), positions(100, 100), positions(200, 1)], async (server) => {
      const texts = Array.from({ length: 201 }, (_, i) => `text ${i}`);
      const result = await embedder(server, { concurrency: 1 }).embed(texts);
      const sent = server.requests.map((r) => textsOf(r.body));
      expect(sent.map((s) => s.length)).toEqual([100, 100, 1]);
      expect(sent.flat()).toEqual(texts);
      expect(result.embeddings).toEqual(texts.map((_, i) => [i]));
      const first = (server.requests[0]!.body as Sent).requests[0]!;
      expect(first).toEqual({ content: { parts: [{ text: 'text 0' }], role: 'user' }, model: 'models/gemini-embedding-001' });
      expect(result.dimensions).toBe(1);
    });
  });

  it('sums the token counts a client reports per vector (Vertex AI statistics)', async () => {
    const body = {
      embeddings: [
        { values: [0.1, 0.2], statistics: { tokenCount: 3, truncated: false } },
        { values: [0.3, 0.4], statistics: { tokenCount: 5, truncated: false } },
      ],
    };
    await withReplay([answer(body)], async (server) => {
      const result = await embedder(server).embed(['one two three', 'four five six seven eight']);
      expect(result.usage).toEqual({ inputTokens: 8 });
    });
  });

  it('sends nothing for no texts', async () => {
    await withReplay([], async (server) => {
      expect(await embedder(server, { dimensions: 768 }).embed([])).toEqual({
        embeddings: [],
        dimensions: 768,
        usage: { inputTokens: 0 },
        model: 'gemini-embedding-001',
      });
      expect(server.requests).toEqual([]);
    });
  });
});

describe('GoogleEmbedder: errors', () => {
  it('turns an HTTP 400 into a ModelHTTPError with the status and the whole body', async () => {
    const exchanges = loadCassette('google-embeddings/written-embed-invalid-key.yaml');
    await withReplay(exchanges, async (server) => {
      const error = await embedder(server)
        .embed(['hello'])
        .catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error)).toBe(true);
      const http = error as ModelHTTPError;
      expect(http.status).toBe(400);
      expect(http.modelName).toBe('gemini-embedding-001');
      expect(http.body).toEqual(exchanges[0]!.response.kind === 'json' ? exchanges[0]!.response.body : undefined);
      expect(http.message).toBe('model gemini-embedding-001 answered HTTP 400: API key not valid. Please pass a valid API key.');
      expect(server.requests[0]!.body).toEqual(exchanges[0]!.request.body);
      expectNoCanary(error);
    });
  });

  it('ends the call at a failed batch (429) after the batches before it, sending no more', async () => {
    await withReplay(loadCassette('google-embeddings/written-embed-rate-limited.yaml'), async (server) => {
      const progress: number[] = [];
      const error = await embedder(server, { dimensions: 2, batchSize: 2, concurrency: 1 })
        .embed(['first', 'second', 'third', 'fourth', 'fifth'], { onProgress: (p) => progress.push(p.embedded) })
        .catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error) && error.status).toBe(429);
      expect((error as ModelHTTPError).body).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
      expect(progress).toEqual([2]);
      expect(server.requests).toHaveLength(2);
      expectNoCanary(error);
    });
  });

  it('turns a dropped connection into a ModelAPIError that is no HTTP error', async () => {
    await withReplay([{ request: { method: 'POST', path: PATH }, response: { kind: 'reset' } }], async (server) => {
      const error = await embedder(server)
        .embed(['hello'])
        .catch((e: unknown) => e);
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect(ModelHTTPError.isInstance(error)).toBe(false);
      expect((error as Error).message).toMatch(/^the connection to model gemini-embedding-001 failed/);
      expectNoCanary(error);
    });
  });

  it('turns an answer with a vector missing, not numbers, or of the wrong size into a ModelAPIError', async () => {
    await withReplay([positions(0, 1), answer({ embeddings: [{ values: ['0.1'] }] }), positions(0, 1)], async (server) => {
      const missing = await embedder(server)
        .embed(['a', 'b'])
        .catch((e: unknown) => e);
      expect(ModelAPIError.isInstance(missing)).toBe(true);
      expect((missing as Error).message).toBe('model gemini-embedding-001 answered with a malformed response: embeddings holds 1 vectors for 2 texts');
      const text = await embedder(server)
        .embed(['a'])
        .catch((e: unknown) => e);
      expect((text as Error).message).toBe('model gemini-embedding-001 answered with a malformed response: embeddings[0].values is not a list of numbers');
      const sized = await embedder(server, { dimensions: 4 })
        .embed(['a'])
        .catch((e: unknown) => e);
      expect(ModelAPIError.isInstance(sized)).toBe(true);
      expect((sized as Error).message).toBe('model gemini-embedding-001 answered a vector of 1 dimensions, not the 4 asked for');
    });
  });

  it('reports a timed-out attempt as a ModelAPIError', async () => {
    await withReplay([{ request: { method: 'POST', path: PATH }, response: { kind: 'delay', ms: 2000, then: positions(0, 1).response } }], async (server) => {
      const error = await embedder(server, { timeoutMs: 50 })
        .embed(['hello'])
        .catch((e: unknown) => e);
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe('the request to model gemini-embedding-001 timed out');
      await server.settled();
    });
  });

  it('aborts the request in flight when the signal fires', async () => {
    await withReplay([{ request: { method: 'POST', path: PATH }, response: { kind: 'delay', ms: 5000, then: positions(0, 1).response } }], async (server) => {
      const controller = new AbortController();
      const call = embedder(server).embed(['hello'], { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(call).rejects.toMatchObject({ name: 'AbortError' });
      await server.settled();
      expect(server.requests[0]!.aborted).toBe(true);
    });
  });

  it('sends nothing while model requests are disallowed', async () => {
    await withReplay([], async (server) => {
      setAllowModelRequests(false);
      try {
        await expect(embedder(server).embed(['hello'])).rejects.toThrow(/model requests are disallowed.*google:gemini-embedding-001/);
      } finally {
        setAllowModelRequests(true);
      }
      expect(server.requests).toEqual([]);
    });
  });
});

describe('GoogleEmbedder: options', () => {
  it('refuses a batch size over 100 and dimensions that are not a positive integer', () => {
    expect(() => new GoogleEmbedder({ apiKey: CANARY_KEY, batchSize: 101 })).toThrow(UserError);
    expect(() => new GoogleEmbedder({ apiKey: CANARY_KEY, batchSize: 101 })).toThrow('batchSize must be an integer from 1 to 100, not 101');
    expect(() => new GoogleEmbedder({ apiKey: CANARY_KEY, dimensions: 1.5 })).toThrow('dimensions must be a positive integer, not 1.5');
  });

  it('needs a key before any request when connected, and shows none when printed', async () => {
    const saved = { gemini: process.env['GEMINI_API_KEY'], google: process.env['GOOGLE_API_KEY'] };
    delete process.env['GEMINI_API_KEY'];
    delete process.env['GOOGLE_API_KEY'];
    try {
      expect(() => GoogleEmbedder.connect()).toThrow('model google:gemini-embedding-001 needs an API key: set GEMINI_API_KEY or GOOGLE_API_KEY');
    } finally {
      if (saved.gemini !== undefined) process.env['GEMINI_API_KEY'] = saved.gemini;
      if (saved.google !== undefined) process.env['GOOGLE_API_KEY'] = saved.google;
    }
    const made = new GoogleEmbedder({ apiKey: CANARY_KEY, dimensions: 768 });
    expect(made.toJSON()).toEqual({ system: 'google', model: 'gemini-embedding-001', dimensions: 768 });
    const { inspect } = await import('node:util');
    expect(inspect(made)).toBe("GoogleEmbedder { model: 'gemini-embedding-001' }");
    expectNoCanary(made, JSON.stringify(made), inspect(made));
  });

  it('remembers the key of an injected client, and reads Google’s error body from its SDK error', async () => {
    const { GoogleGenAI } = await import('@google/genai');
    const exchanges = loadCassette('google-embeddings/written-embed-invalid-key.yaml');
    await withReplay(exchanges, async (server) => {
      const client = new GoogleGenAI({ apiKey: CANARY_KEY, vertexai: false, httpOptions: { baseUrl: server.url } });
      const error = await new GoogleEmbedder({ client, maxRetries: 0 }).embed(['hello']).catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error) && error.status).toBe(400);
      // This client keeps no raw body: the body is read back from the SDK's error, the same body and message.
      expect((error as ModelHTTPError).body).toEqual(exchanges[0]!.response.kind === 'json' ? exchanges[0]!.response.body : undefined);
      expect((error as Error).message).toBe('model gemini-embedding-001 answered HTTP 400: API key not valid. Please pass a valid API key.');
      expect(server.requests[0]!.headers['x-goog-api-key']).toBe(CANARY_KEY);
      expectNoCanary(error);
    });
  });
});
