/**
 * OpenAIEmbedder through the real `openai` SDK client talking to a local replay server. No real
 * embeddings traffic was recorded, so the cassettes here are written from OpenAI's documented
 * shape (test/fixtures/providers/cassettes/openai-embeddings/README.md). Each test checks what
 * was sent (the recorded request bodies, a snapshot), what was made of the answer, and that the
 * canary key appears nowhere.
 */
import { describe, expect, it } from 'vitest';
import { ModelAPIError, ModelHTTPError, UserError } from 'schemantic';
import { OpenAIEmbedder, type OpenAIEmbedderOptions } from 'schemantic/openai';
import { setAllowModelRequests } from 'schemantic/testing';
import { CANARY_KEY, expectNoCanary, sentBodies, withReplay } from './harness.js';
import { loadCassette, type Exchange, type ReplayServer } from './replay-server.js';

/** An embedder whose SDK client talks to the replay server (no retries unless asked). */
function embedder(server: ReplayServer, options: OpenAIEmbedderOptions = {}): OpenAIEmbedder {
  return OpenAIEmbedder.connect({ apiKey: CANARY_KEY, baseURL: `${server.url}/v1`, maxRetries: 0, ...options });
}

/** The vector of the k-th text of the batched cassette (1-based), as written there. */
const written = (k: number) => [0.125 * k, -0.25 * k, 0.5, 1 / 2 ** k];

/** An embeddings answer with one vector per input: `[position]`, base64-encoded as the API does. */
function positions(from: number, count: number): Exchange {
  const data = Array.from({ length: count }, (_, i) => ({
    object: 'embedding',
    index: i,
    embedding: Buffer.from(new Float32Array([from + i]).buffer).toString('base64'),
  }));
  return {
    request: { method: 'POST', path: '/v1/embeddings' },
    response: {
      kind: 'json',
      status: 200,
      body: { object: 'list', data, model: 'text-embedding-3-small', usage: { prompt_tokens: count, total_tokens: count } },
    },
  };
}

describe('OpenAIEmbedder: requests and answers', () => {
  it('splits texts into batches, sends the dimensions, keeps the order, sums usage and reports progress', async () => {
    const exchanges = loadCassette('openai-embeddings/written-embeddings-batched.yaml');
    await withReplay(exchanges, async (server) => {
      const texts = exchanges.flatMap((e) => (e.request.body as { input: string[] }).input);
      const progress: number[] = [];
      const result = await embedder(server, { dimensions: 4, batchSize: 2, concurrency: 1 }).embed(texts, {
        inputType: 'document',
        onProgress: (p) => progress.push(p.embedded),
      });
      // The second answer lists its vectors in reverse: each goes to the text its index names.
      expect(result.embeddings).toEqual([1, 2, 3, 4, 5].map(written));
      expect(result.dimensions).toBe(4);
      expect(result.usage).toEqual({ inputTokens: 13 + 14 + 6 });
      expect(result.model).toBe('text-embedding-3-small');
      expect(progress).toEqual([2, 4, 5]);
      // What was sent is what the cassette says OpenAI takes: model, dimensions, base64, up to 2 inputs.
      expect(server.requests.map((r) => r.body)).toEqual(exchanges.map((e) => e.request.body));
      expect(server.requests.map((r) => r.headers['authorization'])).toEqual(exchanges.map(() => `Bearer ${CANARY_KEY}`));
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-embeddings-batched.json');
      expectNoCanary(result);
    });
  });

  it('asks for JSON floats when told to, and reads them as sent', async () => {
    const exchanges = loadCassette('openai-embeddings/written-embeddings-float.yaml');
    await withReplay(exchanges, async (server) => {
      const sent = exchanges[0]!.request.body as { input: string[] };
      const result = await embedder(server, { model: 'text-embedding-3-large', dimensions: 8, encodingFormat: 'float' }).embed(sent.input);
      expect(result.embeddings).toEqual([
        [0.0123, -0.0456, 0.0789, 0.1011, -0.1213, 0.1415, -0.1617, 0.1819],
        [-0.2021, 0.2223, -0.2425, 0.2627, 0.2829, -0.3031, 0.3233, -0.3435],
      ]);
      expect(result).toMatchObject({ dimensions: 8, usage: { inputTokens: 15 }, model: 'text-embedding-3-large' });
      expect(server.requests[0]!.body).toEqual(sent);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-embeddings-float.json');
    });
  });

  it('sends at most 2048 texts per request by default (OpenAI limit), in order', async () => {
    // Written in code: three answers of 2048, 2048 and 1 vectors are no fixture anyone would read.
    await withReplay([positions(0, 2048), positions(2048, 2048), positions(4096, 1)], async (server) => {
      const texts = Array.from({ length: 4097 }, (_, i) => `text ${i}`);
      const result = await embedder(server, { concurrency: 1 }).embed(texts);
      const inputs = server.requests.map((r) => (r.body as { input: string[] }).input);
      expect(inputs.map((i) => i.length)).toEqual([2048, 2048, 1]);
      expect(inputs.flat()).toEqual(texts);
      expect(result.embeddings).toEqual(texts.map((_, i) => [i]));
      expect(result.usage.inputTokens).toBe(4097);
      // No dimensions asked for: none sent, and the size is the answer's.
      expect(server.requests.every((r) => !('dimensions' in (r.body as object)))).toBe(true);
      expect(result.dimensions).toBe(1);
    });
  });

  it('reads JSON floats from a compatible server that ignores the base64 it was asked for', async () => {
    const body = {
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.1, -0.2, 0.3] }],
      model: 'nomic-embed-text',
      usage: { prompt_tokens: 2 },
    };
    await withReplay([{ request: { method: 'POST', path: '/v1/embeddings' }, response: { kind: 'json', status: 200, body } }], async (server) => {
      const result = await embedder(server, { provider: 'ollama', model: 'nomic-embed-text' }).embed(['hello there']);
      expect((server.requests[0]!.body as { encoding_format: string }).encoding_format).toBe('base64');
      expect(result).toEqual({ embeddings: [[0.1, -0.2, 0.3]], dimensions: 3, usage: { inputTokens: 2 }, model: 'nomic-embed-text' });
    });
  });

  it('sends nothing for no texts', async () => {
    await withReplay([], async (server) => {
      expect(await embedder(server, { dimensions: 4 }).embed([])).toEqual({
        embeddings: [],
        dimensions: 4,
        usage: { inputTokens: 0 },
        model: 'text-embedding-3-small',
      });
      expect(server.requests).toEqual([]);
    });
  });
});

