/**
 * Resume in another process: a child process (fixtures/run-question.ts) runs the question graph
 * to the node that waits for the answer, with the file store and with the PostgreSQL store, and
 * exits; this process resumes the run from what the store holds, and nothing else.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphPersistence } from 'schemantic';
import { FileGraphStore } from 'schemantic/graph/file';
import { PostgresGraphStore } from 'schemantic/graph/postgres';
import { freshDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { createQuestionGraph, questionDeps, questionHandlers } from './graphs.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/run-question.ts', import.meta.url));

/** Runs the fixture to its end: the RESULT it printed, and its exit code. */
function runChild(config: object): Promise<{ code: number | null; result: Record<string, unknown> | undefined; stderr: string }> {
  return new Promise((resolve, reject) => {
    // From the repository root, so that tsx finds tsconfig.json's paths (`schemantic` -> sources).
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, JSON.stringify(config)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      resolve({ code, result: line ? (JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>) : undefined, stderr });
    });
  });
}

let dir = '';
let db: TestDatabase;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'schemantic-graph-processes-'));
  db = await freshDatabase('graph_processes');
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db?.drop();
});

async function startElsewhereAndResume(config: object, runId: string, store: GraphPersistence): Promise<void> {
  const child = await runChild({ ...config, runId });
  expect(child.code, child.stderr).toBe(0);
  expect(child.result).toMatchObject({ status: 'waiting', waitingAt: { node: 'answer', input: { question: 'What is 2 + 2?' } } });
  expect(child.result?.['pid']).not.toBe(process.pid);

  const graph = createQuestionGraph(questionHandlers);
  const wrong = await graph.resume(runId, { deps: questionDeps, persistence: store, reply: 'five' });
  expect(wrong).toMatchObject({ status: 'waiting', state: { answers: ['five'], attempts: 1 } });
  const right = await graph.resume(runId, { deps: questionDeps, persistence: store, reply: '4' });
  expect(right).toMatchObject({ status: 'ended', output: { correct: true, attempts: 2 }, runId });
  // The child's node is in the history, with its timestamps.
  expect(right.history.map((h) => h.node)).toEqual(['ask', 'answer', 'evaluate', 'reprimand', 'ask', 'answer', 'evaluate']);
  expect(right.history[0]!.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
}

describe('a run resumed in another process', () => {
  it('with the file store', async () => {
    const runs = path.join(dir, 'runs');
    await startElsewhereAndResume({ store: 'file', dir: runs }, 'file-run', new FileGraphStore(runs));
  });

  it('with the PostgreSQL store', async () => {
    const store = new PostgresGraphStore({ connectionString: db.url });
    try {
      await startElsewhereAndResume({ store: 'postgres', url: db.url }, 'pg-run', store);
    } finally {
      await store.close();
    }
  });
});
