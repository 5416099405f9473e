/**
 * The batching every embedder needs: providers cap the texts of one request (OpenAI at 2048), and
 * a corpus is larger than that. The texts are split into batches, a few run at a time, and the
 * answers put back together in the order of the texts, with their usage summed.
 */
import { ModelAPIError, UserError } from '../contract/errors.js';
import type { EmbeddingProgress, EmbeddingResult } from './embedder.js';
import type { Embedding } from './embedding.js';

/** Requests in flight at once unless told otherwise: enough to hide latency, few enough for rate limits. */
const DEFAULT_CONCURRENCY = 4;

/** How {@link embedInBatches} splits and runs a call; `N` is the size asked for, when one is. */
export interface BatchingOptions<N extends number = number> {
  /** The most texts one batch may hold (the provider's per-request limit, or less). */
  batchSize: number;
  /** The most batches in flight at once; default 4. 1 sends them one after another. */
  concurrency?: number | undefined;
  /**
   * The model the result names when there are no texts (no batch runs); otherwise the first
   * batch's answer names it.
   */
  model: string;
  /**
   * The size every vector must have, when known (a configured size): an answer with another size
   * is an error, and a call with no texts reports it. Unknown: 0 for no texts. It is what makes
   * the result's vectors `Embedding<N>`: every one is checked to have `N` numbers.
   */
  dimensions?: N | undefined;
  /** Cancels the call: the batches in flight get an aborted signal, and no further one starts. */
  signal?: AbortSignal | undefined;
  /** Called after each batch, with how many texts are embedded so far. */
  onProgress?: ((progress: EmbeddingProgress) => void) | undefined;
}

/**
 * Embeds one batch. The signal fires when the caller's does, or when another batch failed (its
 * answer would be thrown away): pass it to the request. Its vectors are plain: their size is
 * checked (and typed) when the batches are put together.
 */
export type EmbedBatch = (texts: readonly string[], signal: AbortSignal) => Promise<EmbeddingResult>;

/**
 * Embeds `texts` in batches of at most `options.batchSize`, at most `options.concurrency` at a
 * time, and returns one result: the vectors in the order of the texts, the usage summed. The first
 * batch to fail ends the call with its error (the others in flight are aborted), and so does an
 * answer with a wrong number of vectors or a size that differs from the others'.
 */
export async function embedInBatches<N extends number = number>(
  texts: readonly string[],
  options: BatchingOptions<N>,
  embedBatch: EmbedBatch,
): Promise<EmbeddingResult<N>> {
  const { batchSize, model, signal, onProgress } = options;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UserError(`batchSize must be a positive integer, not ${batchSize}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UserError(`concurrency must be a positive integer, not ${concurrency}`);
  signal?.throwIfAborted();

  const batches: (readonly string[])[] = [];
  for (let start = 0; start < texts.length; start += batchSize) batches.push(texts.slice(start, start + batchSize));
  const results: EmbeddingResult[] = [];

  // One controller for the whole call: the caller's abort and the first failure both stop it.
  const controller = new AbortController();
  const forward = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', forward, { once: true });
  let failure: { error: unknown } | undefined;
  let next = 0;
  let embedded = 0;

  const worker = async (): Promise<void> => {
    while (next < batches.length && !controller.signal.aborted) {
      const index = next++;
      const batch = batches[index]!;
      const result = await embedBatch(batch, controller.signal);
      // A batch that ignored the signal: the call is over (aborted, or failed), nothing more is reported.
      if (controller.signal.aborted) return;
      if (result.embeddings.length !== batch.length)
        throw new ModelAPIError(result.model || model, `model ${result.model || model} answered ${result.embeddings.length} vectors for ${batch.length} texts`);
      results[index] = result;
      embedded += batch.length;
      onProgress?.({ embedded, total: texts.length });
    }
  };

  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, batches.length) }, () =>
        worker().catch((error: unknown) => {
          // Only the first failure counts: the batches it aborts fail too, with its error as the reason.
          if (failure) return;
          failure = { error };
          controller.abort(error);
        }),
      ),
    );
  } finally {
    signal?.removeEventListener('abort', forward);
  }
  if (failure) throw failure.error;
  signal?.throwIfAborted();
  return combine(results, model, options.dimensions);
}

/**
 * The batches' results as one, checking that every vector has the same size: the size asked for
 * (`N`), when there is one. That check is what makes the vectors `Embedding<N>`; without a size
 * `N` is `number`, and the vectors are plain.
 */
function combine<N extends number>(results: readonly EmbeddingResult[], model: string, expected: N | undefined): EmbeddingResult<N> {
  const answeredBy = results[0]?.model ?? model;
  const embeddings: (readonly number[])[] = [];
  let inputTokens = 0;
  let dimensions: number | undefined = expected;
  for (const result of results) {
    for (const vector of result.embeddings) {
      dimensions ??= vector.length;
      if (vector.length !== dimensions) {
        const problem =
          expected !== undefined
            ? `a vector of ${vector.length} dimensions, not the ${expected} asked for`
            : `vectors of ${dimensions} and of ${vector.length} dimensions`;
        throw new ModelAPIError(answeredBy, `model ${answeredBy} answered ${problem}`);
      }
      embeddings.push(vector);
    }
    inputTokens += result.usage.inputTokens;
  }
  return { embeddings: embeddings as Embedding<N>[], dimensions: (dimensions ?? 0) as N, usage: { inputTokens }, model: answeredBy };
}