describe('OpenAIEmbedder: errors', () => {
  it('turns an HTTP 400 into a ModelHTTPError with the status and the whole body', async () => {
    const exchanges = loadCassette('openai-embeddings/written-embeddings-error-400.yaml');
    await withReplay(exchanges, async (server) => {
      const error = await embedder(server, { model: 'text-embedding-ada-002', dimensions: 256 })
        .embed(['hello'])
        .catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error)).toBe(true);
      const http = error as ModelHTTPError;
      expect(http.status).toBe(400);
      expect(http.modelName).toBe('text-embedding-ada-002');
      expect(http.body).toEqual(exchanges[0]!.response.kind === 'json' ? exchanges[0]!.response.body : undefined);
      expect(http.message).toBe('model text-embedding-ada-002 answered HTTP 400: This model does not support specifying dimensions.');
      expect(server.requests[0]!.body).toEqual(exchanges[0]!.request.body);
      expectNoCanary(error);
    });
  });

  it('ends the call at a failed batch (429) after the batches before it, sending no more', async () => {
    await withReplay(loadCassette('openai-embeddings/written-embeddings-rate-limited.yaml'), async (server) => {
      const progress: number[] = [];
      const error = await embedder(server, { batchSize: 2, concurrency: 1 })
        .embed(['first', 'second', 'third', 'fourth', 'fifth'], { onProgress: (p) => progress.push(p.embedded) })
        .catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error) && error.status).toBe(429);
      expect((error as ModelHTTPError).body).toMatchObject({ error: { code: 'rate_limit_exceeded', type: 'tokens' } });
      expect(progress).toEqual([2]);
      expect(server.requests).toHaveLength(2);
      expectNoCanary(error);
    });
  });

  it('keeps the key out of a 401 that echoes it (masked), and of the error as a whole', async () => {
    await withReplay(loadCassette('openai-embeddings/written-embeddings-invalid-key.yaml'), async (server) => {
      const error = await embedder(server)
        .embed(['hello'])
        .catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error) && error.status).toBe(401);
      const http = error as ModelHTTPError;
      expect(http.message).toBe(
        'model text-embedding-3-small answered HTTP 401: Incorrect API key provided: [redacted]. You can find your API key at https://platform.openai.com/account/api-keys.',
      );
      expect(JSON.stringify(http.body)).not.toContain('sk-canar');
      expectNoCanary(error);
    });
  });

  it('turns a dropped connection into a ModelAPIError that is no HTTP error', async () => {
    await withReplay([{ request: { method: 'POST', path: '/v1/embeddings' }, response: { kind: 'reset' } }], async (server) => {
      const error = await embedder(server)
        .embed(['hello'])
        .catch((e: unknown) => e);
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect(ModelHTTPError.isInstance(error)).toBe(false);
      expect((error as Error).message).toMatch(/^the connection to model text-embedding-3-small failed/);
      expectNoCanary(error);
    });
  });

  it('turns an answer with a vector missing, or of the wrong size, into a ModelAPIError', async () => {
    const short = positions(0, 1);
    const wrongSize = positions(0, 2);
    await withReplay([short, wrongSize], async (server) => {
      const missing = await embedder(server)
        .embed(['a', 'b'])
        .catch((e: unknown) => e);
      expect(ModelAPIError.isInstance(missing)).toBe(true);
      expect((missing as Error).message).toBe('model text-embedding-3-small answered with a malformed response: data holds 1 embeddings for 2 inputs');
      const sized = await embedder(server, { dimensions: 4 })
        .embed(['a', 'b'])
        .catch((e: unknown) => e);
      expect(ModelAPIError.isInstance(sized)).toBe(true);
      expect((sized as Error).message).toBe('model text-embedding-3-small answered a vector of 1 dimensions, not the 4 asked for');
    });
  });

  it('aborts the request in flight when the signal fires', async () => {
    await withReplay(
      [{ request: { method: 'POST', path: '/v1/embeddings' }, response: { kind: 'delay', ms: 5000, then: positions(0, 1).response } }],
      async (server) => {
        const controller = new AbortController();
        const call = embedder(server).embed(['hello'], { signal: controller.signal });
        setTimeout(() => controller.abort(), 50);
        await expect(call).rejects.toMatchObject({ name: 'AbortError' });
        await server.settled();
        expect(server.requests[0]!.aborted).toBe(true);
      },
    );
  });

  it('sends nothing while model requests are disallowed', async () => {
    await withReplay([], async (server) => {
      setAllowModelRequests(false);
      try {
        await expect(embedder(server).embed(['hello'])).rejects.toThrow(/model requests are disallowed.*openai:text-embedding-3-small/);
      } finally {
        setAllowModelRequests(true);
      }
      expect(server.requests).toEqual([]);
    });
  });
});

