/**
 * The documentation store's tests, written once and run on both engines: PGlite
 * (doc-search-pglite.test.ts) and the suite's PostgreSQL server with pgvector
 * (doc-search-postgres.test.ts). One database per file; each test starts from an empty store.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cosineSimilarity, DeterministicEmbedder, type Embedding, type ModelMessage, type RetryPromptPart, type RunContext } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { createDocSearchAgent, type DocSearchContext } from '../../generated/agents/doc-search.js';
import type { DocumentChunk } from '../../generated/types/doc-search.js';
import type { Database } from '../../examples/db/database.js';
import { buildStore, embeddingText } from '../../examples/doc-search/build-store.js';
import { docSearchDemoModel } from '../../examples/doc-search/demo-model.js';
import { documentationChunks, type ChunkDraft } from '../../examples/doc-search/doc-set.js';
import { formatRecord, parseRecord } from '../../examples/doc-search/records.js';
import { SEED_RECORD_FILE } from '../../examples/doc-search/corpus.js';
import { DocStore } from '../../examples/doc-search/store.js';
import { docSearchTools, type DocSearchDeps } from '../../examples/doc-search/tools.js';

const seedPath = SEED_RECORD_FILE;
const seedText = readFileSync(seedPath, 'utf8');

/** A small documentation set on distinct topics, so that each query has one clear nearest chunk. */
export const TOPICS = [
  '# Garden',
  'Tomatoes need sun, water every morning and stakes to climb. Prune the side shoots of the tomato plants weekly so the fruit ripens.',
  'Compost heaps turn kitchen scraps and leaves into soil: keep them damp, turn them monthly, and avoid meat.',
  '## Bees',
  'Bees pollinate orchards and meadows; a hive keeps its queen, workers and drones, and honey is harvested in late summer from the supers.',
  '# Telescopes',
  'A refractor telescope bends light through lenses; a reflector gathers it with a curved mirror. Aperture decides how faint a galaxy you can see.',
  '## Eyepieces',
  'Eyepieces set the magnification: divide the focal length of the telescope by the focal length of the eyepiece. Barlow lenses double it.',
  '# Bread',
  'Sourdough bread rises with a starter of wild yeast: feed the starter flour and water, knead the dough, proof it overnight, bake it hot.',
  'A baguette wants a steamy oven and a slashed crust; rye bread stays dense and keeps for a week wrapped in linen.',
].join('\n\n');

/** The small set as drafts: several pages, a few with more than one chunk. */
export function topicDrafts(): ChunkDraft[] {
  return documentationChunks([{ path: 'docs/topics.md', text: TOPICS }], { crawledAt: '2025-01-02T03:04:05.123456', maxChars: 160, minSectionChars: 0 });
}

/** A run context with these deps, for calling a handler directly. */
function contextWith(deps: DocSearchDeps): RunContext<DocSearchDeps, DocSearchContext> {
  return { deps, context: { site: { name: 'Topics', root_url: 'https://schemantic.dev/' } } } as unknown as RunContext<DocSearchDeps, DocSearchContext>;
}

/** The retry prompts of a run. */
function retries(messages: readonly ModelMessage[]): RetryPromptPart[] {
  return messages.flatMap((m) => (m.kind === 'request' ? m.parts.filter((p): p is RetryPromptPart => p.kind === 'retry-prompt') : []));
}

