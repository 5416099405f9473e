/**
 * The embeddings core: the offline DeterministicEmbedder (stable, normalised, and closer for
 * texts that share words than for unrelated ones), cosineSimilarity, and the batching helper every
 * provider embedder runs on (order, bounded concurrency, usage, progress, failures, cancellation).
 */
import { describe, expect, it } from 'vitest';
import { cosineSimilarity, DeterministicEmbedder, embedInBatches, ModelAPIError, UserError, type Embedding, type EmbeddingResult } from 'schemantic';
import { validateDocumentChunk } from '../../generated/validators/types/document-chunk.js';

const norm = (v: readonly number[]) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));

describe('DeterministicEmbedder', () => {
  it('makes unit vectors of 1536 numbers by default, the same for the same text every time', async () => {
    const texts = ['Agents are defined in YAML.', 'Tools take JSON Schema parameters.'];
    const first = await new DeterministicEmbedder().embed(texts);
    const again = await new DeterministicEmbedder().embed(texts);
    expect(first.dimensions).toBe(1536);
    expect(first.embeddings.map((v) => v.length)).toEqual([1536, 1536]);
    for (const v of first.embeddings) expect(norm(v)).toBeCloseTo(1, 12);
    expect(again.embeddings).toEqual(first.embeddings);
    expect(first.embeddings[0]).not.toEqual(first.embeddings[1]);
    expect(first.model).toBe('deterministic');
    // Usage counts words: 5 + 5.
    expect(first.usage).toEqual({ inputTokens: 10 });
  });

  it('rates a query closer to a document that shares its words than to an unrelated one', async () => {
    const [query, related, unrelated] = (
      await new DeterministicEmbedder().embed([
        'How do I install the schemantic package with npm?',
        'Install the package with npm: npm install schemantic.',
        'Humpback whales migrate thousands of kilometres every winter.',
      ])
    ).embeddings as [Embedding<1536>, Embedding<1536>, Embedding<1536>];
    const close = cosineSimilarity(query, related);
    const far = cosineSimilarity(query, unrelated);
    expect(close).toBeGreaterThan(0.4);
    expect(Math.abs(far)).toBeLessThan(0.15);
    expect(close).toBeGreaterThan(far + 0.3);
  });

  it('puts forms of the same word close together (word pieces), and is case- and width-insensitive', async () => {
    const [one, many, other, shouted] = (await new DeterministicEmbedder().embed(['embedding', 'embeddings', 'whale', 'ＥＭＢＥＤＤＩＮＧ'])).embeddings as [
      Embedding<1536>,
      Embedding<1536>,
      Embedding<1536>,
      Embedding<1536>,
    ];
    expect(cosineSimilarity(one, many)).toBeGreaterThan(0.35);
    expect(cosineSimilarity(one, many)).toBeGreaterThan(cosineSimilarity(one, other) + 0.4);
    expect(cosineSimilarity(one, shouted)).toBeCloseTo(1, 12);
  });

  it('takes other dimensions and seeds: another seed gives other vectors', async () => {
    const small = await new DeterministicEmbedder({ dimensions: 64 }).embed(['hello world']);
    const seeded = await new DeterministicEmbedder({ dimensions: 64, seed: 7 }).embed(['hello world']);
    expect(small.dimensions).toBe(64);
    expect(small.embeddings[0]).toHaveLength(64);
    expect(seeded.embeddings[0]).toHaveLength(64);
    expect(seeded.embeddings[0]).not.toEqual(small.embeddings[0]);
    expect(new DeterministicEmbedder({ dimensions: 64, seed: 7 }).toJSON()).toEqual({ model: 'deterministic', dimensions: 64, seed: 7 });
  });

  it('gives a text with no words the zero vector, which is similar to nothing', async () => {
    const { embeddings } = await new DeterministicEmbedder({ dimensions: 8 }).embed(['', ' ?! ', 'words']);
    expect(embeddings[0]).toEqual(new Array(8).fill(0));
    expect(embeddings[1]).toEqual(new Array(8).fill(0));
    expect(cosineSimilarity(embeddings[0]!, embeddings[2]!)).toBe(0);
  });

  it('reports progress per batch of 256 and embeds nothing for no texts', async () => {
    const progress: number[] = [];
    const texts = Array.from({ length: 600 }, (_, i) => `text number ${i}`);
    const result = await new DeterministicEmbedder({ dimensions: 16 }).embed(texts, { onProgress: (p) => progress.push(p.embedded) });
    expect(progress).toEqual([256, 512, 600]);
    expect(result.embeddings).toHaveLength(600);
    expect(await new DeterministicEmbedder({ dimensions: 16 }).embed([])).toEqual({
      embeddings: [],
      dimensions: 16,
      usage: { inputTokens: 0 },
      model: 'deterministic',
    });
  });

  it('makes vectors that fit the documentation-search chunk type (1536 numbers)', async () => {
    const content = 'Schemantic turns definitions into typed agents.';
    const [embedding] = (await new DeterministicEmbedder().embed([content])).embeddings;
    const chunk = {
      url: 'https://example.com/docs/intro',
      session_id: 'docs',
      chunk_number: 0,
      title: 'Introduction',
      summary: 'What Schemantic is.',
      content,
      metadata: { source: 'docs', crawled_at: '2025-01-01T00:00:00', url_path: '/docs/intro', chunk_size: content.length },
      updated_dt: '2025-01-01T00:00:01.5',
      embedding,
    };
    expect(validateDocumentChunk(chunk)).toBe(true);
    expect(validateDocumentChunk({ ...chunk, embedding: (await new DeterministicEmbedder({ dimensions: 768 }).embed([content])).embeddings[0] })).toBe(false);
  });

  it('rejects dimensions and seeds that are not usable integers', () => {
    expect(() => new DeterministicEmbedder({ dimensions: 0 })).toThrow(UserError);
    expect(() => new DeterministicEmbedder({ dimensions: 1.5 })).toThrow(/dimensions must be a positive integer/);
    expect(() => new DeterministicEmbedder({ seed: 0.5 })).toThrow(/seed must be a 32-bit integer/);
  });
});

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, -1 for the opposite, 0 for orthogonal or zero vectors', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 2, 3], [-1, -2, -3])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(cosineSimilarity([3, 4], [4, 3])).toBeCloseTo(24 / 25, 12);
  });

  it('refuses vectors of different lengths', () => {
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow(UserError);
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow('cannot compare vectors of 2 and 3 dimensions');
  });
});