describe('OpenAIEmbedder: options', () => {
  it('refuses a batch size over 2048 for OpenAI, and dimensions that are not a positive integer', () => {
    expect(() => new OpenAIEmbedder({ apiKey: CANARY_KEY, batchSize: 2049 })).toThrow(UserError);
    expect(() => new OpenAIEmbedder({ apiKey: CANARY_KEY, batchSize: 2049 })).toThrow('batchSize must be an integer from 1 to 2048, not 2049');
    expect(() => new OpenAIEmbedder({ apiKey: CANARY_KEY, provider: 'ollama', batchSize: 4096 })).not.toThrow();
    expect(() => new OpenAIEmbedder({ apiKey: CANARY_KEY, dimensions: 0 })).toThrow('dimensions must be a positive integer, not 0');
    expect(() => new OpenAIEmbedder({ provider: 'nope' })).toThrow('"nope" is not an OpenAI-compatible provider');
  });

  it('needs a key before any request when connected, and shows none when printed', async () => {
    const saved = process.env['OPENAI_API_KEY'];
    delete process.env['OPENAI_API_KEY'];
    try {
      expect(() => OpenAIEmbedder.connect()).toThrow('model openai:text-embedding-3-small needs an API key: set OPENAI_API_KEY');
    } finally {
      if (saved !== undefined) process.env['OPENAI_API_KEY'] = saved;
    }
    const made = new OpenAIEmbedder({ apiKey: CANARY_KEY, dimensions: 256 });
    expect(made.toJSON()).toEqual({ system: 'openai', model: 'text-embedding-3-small', dimensions: 256 });
    const { inspect } = await import('node:util');
    expect(inspect(made)).toBe("OpenAIEmbedder { system: 'openai', model: 'text-embedding-3-small' }");
    expectNoCanary(made, JSON.stringify(made), inspect(made));
  });
});
