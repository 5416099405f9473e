/**
 * A build of the documentation store that dies half-way: the store still says whose vectors it
 * holds, so the next build by another embedder starts over instead of mixing two embedders'
 * vectors (which would not compare).
 */
import { DeterministicEmbedder, type Embedder } from 'schemantic';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../examples/db/database.js';
import { buildStore } from '../../examples/doc-search/build-store.js';
import { DocStore } from '../../examples/doc-search/store.js';
import { topicDrafts } from './doc-search.helpers.js';

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ url: undefined, vector: true });
});
afterAll(() => db?.close());

/** An embedder that fails on its second batch, as a provider may (a quota, a dropped connection). */
function failingOnSecondBatch(): Embedder<1536> {
  const inner = new DeterministicEmbedder();
  let calls = 0;
  return {
    dimensions: 1536,
    embed: async (texts, options) => {
      if (++calls === 2) throw new Error('quota exceeded');
      return inner.embed(texts, options);
    },
  } as Embedder<1536>;
}

it('records the embedder before writing any vector, so a failed build is redone by the next embedder', async () => {
  const store = await DocStore.open(db);
  const drafts = topicDrafts();
  await expect(buildStore({ store, embedder: failingOnSecondBatch(), embedderName: 'flaky-a', drafts, batchSize: 1, onProgress: () => {} })).rejects.toThrow(
    'quota exceeded',
  );
  expect(await store.setting('embedder')).toBe('flaky-a');
  const report = await buildStore({ store, embedder: new DeterministicEmbedder(), embedderName: 'deterministic', drafts });
  expect(report.replacedEmbedder).toBe('flaky-a');
  expect(report.embedded).toBe(drafts.length);
  expect(await store.setting('embedder')).toBe('deterministic');
});