/** Runs the shared tests on the database `open` gives (closed by `close`). */
export function describeDocStoreOn(engine: string, open: () => Promise<Database>, close: (db: Database) => Promise<void>): void {
  describe(`the documentation store on ${engine}`, () => {
    let db: Database;
    let store: DocStore;
    const embedder = new DeterministicEmbedder();
    beforeAll(async () => {
      db = await open();
      store = await DocStore.open(db);
    });
    afterAll(async () => {
      if (db) await close(db);
    });
    beforeEach(async () => {
      await store.clear();
    });
    const build = (drafts = topicDrafts(), name = 'deterministic') => buildStore({ store, embedder, embedderName: name, drafts, batchSize: 4 });

    it('round-trips the seed record: every field equal, the embedding at float32 precision, the dates as written', async () => {
      const seed = parseRecord(seedText, seedPath);
      await store.upsert([seed]);
      const back = (await store.get(seed.url, seed.chunk_number))!;
      const { embedding, ...rest } = seed;
      expect(back).toEqual({ ...rest, embedding: embedding.map((x) => Math.fround(x)) });
      expect(back.updated_dt).toBe('2025-03-15T11:17:07.733962');
      expect(back.metadata.crawled_at).toBe('2025-03-15T11:17:07.730831');
      // OpenAI's vectors travel as float32: the record's numbers are float32 values already, so they come back exactly.
      expect(embedding.every((x) => Math.fround(x) === x)).toBe(true);
      expect(back.embedding).toEqual(embedding);
      // Read back and written out, it is the record file again, byte for byte.
      expect(formatRecord(back)).toBe(seedText);
      expect(parseRecord(formatRecord(back))).toEqual(back);
    });

    it('keeps an embedding at float32 precision: a double comes back as Math.fround of itself', async () => {
      const seed = parseRecord(seedText, seedPath);
      const [doubles] = (await embedder.embed(['numbers with more digits than float32 holds'])).embeddings;
      expect(doubles!.some((x) => Math.fround(x) !== x)).toBe(true);
      await store.upsert([{ ...seed, embedding: doubles! }]);
      expect((await store.get(seed.url, seed.chunk_number))!.embedding).toEqual(doubles!.map((x) => Math.fround(x)));
    });

    it('upserts: writing a chunk again updates it in place', async () => {
      const seed = parseRecord(seedText, seedPath);
      await store.upsert([seed]);
      await store.upsert([{ ...seed, title: 'Renamed', updated_dt: '2026-01-01T00:00:00' }]);
      expect(await store.count()).toBe(1);
      expect(await store.get(seed.url, seed.chunk_number)).toMatchObject({ title: 'Renamed', updated_dt: '2026-01-01T00:00:00' });
    });

    it('refuses an embedding of another size, and writes nothing of the batch', async () => {
      const seed = parseRecord(seedText, seedPath);
      const short = { ...seed, chunk_number: 31, embedding: seed.embedding.slice(0, 768) as unknown as Embedding<1536> };
      await expect(store.upsert([seed, short])).rejects.toThrow(/expected 1536 dimensions, not 768/);
      expect(await store.count()).toBe(0);
    });

    it('returns the chunk a query embedded the same way matches, nearest first, ordered by cosine distance', async () => {
      const report = await build();
      const drafts = topicDrafts();
      expect(report).toMatchObject({ chunks: drafts.length, embedded: drafts.length, unchanged: 0, removed: 0 });
      const vectors = (await embedder.embed(drafts.map(embeddingText))).embeddings;
      for (const [i, draft] of drafts.entries()) {
        const [query] = (await embedder.embed([embeddingText(draft)])).embeddings;
        const near = await store.nearest(query!, 5);
        expect(near[0], draft.content).toMatchObject({ url: draft.url, chunk_number: draft.chunk_number });
        expect(near[0]!.distance).toBeLessThan(1e-6);
        // Distances grow, and are the cosine distances of the vectors (at float32 precision).
        for (let k = 1; k < near.length; k++) expect(near[k]!.distance).toBeGreaterThanOrEqual(near[k - 1]!.distance);
        for (const hit of near) {
          const j = drafts.findIndex((d) => d.url === hit.url && d.chunk_number === hit.chunk_number);
          expect(hit.distance).toBeCloseTo(1 - cosineSimilarity(vectors[i]!, vectors[j]!), 5);
        }
      }
    });

    it('finds a chunk from a near-identical text, and from a question in its words', async () => {
      await build();
      const drafts = topicDrafts();
      const target = drafts.find((d) => d.content.includes('Eyepieces set the magnification'))!;
      const [near] = (await embedder.embed([target.content.replace('double it', 'doubles it')])).embeddings;
      expect((await store.nearest(near!, 3))[0]).toMatchObject({ url: target.url, chunk_number: target.chunk_number });
      const retrieved = await docSearchTools.retrieveRelevantDocumentation(contextWith({ store, embedder }), {
        user_query: 'How do I feed a sourdough starter?',
        limit: 2,
      });
      expect(retrieved).toHaveLength(2);
      expect(retrieved[0]).toEqual({
        url: 'https://schemantic.dev/docs/topics/#bread',
        title: 'Bread',
        content: expect.stringContaining('Sourdough bread rises'),
      });
    });

    it('lists the pages once each, sorted, and gives a page its chunks joined in order', async () => {
      await build();
      const ctx = contextWith({ store, embedder });
      const pages = await docSearchTools.listDocumentationPages(ctx, {});
      expect(pages).toEqual([
        'https://schemantic.dev/docs/topics/#bees',
        'https://schemantic.dev/docs/topics/#bread',
        'https://schemantic.dev/docs/topics/#eyepieces',
        'https://schemantic.dev/docs/topics/#garden',
        'https://schemantic.dev/docs/topics/#telescopes',
      ]);
      const garden = topicDrafts().filter((d) => d.url.endsWith('#garden'));
      expect(garden.length).toBeGreaterThan(1);
      expect(await docSearchTools.getPageContent(ctx, { url: 'https://schemantic.dev/docs/topics/#garden' })).toBe(garden.map((d) => d.content).join('\n\n'));
    });

    it('answers an unknown URL with a ModelRetry that says how to find pages', async () => {
      await build();
      const ctx = contextWith({ store, embedder });
      await expect(docSearchTools.getPageContent(ctx, { url: 'https://schemantic.dev/nowhere/' })).rejects.toThrow(
        /no documentation page has the URL https:\/\/schemantic\.dev\/nowhere\/.*call list_documentation_pages/,
      );
      await expect(docSearchTools.getPageContent(ctx, { url: 'https://schemantic.dev/docs/topics/' })).rejects.toThrow(
        /pages at that address: https:\/\/schemantic\.dev\/docs\/topics\/#bees, https:\/\/schemantic\.dev\/docs\/topics\/#bread, /,
      );
      await expect(docSearchTools.retrieveRelevantDocumentation(ctx, { user_query: '?!', limit: 3 })).rejects.toThrow(/has no words to search for/);
    });

    it('runs the agent: a wrong URL becomes a retry prompt the model recovers from', async () => {
      await build();
      const model = new FunctionModel((messages) => {
        const tried = messages.flatMap((m) => (m.kind === 'request' ? m.parts : [])).filter((p) => p.kind === 'tool-return' || p.kind === 'retry-prompt');
        if (tried.length === 0)
          return [{ kind: 'tool-call', toolName: 'get_page_content', args: { url: 'https://schemantic.dev/docs/topics/#gardening' }, toolCallId: 'a' }];
        if (tried.length === 1)
          return [{ kind: 'tool-call', toolName: 'get_page_content', args: { url: 'https://schemantic.dev/docs/topics/#garden' }, toolCallId: 'b' }];
        return `read ${String((tried[1] as { content: unknown }).content).length} characters`;
      });
      const agent = createDocSearchAgent<DocSearchDeps>({ model, tools: docSearchTools });
      const result = await agent.run('Tell me about gardens', {
        deps: { store, embedder },
        context: { site: { name: 'Topics', root_url: 'https://schemantic.dev/' } },
      });
      expect(retries(result.allMessages())).toMatchObject([{ toolName: 'get_page_content', content: expect.stringContaining('pages at that address') }]);
      expect(result.output).toMatch(/^read \d+ characters$/);
    });

    it('answers on the scripted demo model: retrieve, list, read the best page, cite what the tools returned', async () => {
      await build();
      const agent = createDocSearchAgent<DocSearchDeps>({ model: docSearchDemoModel, tools: docSearchTools });
      const result = await agent.run('How do I feed a sourdough starter?', {
        deps: { store, embedder },
        context: { site: { name: 'Topics', root_url: 'https://schemantic.dev/' } },
      });
      const calls = result
        .allMessages()
        .flatMap((m) => (m.kind === 'response' ? m.parts.filter((p) => p.kind === 'tool-call').map((p) => (p as { toolName: string }).toolName) : []));
      expect(calls).toEqual(['retrieve_relevant_documentation', 'list_documentation_pages', 'get_page_content']);
      expect(result.output).toContain(
        'The closest section of the documentation is "Bread" (https://schemantic.dev/docs/topics/#bread). It says: Sourdough bread rises',
      );
      expect(result.output).toMatch(/^Sources: https:\/\/schemantic\.dev\/docs\/topics\/#bread(, https:\/\/schemantic\.dev\/docs\/topics\/#\w+)+$/m);
    });

    it('rebuilds only what changed, deletes what is gone, and starts over for another embedder', async () => {
      await build();
      const drafts = topicDrafts();
      expect(await build()).toMatchObject({ embedded: 0, unchanged: drafts.length, removed: 0 });
      const edited = drafts
        .filter((d) => !d.url.endsWith('#bees'))
        .map((d) => (d.url.endsWith('#garden') && d.chunk_number === 0 ? { ...d, content: `${d.content} Edited.` } : d));
      expect(await build(edited)).toMatchObject({ embedded: 1, unchanged: edited.length - 1, removed: 1, chunks: edited.length });
      expect(await store.listPages()).not.toContain('https://schemantic.dev/docs/topics/#bees');
      expect(await build(edited, 'another-embedder')).toMatchObject({ embedded: edited.length, unchanged: 0, replacedEmbedder: 'deterministic' });
    });

    it('keeps the seed record beside the documentation set, with its own embedding or re-embedded', async () => {
      const seed = parseRecord(seedText, seedPath);
      const kept = await buildStore({ store, embedder, embedderName: 'deterministic', drafts: topicDrafts(), seed: { chunk: seed, keepEmbedding: true } });
      expect(kept.embedded).toBe(topicDrafts().length);
      expect((await store.get(seed.url, 30))!.embedding[0]).toBe(Math.fround(seed.embedding[0]!));
      await store.clear();
      const again = await buildStore({ store, embedder, embedderName: 'deterministic', drafts: topicDrafts(), seed: { chunk: seed, keepEmbedding: false } });
      expect(again.embedded).toBe(topicDrafts().length + 1);
      const [own] = (await embedder.embed([embeddingText(seed)])).embeddings;
      expect((await store.nearest(own!, 1))[0]).toMatchObject({ url: seed.url, chunk_number: 30 });
      expect(await store.get(seed.url, 30)).toMatchObject({
        title: seed.title,
        content: seed.content,
        updated_dt: seed.updated_dt,
      } satisfies Partial<DocumentChunk>);
    });
  });
}
