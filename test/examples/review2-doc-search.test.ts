/**
 * Review 2 of examples/doc-search, as a hostile user, model or documentation set would try it:
 * records whose metadata keys are Object.prototype names, whose fields hold the Unicode line
 * separators, or that were checked out with Windows line endings; documentation whose headings
 * or files give two sections the same page URL; a question with no words on the scripted model.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DeterministicEmbedder } from 'schemantic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocSearchAgent } from '../../generated/agents/doc-search.js';
import { openDatabase, type Database } from '../../examples/db/database.js';
import { buildStore } from '../../examples/doc-search/build-store.js';
import { docSearchDemoModel } from '../../examples/doc-search/demo-model.js';
import { documentationChunks } from '../../examples/doc-search/doc-set.js';
import { formatRecord, parseRecord } from '../../examples/doc-search/records.js';
import { splitSections } from '../../examples/doc-search/sections.js';
import { DocStore } from '../../examples/doc-search/store.js';
import { docSearchTools, type DocSearchDeps } from '../../examples/doc-search/tools.js';
import { topicDrafts } from './doc-search.helpers.js';

const seedText = readFileSync(fileURLToPath(new URL('../../examples/doc-search/data/pydantic-ai-run-stream.txt', import.meta.url)), 'utf8');

describe('records: what formatRecord writes, parseRecord reads back', () => {
  it('keeps metadata keys named like Object.prototype members (constructor, toString, __proto__)', () => {
    const text = seedText.replace('"chunk_size": 4391}', '"chunk_size": 4391, "constructor": "c", "toString": 1, "__proto__": {"a": 1}}');
    const chunk = parseRecord(text);
    expect(Object.keys(chunk.metadata)).toEqual(['source', 'crawled_at', 'url_path', 'chunk_size', 'constructor', 'toString', '__proto__']);
    expect(formatRecord(chunk)).toBe(text);
    expect(parseRecord(formatRecord(chunk))).toEqual(chunk);
  });

  it('keeps a title or summary holding U+2028 or U+2029 (JavaScript line terminators, not record line breaks)', () => {
    const seed = parseRecord(seedText);
    const odd = { ...seed, title: 'one\u2028two', summary: 'three\u2029four' };
    expect(parseRecord(formatRecord(odd))).toEqual(odd);
  });

  it('reads a record with Windows line endings (a checkout with core.autocrlf) as the same chunk', () => {
    const crlf = seedText.replace(/\n/g, '\r\n');
    expect(parseRecord(crlf)).toEqual(parseRecord(seedText));
  });
});

describe('documentation sets: one page URL per section', () => {
  let db: Database;
  let store: DocStore;
  beforeAll(async () => {
    db = await openDatabase({ url: undefined, vector: true });
    store = await DocStore.open(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('gives a heading whose anchor a repeated heading already took ("Usage", "Usage", "Usage 1") an anchor of its own, and builds', async () => {
    const text = '# Usage\n\nalpha text\n\n# Usage\n\nbeta text\n\n# Usage 1\n\ngamma text\n';
    expect(splitSections(text, 0).map((s) => s.anchor)).toEqual(['usage', 'usage-1', 'usage-1-1']);
    const drafts = documentationChunks([{ path: 'docs/usage.md', text }], { crawledAt: '2025-01-02T03:04:05', minSectionChars: 0 });
    await store.clear();
    expect(await buildStore({ store, embedder: new DeterministicEmbedder(), embedderName: 'deterministic', drafts })).toMatchObject({ chunks: 3 });
    expect(await store.pageContent('https://schemantic.dev/docs/usage/#usage-1-1')).toBe('# Usage 1\n\ngamma text');
  });

  it('keeps a heading with no letters or digits off the URL of the text before the first heading', async () => {
    const text = 'Intro text before any heading.\n\n# 🚀\n\nrocket text\n';
    const drafts = documentationChunks([{ path: 'docs/rocket.md', text }], { crawledAt: '2025-01-02T03:04:05', minSectionChars: 0 });
    expect(new Set(drafts.map((d) => d.url)).size).toBe(2);
    await store.clear();
    expect(await buildStore({ store, embedder: new DeterministicEmbedder(), embedderName: 'deterministic', drafts })).toMatchObject({ chunks: 2 });
    expect(await store.pageContent('https://schemantic.dev/docs/rocket/')).toBe('Intro text before any heading.');
  });

  it('refuses two files that are the same page (docs/guide.md and docs/guide/README.md), naming both', () => {
    const files = [
      { path: 'docs/guide.md', text: '# Guide\n\nOne.' },
      { path: 'docs/guide/README.md', text: '# Guide\n\nTwo.' },
    ];
    expect(() => documentationChunks(files, { crawledAt: '2025-01-02T03:04:05', minSectionChars: 0 })).toThrow(
      /docs\/guide\.md and docs\/guide\/README\.md are both the page https:\/\/schemantic\.dev\/docs\/guide\//,
    );
  });

  it('the scripted model answers a question with no words to search for, instead of failing the run', async () => {
    await store.clear();
    const embedder = new DeterministicEmbedder();
    await buildStore({ store, embedder, embedderName: 'deterministic', drafts: topicDrafts() });
    const agent = createDocSearchAgent<DocSearchDeps>({ model: docSearchDemoModel, tools: docSearchTools });
    const result = await agent.run('???', { deps: { store, embedder }, context: { site: { name: 'Topics', root_url: 'https://schemantic.dev/' } } });
    expect(result.output).toBe('I could not search the documentation: the query "???" has no words to search for: ask in words.');
  });
});
