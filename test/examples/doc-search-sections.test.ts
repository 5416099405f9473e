/**
 * How examples/doc-search splits its documentation set: markdown into sections at headings (code
 * blocks and comments respected, tiny sections joined), sections into bounded chunks, and chunks
 * into DocumentChunk drafts with URLs, titles, summaries and metadata.
 */
import { describe, expect, it } from 'vitest';
import { validateDocumentChunk } from '../../generated/validators/types/document-chunk.js';
import { documentationChunks, pageUrlPath, readDocumentationSet, summarize } from '../../examples/doc-search/doc-set.js';
import { chunkText, slug, splitSections } from '../../examples/doc-search/sections.js';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const long = (word: string, n = 60) => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ') + '.';

const MARKDOWN = [
  '<!-- Generated; do not edit. -->',
  '',
  '# Guide',
  '',
  `Intro text. ${long('intro')}`,
  '',
  '## Install',
  '',
  `Run the installer. ${long('install')}`,
  '',
  '```sh',
  '# not a heading: a comment in a code block',
  'npm install',
  '```',
  '',
  '## Notes',
  '',
  'Short.',
  '',
  '## Usage',
  '',
  `Call it. ${long('usage')}`,
  '',
  '### Usage',
  '',
  `Again. ${long('again')}`,
  '',
  '## Empty',
  '## [Linked](https://x.test) **bold** `DATABASE_URL`',
  '',
  `Text. ${long('linked')}`,
].join('\n');

describe('sections', () => {
  const sections = splitSections(MARKDOWN);

  it('starts one at each heading (# to ###), not at # lines in code blocks, and drops comments', () => {
    expect(sections.map((s) => s.anchor)).toEqual(['guide', 'install', 'usage', 'usage-1', 'linked-bold-database_url']);
    expect(sections[0]!.text.startsWith('# Guide')).toBe(true);
    expect(sections.some((s) => s.text.includes('Generated; do not edit'))).toBe(false);
    expect(sections[1]!.text).toContain('# not a heading: a comment in a code block');
  });

  it('joins a section too short to stand alone to the one before it, and drops headings with nothing under them', () => {
    expect(sections[1]!.text).toMatch(/```\n\n## Notes\n\nShort\.$/);
    expect(sections.find((s) => s.anchor === 'empty')).toBeUndefined();
  });

  it('keeps the trail of headings above each section, their markdown removed', () => {
    expect(sections.map((s) => s.headings)).toEqual([
      ['Guide'],
      ['Guide', 'Install'],
      ['Guide', 'Usage'],
      ['Guide', 'Usage', 'Usage'],
      ['Guide', 'Linked bold `DATABASE_URL`'],
    ]);
  });

  it('makes anchors as GitHub does', () => {
    expect(slug('Durable runs: `schemantic/dbos`')).toBe('durable-runs-schemanticdbos');
    expect(slug('PostgreSQL: one command locally, `DATABASE_URL` elsewhere')).toBe('postgresql-one-command-locally-database_url-elsewhere');
  });
});

describe('chunks', () => {
  const text = [
    `First paragraph. ${long('a', 40)}`,
    `Second paragraph. ${long('b', 40)}`,
    ['```ts', ...Array.from({ length: 60 }, (_, i) => `const line${i} = ${i}; // some code that makes the block long`), '```'].join('\n'),
    `A line far longer than a chunk: ${long('c', 400)}`,
  ].join('\n\n');
  const chunks = chunkText(text, 600);

  it('are at most the size asked, and keep every word in order', () => {
    expect(chunks.length).toBeGreaterThan(8);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(600);
    const words = (s: string) => s.split(/\s+/).filter((w) => w !== '' && !w.startsWith('```'));
    expect(words(chunks.join('\n\n'))).toEqual(words(text));
  });

  it('never leave a code block open: each piece of a long one opens and closes the fence', () => {
    for (const chunk of chunks) expect((chunk.match(/^```/gm) ?? []).length % 2, chunk).toBe(0);
    expect(chunks.filter((c) => c.startsWith('```ts\n')).length).toBeGreaterThan(1);
  });

  it('keep short paragraphs together', () => {
    expect(chunkText('one\n\ntwo\n\n\nthree', 100)).toEqual(['one\n\ntwo\n\nthree']);
    expect(() => chunkText('x', 10)).toThrow(/at least 80/);
  });
});

describe('the documentation set as chunk drafts', () => {
  it('gives each section a page URL, numbers its chunks from 0, and derives titles, summaries and metadata', () => {
    const drafts = documentationChunks([{ path: 'docs/guide.md', text: MARKDOWN }], { crawledAt: '2025-01-02T03:04:05.000006', maxChars: 300 });
    const install = drafts.filter((d) => d.url === 'https://schemantic.dev/docs/guide/#install');
    expect(install.map((d) => d.chunk_number)).toEqual(install.map((_, i) => i));
    expect(install.length).toBeGreaterThan(1);
    expect(install[0]).toMatchObject({
      session_id: 'schemantic_docs',
      title: 'Guide > Install',
      summary: 'Run the installer.',
      metadata: { source: 'schemantic_docs', crawled_at: '2025-01-02T03:04:05.000006', url_path: '/docs/guide/' },
      updated_dt: '2025-01-02T03:04:05.000006',
    });
    for (const d of drafts) expect(d.metadata.chunk_size).toBe([...d.content].length);
  });

  it('maps files to site paths, a README to its folder', () => {
    expect(pageUrlPath('README.md')).toBe('/');
    expect(pageUrlPath('docs/agents/README.md')).toBe('/docs/agents/');
    expect(pageUrlPath('docs/durable-runs.md')).toBe('/docs/durable-runs/');
  });

  it('summarizes a chunk by its first sentence of prose, or says it is code', () => {
    expect(summarize('## Title\n\n- **Bold** [link](https://x.test) item. More.', 'T')).toBe('Bold link item.');
    expect(summarize('```ts\nconst x = 1;\n```', 'Guide > Install')).toBe('Code from "Guide > Install".');
    expect(summarize(`${'word '.repeat(80)}end.`, 'T')).toHaveLength(200);
  });

  it("splits the repository's own README.md and docs/ into valid chunks", async () => {
    const files = await readDocumentationSet(root);
    expect(files[0]!.path).toBe('README.md');
    expect(files.some((f) => f.path.startsWith('docs/'))).toBe(true);
    const drafts = documentationChunks(files, { crawledAt: '2025-01-02T03:04:05' });
    expect(drafts.length).toBeGreaterThan(100);
    const zero = new Array<number>(1536).fill(0);
    for (const draft of drafts) {
      expect(draft.content.length).toBeLessThanOrEqual(1800);
      expect(draft.content, 'a chunk that is only a heading').not.toMatch(/^#{1,6} [^\n]*$/);
      expect(validateDocumentChunk({ ...draft, embedding: zero }), `${draft.url} #${draft.chunk_number}`).toBe(true);
    }
    // Chunk positions are unique: the store's (url, chunk_number) key.
    expect(new Set(drafts.map((d) => `${d.url} ${d.chunk_number}`)).size).toBe(drafts.length);
  });
});
