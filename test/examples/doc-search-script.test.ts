/**
 * `npm run example:doc-search` as a user runs it: child processes (`node --import tsx
 * examples/doc-search/main.ts`) without provider keys, so on the deterministic embedder and the
 * scripted model: on PGlite in memory, on PGlite in a folder (a second run embeds nothing), with
 * questions from stdin, on the suite's PostgreSQL server through DATABASE_URL, and with bad options.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runExample as runScript } from '../helpers/example-process.js';
import { freshDatabase } from '../helpers/postgres.js';

/** Runs the example with `args`, `input` on stdin, no provider key and no DATABASE_URL unless `env` sets one. */
const runExample = (args: readonly string[], input = '', env: Record<string, string> = {}) => runScript('examples/doc-search/main.ts', args, { input, env });

/** The lines every successful run prints, whatever the store. */
function expectBuiltAndAnswered(stdout: string, questions: number): void {
  expect(stdout).toContain('embeddings: the offline deterministic embedder');
  expect(stdout).toMatch(
    /Documentation set: \d+ markdown files \(README\.md and docs\/\), \d+ sections \(one page each\), \d+ chunks of at most 1800 characters; plus 1 crawled PydanticAI record/,
  );
  expect(stdout).toContain('its content is embedded again with the deterministic embedder');
  expect(stdout).toMatch(/^Store ready: \d+ chunks, built in [\d.]+ s \(embedding [\d.]+ s, writing [\d.]+ s\)/m);
  expect(stdout.match(/^Tools called: retrieve_relevant_documentation, list_documentation_pages, get_page_content$/gm)).toHaveLength(questions);
  expect(stdout.match(/^ {2}Sources: https:\/\/schemantic\.dev\//gm)).toHaveLength(questions);
  // Every URL the answers cite is a page of the store.
  expect(stdout).toMatch(/^ {2}in the store {2}https:\/\//m);
  expect(stdout).not.toContain('NOT a page');
}

// The runs are independent (each its own store): run at once, they take the time of the longest.
describe.concurrent('npm run example:doc-search', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('builds the store in memory with progress, then answers the two sample questions citing pages', async () => {
    const { code, stdout, stderr } = await runExample([]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('store: PGlite (embedded PostgreSQL, in memory), PostgreSQL ');
    const progress = [...stdout.matchAll(/^ {2}embedded (\d+)\/(\d+) chunks$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)![0]).toBe(progress.at(-1)![1]);
    expect(stdout).toMatch(/^Store ready: (\d+) chunks, .*; \1 embedded, 0 unchanged since the last build, 0 removed\.$/m);
    expect(stdout).toContain('Question: How do durable runs use PostgreSQL?');
    expect(stdout).toContain('Question: How do I build a vector store with embeddings?');
    expectBuiltAndAnswered(stdout, 2);
  });

  it('keeps the store in --data-dir: a second run embeds nothing and reads questions from stdin', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'doc-search-'));
    dirs.push(dir);
    const first = await runExample(['--data-dir', path.join(dir, 'store'), '--question', 'What is a graph?']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expectBuiltAndAnswered(first.stdout, 1);
    const second = await runExample(['--data-dir', path.join(dir, 'store'), '--interactive'], 'How do I embed texts?\n\nWhat is a graph?\n');
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^Store ready: (\d+) chunks, .*; 0 embedded, \1 unchanged since the last build, 0 removed\.$/m);
    expect(second.stdout).not.toMatch(/embedded \d+\/\d+ chunks/);
    expect(second.stdout).toContain('> How do I embed texts?\n');
    expect(second.stdout).toContain('Question: What is a graph?');
    expectBuiltAndAnswered(second.stdout, 2);
  });

  it('runs on a PostgreSQL server with pgvector when DATABASE_URL is set', async () => {
    const server = await freshDatabase('docsearch');
    try {
      const { code, stdout, stderr } = await runExample(['--question', 'How do I embed texts?'], '', { DATABASE_URL: server.url });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(/store: PostgreSQL at postgres:\/\/[^ ]+\/schemantic_docsearch_\w+, PostgreSQL \d+\./);
      expect(stdout).toContain('in the server');
      expectBuiltAndAnswered(stdout, 1);
    } finally {
      await server.drop();
    }
  });

  it('prints its help, and refuses bad options and an unreachable server with a clear message', async () => {
    const help = await runExample(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run example:doc-search -- [options]');
    expect(help.stdout).toContain('--data-dir DIR');

    const unknown = await runExample(['--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^doc-search: Unknown option '--frobnicate'/);
    expect(unknown.stderr).toContain('Usage:');

    const both = await runExample(['--data-dir', 'x'], '', { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--data-dir keeps the embedded PGlite store; DATABASE_URL is set');

    const down = await runExample([], '', { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none' });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^doc-search: cannot use PostgreSQL at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: /);
    expect(down.stderr).not.toContain('secret');
  });
});
