/**
 * Adversarial review of the embeddings added with issue 17: answers of an embeddings API that lie
 * (vectors that are no vectors, the wrong count or index), batching under an abort, and the
 * offline embedder at the extremes of its input. The tests of malformed vectors failed before the
 * fix in openai-embedder.ts; the others guard what already held.
 */
import { describe, expect, it } from 'vitest';
import { cosineSimilarity, DeterministicEmbedder, embedInBatches, ModelAPIError } from 'schemantic';
import { OpenAIEmbedder } from 'schemantic/openai';
import { CANARY_KEY, expectNoCanary, withReplay } from '../providers/harness.js';
import type { Exchange, ReplayServer } from '../providers/replay-server.js';

function embedder(server: ReplayServer, options: { dimensions?: number; batchSize?: number; concurrency?: number } = {}): OpenAIEmbedder {
  return OpenAIEmbedder.connect({ apiKey: CANARY_KEY, baseURL: `${server.url}/v1`, maxRetries: 0, ...options });
}

/** An embeddings answer whose items are `data` as given. */
function answer(data: unknown[], delayMs = 0): Exchange {
  const reply = {
    kind: 'json' as const,
    status: 200,
    body: { object: 'list', data, model: 'text-embedding-3-small', usage: { prompt_tokens: 1, total_tokens: 1 } },
  };
  return { request: { method: 'POST', path: '/v1/embeddings' }, response: delayMs > 0 ? { kind: 'delay', ms: delayMs, then: reply } : reply };
}

const base64 = (values: number[]) => Buffer.from(new Float32Array(values).buffer).toString('base64');

describe('OpenAIEmbedder: answers that lie', () => {
  it.each([
    ['NaN in base64', base64([0.5, Number.NaN])],
    ['Infinity in base64', base64([Number.POSITIVE_INFINITY, 0.5])],
    ['an empty base64 vector', ''],
    ['an empty list', []],
  ])('rejects a vector of %s as malformed, not as numbers to rank by', async (_what, embedding) => {
    await withReplay([answer([{ object: 'embedding', index: 0, embedding }])], async (server) => {
      const error = await embedder(server)
        .embed(['hello'])
        .then(
          (result) => result.embeddings,
          (e: unknown) => e,
        );
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/malformed response: data\[0\]\.embedding/);
      expectNoCanary(error);
    });
  });

  it('rejects a base64 vector that is not whole 32-bit floats, an index out of range, and a repeated index', async () => {
    await withReplay(
      [
        answer([{ index: 0, embedding: Buffer.from([1, 2, 3, 4, 5, 6]).toString('base64') }]),
        answer([
          { index: 0, embedding: [0.1] },
          { index: 2, embedding: [0.2] },
        ]),
        answer([
          { index: 1, embedding: [0.1] },
          { index: 1, embedding: [0.2] },
        ]),
      ],
      async (server) => {
        const model = embedder(server);
        await expect(model.embed(['a'])).rejects.toThrow(/not a whole number of 32-bit floats/);
        await expect(model.embed(['a', 'b'])).rejects.toThrow(/data\[1\]\.index is not the position/);
        await expect(model.embed(['a', 'b'])).rejects.toThrow(/data\[1\]\.index is not the position/);
      },
    );
  });

  it('stops sending batches at an abort mid-way with several in flight, with the abort as the error', async () => {
    const one = (v: number) => [{ index: 0, embedding: [v] }];
    await withReplay([answer(one(1)), answer(one(2)), answer(one(3), 5000), answer(one(4), 5000)], async (server) => {
      const controller = new AbortController();
      const progress: number[] = [];
      const call = embedder(server, { batchSize: 1, concurrency: 2 }).embed(['a', 'b', 'c', 'd', 'e', 'f'], {
        signal: controller.signal,
        onProgress: ({ embedded }) => {
          progress.push(embedded);
          if (embedded === 2) setTimeout(() => controller.abort(), 50);
        },
      });
      await expect(call).rejects.toMatchObject({ name: 'AbortError' });
      await server.settled();
      expect(progress).toEqual([1, 2]);
      // The two in flight were aborted; no fifth request was sent.
      expect(server.requests.map((r) => r.aborted)).toEqual([false, false, true, true]);
    });
  });
});

describe('DeterministicEmbedder at the extremes', () => {
  it('embeds an empty text as the zero vector, similar to nothing, beside others in one call', async () => {
    const { embeddings, usage } = await new DeterministicEmbedder({ dimensions: 8 }).embed(['', 'word', '  \n ']);
    expect(embeddings[0]).toEqual(new Array(8).fill(0));
    expect(embeddings[2]).toEqual(new Array(8).fill(0));
    expect(cosineSimilarity(embeddings[0]!, embeddings[1]!)).toBe(0);
    expect(usage.inputTokens).toBe(1);
  });

  it('embeds a huge text (a million words, and one word of two million letters) into a finite unit vector, quickly', async () => {
    const words = Array.from({ length: 1_000_000 }, (_, i) => `w${i % 5000}`).join(' ');
    const word = 'x'.repeat(2_000_000);
    const started = Date.now();
    const { embeddings } = await new DeterministicEmbedder().embed([words, word]);
    expect(Date.now() - started).toBeLessThan(20_000);
    for (const vector of embeddings) {
      expect(vector.every(Number.isFinite)).toBe(true);
      expect(Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0))).toBeCloseTo(1, 6);
    }
  });

  it('reports no progress past an abort, from a batch that ignored the signal', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const options = {
      batchSize: 1,
      concurrency: 1,
      model: 'm',
      signal: controller.signal,
      onProgress: ({ embedded }: { embedded: number }) => progress.push(embedded),
    };
    const call = embedInBatches(['a', 'b', 'c'], options, async (batch) => {
      if (batch[0] === 'b') controller.abort(new Error('stop'));
      return { embeddings: [[1]], dimensions: 1, usage: { inputTokens: 1 }, model: 'm' };
    });
    await expect(call).rejects.toThrow('stop');
    // The caller gave up during the second batch: it is told of the first only.
    expect(progress).toEqual([1]);
  });
});
