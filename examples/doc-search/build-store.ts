/**
 * The build step: documentation chunks embedded in batches (with progress) and written to the
 * store. A rebuild of a persisted store embeds only the chunks whose title or content changed
 * (an embedding costs money on a provider), deletes the chunks the documentation no longer has,
 * and starts over when the store's vectors came from another embedder (they would not compare).
 */
import { embedInBatches, type Embedder, type EmbeddingProgress, type EmbeddingResult } from 'schemantic';
import type { DocumentChunk } from '../../generated/types/doc-search.js';
import { SCHEMANTIC_SESSION, type ChunkDraft } from './doc-set.js';
import type { ChunkKey, DocStore } from './store.js';

/** Texts per embedding call: enough to keep a provider busy, small enough to show progress. */
export const EMBED_BATCH_SIZE = 64;

/** Options of {@link buildStore}. */
export interface BuildOptions {
  store: DocStore;
  embedder: Embedder<1536>;
  /** The embedder's name, kept with the store: a store built by another is rebuilt. */
  embedderName: string;
  /** The documentation set's chunks (session {@link SCHEMANTIC_SESSION}). */
  drafts: readonly ChunkDraft[];
  /** A crawled record to add; with `keepEmbedding` false its content is embedded again. */
  seed?: { chunk: DocumentChunk; keepEmbedding: boolean };
  /** Texts per embedding call; default {@link EMBED_BATCH_SIZE}. */
  batchSize?: number;
  /** Called after each batch is embedded. */
  onProgress?: (progress: EmbeddingProgress) => void;
  signal?: AbortSignal;
}

/** What a build did, and how long it took. */
export interface BuildReport {
  /** Chunks in the store afterwards. */
  chunks: number;
  /** Chunks embedded by this build. */
  embedded: number;
  /** Chunks already in the store with the same title and content, not embedded again. */
  unchanged: number;
  /** Chunks deleted because the documentation no longer has them. */
  removed: number;
  /** The embedder this store was built with before, when it was another one (everything was re-embedded). */
  replacedEmbedder?: string;
  /** Input tokens the embedder counted (the deterministic embedder counts words). */
  inputTokens: number;
  /** Milliseconds spent embedding, writing, and in all. */
  ms: { embed: number; write: number; total: number };
}

/** The text a chunk's embedding is made from: its title, then its content (as a query finds it). */
export function embeddingText(chunk: Pick<DocumentChunk, 'title' | 'content'>): string {
  return `${chunk.title}\n\n${chunk.content}`;
}

/** Embeds what changed and writes it; see the module's comment. */
export async function buildStore(options: BuildOptions): Promise<BuildReport> {
  const { store, embedder, embedderName, drafts, seed } = options;
  const started = performance.now();
  const previous = await store.setting('embedder');
  const replacedEmbedder = previous !== undefined && previous !== embedderName ? previous : undefined;
  if (replacedEmbedder !== undefined) await store.clear();
  // Recorded before any vector is written: a build that dies half-way still says whose vectors
  // the store holds, so a later build by another embedder starts over instead of mixing them.
  await store.setSetting('embedder', embedderName);

  // What the store already has, so that unchanged chunks are not embedded (nor paid for) again.
  const sessions = [...new Set([SCHEMANTIC_SESSION, ...(seed ? [seed.chunk.session_id] : [])])];
  const known = new Map<string, string>();
  for (const session of sessions) for (const row of await store.existing(session)) known.set(keyOf(row), embeddingText(row));
  const isUnchanged = (chunk: ChunkDraft) => known.get(keyOf(chunk)) === embeddingText(chunk);

  const toEmbed: ChunkDraft[] = drafts.filter((d) => !isUnchanged(d));
  const ready: DocumentChunk[] = [];
  if (seed && seed.keepEmbedding) ready.push(seed.chunk);
  else if (seed && !isUnchanged(seed.chunk)) {
    const { embedding: _theirs, ...rest } = seed.chunk;
    toEmbed.push(rest);
  }

  const embedStarted = performance.now();
  const result = await embedInBatches<1536>(
    toEmbed.map(embeddingText),
    {
      batchSize: options.batchSize ?? EMBED_BATCH_SIZE,
      concurrency: 2,
      model: embedderName,
      dimensions: 1536,
      signal: options.signal,
      onProgress: options.onProgress,
    },
    // The vectors are checked (and typed) as 1536 numbers when the batches are put together.
    async (batch, signal): Promise<EmbeddingResult> => {
      const answer = await embedder.embed(batch, { signal, inputType: 'document' });
      return { ...answer, embeddings: [...answer.embeddings] };
    },
  );
  const embedMs = performance.now() - embedStarted;
  toEmbed.forEach((draft, i) => ready.push({ ...draft, embedding: result.embeddings[i]! }));

  const writeStarted = performance.now();
  await store.upsert(ready);
  // Pages or chunks the documentation no longer has (only this set's: other crawls are left alone).
  const wanted = new Set(drafts.map(keyOf));
  const stale: ChunkKey[] = (await store.existing(SCHEMANTIC_SESSION)).filter((row) => !wanted.has(keyOf(row)));
  await store.remove(stale);
  const writeMs = performance.now() - writeStarted;

  return {
    chunks: await store.count(),
    embedded: toEmbed.length,
    unchanged: drafts.length + (seed ? 1 : 0) - toEmbed.length - (seed?.keepEmbedding ? 1 : 0),
    removed: stale.length,
    ...(replacedEmbedder !== undefined ? { replacedEmbedder } : {}),
    inputTokens: result.usage.inputTokens,
    ms: { embed: embedMs, write: writeMs, total: performance.now() - started },
  };
}

/** One string per chunk position. */
function keyOf(chunk: ChunkKey): string {
  return `${chunk.chunk_number} ${chunk.url}`;
}