/** A batch answer whose vector for each text is [its number] (texts are `t<number>`). */
function answer(texts: readonly string[], model = 'fake'): EmbeddingResult {
  return { embeddings: texts.map((t) => [Number(t.slice(1))]), dimensions: 1, usage: { inputTokens: texts.length * 3 }, model };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const texts = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);

describe('embedInBatches', () => {
  it('splits into batches, keeps the order of the texts when batches finish out of order, and sums usage', async () => {
    const seen: string[][] = [];
    const result = await embedInBatches(texts(10), { batchSize: 3, concurrency: 4, model: 'fake' }, async (batch) => {
      seen.push([...batch]);
      // Later batches answer first.
      await sleep(40 - (10 * Number(batch[0]!.slice(1))) / 3);
      return answer(batch);
    });
    expect(seen.map((b) => b.length).sort()).toEqual([1, 3, 3, 3]);
    expect(result.embeddings).toEqual(texts(10).map((_, i) => [i]));
    expect(result.usage).toEqual({ inputTokens: 30 });
    expect(result.dimensions).toBe(1);
    expect(result.model).toBe('fake');
  });

  it('keeps at most `concurrency` batches in flight, and uses that many', async () => {
    let inFlight = 0;
    let most = 0;
    await embedInBatches(texts(20), { batchSize: 2, concurrency: 3, model: 'fake' }, async (batch) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await sleep(5);
      inFlight--;
      return answer(batch);
    });
    expect(most).toBe(3);
  });

  it('reports progress after each batch, ending at the total', async () => {
    const progress: { embedded: number; total: number }[] = [];
    await embedInBatches(texts(5), { batchSize: 2, concurrency: 1, model: 'fake', onProgress: (p) => progress.push(p) }, async (b) => answer(b));
    expect(progress).toEqual([
      { embedded: 2, total: 5 },
      { embedded: 4, total: 5 },
      { embedded: 5, total: 5 },
    ]);
  });

  it('runs no batch for no texts, reporting the configured size (else 0) and model', async () => {
    let calls = 0;
    const batch = async (b: readonly string[]) => (calls++, answer(b));
    expect(await embedInBatches([], { batchSize: 2, model: 'm', dimensions: 12 }, batch)).toEqual({
      embeddings: [],
      dimensions: 12,
      usage: { inputTokens: 0 },
      model: 'm',
    });
    expect((await embedInBatches([], { batchSize: 2, model: 'm' }, batch)).dimensions).toBe(0);
    expect(calls).toBe(0);
  });

  it('ends with the first failure, aborts the batches in flight and starts no more', async () => {
    const started: number[] = [];
    const aborted: number[] = [];
    const failure = new Error('batch 1 failed');
    const call = embedInBatches(texts(12), { batchSize: 2, concurrency: 2, model: 'fake' }, async (batch, signal) => {
      const n = Number(batch[0]!.slice(1)) / 2;
      started.push(n);
      if (n === 1) {
        await sleep(5);
        throw failure;
      }
      await new Promise((resolve) => setTimeout(resolve, 50 * (n + 1)));
      if (signal.aborted) aborted.push(n);
      return answer(batch);
    });
    await expect(call).rejects.toBe(failure);
    expect(started).toEqual([0, 1]);
    await sleep(100);
    expect(aborted).toEqual([0]);
  });

  it("stops at the caller's abort, with its reason, and aborts the batch in flight", async () => {
    const controller = new AbortController();
    let signalSeen: AbortSignal | undefined;
    const call = embedInBatches(texts(6), { batchSize: 2, concurrency: 1, model: 'fake', signal: controller.signal }, (batch, signal) => {
      signalSeen = signal;
      return new Promise<EmbeddingResult>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        setTimeout(() => resolve(answer(batch)), 1000);
      });
    });
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 10);
    await expect(call).rejects.toBe(reason);
    expect(signalSeen?.aborted).toBe(true);
  });

  it('runs nothing when the signal is already aborted', async () => {
    let calls = 0;
    const signal = AbortSignal.abort(new Error('too late'));
    await expect(embedInBatches(texts(2), { batchSize: 2, model: 'fake', signal }, async (b) => (calls++, answer(b)))).rejects.toThrow('too late');
    expect(calls).toBe(0);
  });

  it('rejects an answer with the wrong number of vectors, or of the wrong size', async () => {
    const short = embedInBatches(texts(3), { batchSize: 3, model: 'fake' }, async (b) => answer(b.slice(1)));
    await expect(short).rejects.toThrow(ModelAPIError);
    await expect(short).rejects.toThrow('model fake answered 2 vectors for 3 texts');
    const mixed = embedInBatches(texts(4), { batchSize: 2, concurrency: 1, model: 'fake' }, async (b) =>
      b[0] === 't0' ? answer(b) : { ...answer(b), embeddings: b.map(() => [1, 2]), dimensions: 2 },
    );
    await expect(mixed).rejects.toThrow('model fake answered vectors of 1 and of 2 dimensions');
    const wrongSize = embedInBatches(texts(2), { batchSize: 2, model: 'fake', dimensions: 4 }, async (b) => answer(b));
    await expect(wrongSize).rejects.toThrow('model fake answered a vector of 1 dimensions, not the 4 asked for');
  });

  it('rejects a batch size or concurrency that is not a positive integer', async () => {
    const batch = async (b: readonly string[]) => answer(b);
    await expect(embedInBatches(texts(2), { batchSize: 0, model: 'fake' }, batch)).rejects.toThrow(UserError);
    await expect(embedInBatches(texts(2), { batchSize: 2, concurrency: 0.5, model: 'fake' }, batch)).rejects.toThrow('concurrency must be a positive integer');
  });
});
