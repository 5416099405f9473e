/**
 * An embedder that needs no network, no key and no model: the same text always gets the same
 * vector, and texts that share words (or parts of words) get vectors that point the same way. It
 * is for tests, examples and offline development, where a real embedding model would cost money,
 * need a key and give answers that change with the model's version; it knows nothing of meaning
 * ("car" and "automobile" are unrelated to it).
 *
 * The method is feature hashing: each feature of a text (its words, its pairs of adjacent words,
 * the three-letter pieces of each word) is hashed, with a seed, to one coordinate and a sign, and
 * the sum is scaled to length 1. Pieces of words make "embedding" and "embeddings" close; pairs of
 * words make word order count a little.
 */
import { UserError } from '../contract/errors.js';
import type { Embedder, EmbeddingResult, EmbedOptions } from './embedder.js';
import { embedInBatches } from './embed-in-batches.js';

/** Options of {@link DeterministicEmbedder}; `N` is the vector length given. */
export interface DeterministicEmbedderOptions<N extends number = number> {
  /** The length of every vector; default 1536 (text-embedding-3-small's, and the example chunk type's). */
  dimensions?: N;
  /** Another seed gives other (equally good) vectors; default 0. A 32-bit integer. */
  seed?: number;
}

/** The name results carry. */
const MODEL = 'deterministic';

/** Texts per batch: only so that `onProgress` reports as a provider's embedder would. */
const BATCH_SIZE = 256;

/** The weights of the three kinds of feature: words count most, then their order, then their spelling. */
const WORD_WEIGHT = 1;
const PAIR_WEIGHT = 0.5;
const PIECES_WEIGHT = 1;

/** Words: runs of letters and digits, in any script. */
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * An offline embedder: seeded feature hashing of words, word pairs and word pieces, L2-normalised.
 * Its vectors are `Embedding<N>`: `N` is the `dimensions` given, 1536 when none is.
 */
export class DeterministicEmbedder<N extends number = 1536> implements Embedder<N> {
  /** The length of every vector. */
  readonly dimensions: N;
  /** The seed of the hashes. */
  readonly seed: number;

  /** @param options the vector length (default 1536) and the seed (default 0). */
  constructor(options: DeterministicEmbedderOptions<N> = {}) {
    const dimensions = options.dimensions ?? 1536;
    const seed = options.seed ?? 0;
    if (!Number.isInteger(dimensions) || dimensions < 1) throw new UserError(`dimensions must be a positive integer, not ${dimensions}`);
    if (!Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 32) throw new UserError(`seed must be a 32-bit integer, not ${seed}`);
    // Without a size, N is its default, 1536: the same number as this one.
    this.dimensions = dimensions as N;
    this.seed = seed >>> 0;
  }

  /**
   * Embeds `texts`. Usage counts words (there is no tokenizer). A text with no words gets the zero
   * vector, which `cosineSimilarity` rates 0 against anything. `inputType` is ignored: the
   * same text is the same vector as a query and as a document.
   */
  embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbeddingResult<N>> {
    return embedInBatches<N>(
      texts,
      {
        batchSize: BATCH_SIZE,
        concurrency: 1,
        model: MODEL,
        dimensions: this.dimensions,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      },
      async (batch) => {
        let inputTokens = 0;
        const embeddings = batch.map((text) => {
          const words = text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
          inputTokens += words.length;
          return this.#vector(words);
        });
        return { embeddings, dimensions: this.dimensions, usage: { inputTokens }, model: MODEL };
      },
    );
  }

  #vector(words: readonly string[]): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    const add = (feature: string, weight: number) => {
      const h = hash(feature, this.seed);
      // The sign comes from a second hash, so that collisions cancel out on average instead of adding up.
      vector[h % this.dimensions]! += (mix(h ^ 0x9e3779b9) & 1 ? -1 : 1) * weight;
    };
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      add(`w\u0000${word}`, WORD_WEIGHT);
      if (i > 0) add(`p\u0000${words[i - 1]} ${word}`, PAIR_WEIGHT);
      // Pieces of `<word>`, the brackets marking its ends; their weights sum (in squares) to one word's.
      const padded = `<${word}>`;
      const pieces = Math.max(1, padded.length - 2);
      const weight = PIECES_WEIGHT / Math.sqrt(pieces);
      for (let j = 0; j < pieces; j++) add(`c\u0000${padded.slice(j, j + 3)}`, weight);
    }
    let norm = 0;
    for (const x of vector) norm += x * x;
    if (norm === 0) return vector;
    const scale = 1 / Math.sqrt(norm);
    return vector.map((x) => x * scale);
  }

  /** The embedder as data: its settings. */
  toJSON(): { model: string; dimensions: number; seed: number } {
    return { model: MODEL, dimensions: this.dimensions, seed: this.seed };
  }
}

/** FNV-1a over the UTF-16 code units of `text`, seeded, then mixed (FNV alone spreads short strings badly). */
function hash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix(h);
}

/** MurmurHash3's finaliser: every input bit affects every output bit. */
function mix(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
