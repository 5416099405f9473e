/**
 * The embedding contract: an `Embedder` turns texts into vectors, one per text, in order. It is
 * as small as the model contract on purpose: a provider's embedder only translates (texts in, the
 * SDK call, vectors and usage out), and whatever searches the vectors (a database, an in-memory
 * list ranked with `cosineSimilarity`) needs nothing else.
 *
 * The size of the vectors can be part of the types: an embedder made with `dimensions: 1536` is an
 * `Embedder<1536>`, whose vectors are `Embedding<1536>` (assignable to a definitions type marked
 * `x-embedding` with 1536 items); without a size it is an `Embedder` of plain vectors.
 */
import type { Embedding } from './embedding.js';

/**
 * What the texts are for. Some providers embed queries and the documents searched differently
 * (Gemini's task types, Cohere's input types); symmetric models (OpenAI's) ignore it.
 */
export type EmbeddingInputType = 'query' | 'document';

/** How far a call has got: reported after each batch, so `embedded` grows to `total`. */
export interface EmbeddingProgress {
  /** Texts embedded so far. */
  embedded: number;
  /** Texts in the call. */
  total: number;
}

/** What one embedding call may take besides its texts. */
export interface EmbedOptions {
  /** Cancels the call: requests in flight are aborted, no further batch is sent. */
  signal?: AbortSignal;
  /** Queries or documents (see {@link EmbeddingInputType}); default: as the provider does. */
  inputType?: EmbeddingInputType;
  /** Called after each batch; an error it throws ends the call with that error. */
  onProgress?: (progress: EmbeddingProgress) => void;
}

/** What embedding the texts of a call cost, as the provider counted it. */
export interface EmbeddingUsage {
  /** Tokens of input, summed over every request of the call. */
  inputTokens: number;
}

/** The vectors of one call; `N` is their length when the embedder was given one. */
export interface EmbeddingResult<N extends number = number> {
  /** One vector per text, in the order of the texts. */
  embeddings: Embedding<N>[];
  /** The length of every vector; with no texts, the configured length, or 0 when none was. */
  dimensions: N;
  /** Summed over the call's requests. */
  usage: EmbeddingUsage;
  /** The model that answered, as the provider names it. */
  model: string;
}

/**
 * Turns texts into vectors, each of `N` numbers when `N` is known. Implementations:
 * `DeterministicEmbedder` (offline, for tests and the examples), `OpenAIEmbedder`
 * (`schemantic/openai`), `GoogleEmbedder` (`schemantic/google`); any object with this method will do.
 */
export interface Embedder<N extends number = number> {
  /** Embeds `texts` (any number: implementations split them into the batches their API takes). */
  embed(texts: readonly string[], options?: EmbedOptions): Promise<EmbeddingResult<N>>;
}
