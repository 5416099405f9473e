/**
 * The snapshot stores: in memory (`schemantic`), one JSON file per run (`schemantic/graph/file`)
 * and a PostgreSQL table (`schemantic/graph/postgres`, on the suite's server: scripts/test-postgres.sh,
 * a fresh database for this file). Each keeps a waiting run that a fresh graph resumes, and each
 * refuses what it cannot read with a GraphSnapshotError.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphSnapshotError, MemoryGraphStore, readGraphSnapshot, UserError, type GraphPersistence, type GraphSnapshot } from 'schemantic';
import { FileGraphStore } from 'schemantic/graph/file';
import { PostgresGraphStore } from 'schemantic/graph/postgres';
import { freshDatabase, testPool, type TestDatabase } from '../../helpers/postgres.js';
import { createQuestionGraph, freshQuestionState, questionDeps, questionHandlers } from './graphs.js';

let dir = '';
let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'schemantic-graph-stores-'));
  db = await freshDatabase('graph_stores');
  pool = testPool(db.url);
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await pool?.end();
  await db?.drop();
});

/** A snapshot of a run waiting at `answer`. */
function waitingSnapshot(runId: string, overrides: Partial<GraphSnapshot> = {}): GraphSnapshot {
  return {
    format: 'schemantic.graph-run',
    version: 1,
    graph: 'question',
    runId,
    status: 'waiting',
    state: { question: 'What is 2 + 2?', answers: [], attempts: 0 },
    next: { node: 'answer', input: { question: 'What is 2 + 2?' } },
    history: [],
    ...overrides,
  };
}

const stores: [string, () => GraphPersistence & { delete(runId: string): Promise<void> }][] = [
  ['memory', () => new MemoryGraphStore()],
  ['file', () => new FileGraphStore(path.join(dir, 'runs'))],
  ['postgres', () => new PostgresGraphStore({ pool })],
];

describe.each(stores)('the %s store', (_name, makeStore) => {
  it('keeps the latest snapshot of each run, and nothing for an unknown id', async () => {
    const store = makeStore();
    expect(await store.load('unknown')).toBeUndefined();
    await store.save('s1', waitingSnapshot('s1'));
    await store.save('s1', waitingSnapshot('s1', { state: { question: 'again', answers: [], attempts: 1 } }));
    await store.save('s2', waitingSnapshot('s2'));
    expect(await store.load('s1')).toEqual(waitingSnapshot('s1', { state: { question: 'again', answers: [], attempts: 1 } }));
    expect(await store.load('s2')).toEqual(waitingSnapshot('s2'));
    await store.delete('s1');
    expect(await store.load('s1')).toBeUndefined();
  });

  it('keeps a waiting run that another graph object resumes to its end', async () => {
    const store = makeStore();
    const runId = `question-${_name}`;
    const first = await createQuestionGraph(questionHandlers).run({ state: freshQuestionState(), deps: questionDeps, runId, persistence: store });
    expect(first.status).toBe('waiting');
    const stored = readGraphSnapshot(await store.load(runId));
    expect(stored).toMatchObject({ graph: 'question', runId, status: 'waiting', next: { node: 'answer' } });
    expect(stored.history.map((h) => h.node)).toEqual(['ask']);
    const result = await createQuestionGraph(questionHandlers).resume(runId, { deps: questionDeps, persistence: store, reply: '4' });
    expect(result).toMatchObject({ status: 'ended', output: { correct: true, attempts: 1 } });
    expect(await store.load(runId)).toMatchObject({ status: 'ended', output: { correct: true, attempts: 1 } });
  });

  it('keeps any run id apart from the others', async () => {
    const store = makeStore();
    const ids = ['a/b', '../c', 'A', 'a', 'ü 1', '.'];
    for (const id of ids) await store.save(id, waitingSnapshot(id));
    for (const id of ids) expect((await store.load(id))?.runId).toBe(id);
  });
});

describe('the file store', () => {
  it('refuses a run id that names no file (not well-formed Unicode) with a UserError, not a URIError', async () => {
    const store = new FileGraphStore(path.join(dir, 'ill-formed'));
    for (const id of ['\uD800', 'a\uDC00b']) {
      const error = (() => {
        try {
          store.fileOf(id);
        } catch (e) {
          return e;
        }
      })();
      expect(UserError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(`FileGraphStore: run id ${JSON.stringify(id)} is not well-formed Unicode (a lone surrogate), so it names no file`);
      await expect(store.save(id, waitingSnapshot(id))).rejects.toThrow(UserError);
      await expect(store.load(id)).rejects.toThrow(UserError);
    }
  });

  it('writes one JSON file per run, atomically, leaving no temp file', async () => {
    const runs = path.join(dir, 'atomic');
    const store = new FileGraphStore(runs);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.save('same', waitingSnapshot('same', { state: { question: `q${i}`, answers: [], attempts: i } }))),
    );
    expect(readdirSync(runs)).toEqual(['same.json']);
    // Whichever write came last, the file is a whole snapshot.
    expect(readGraphSnapshot(readFileSync(store.fileOf('same'), 'utf8')).runId).toBe('same');
  });

  it('refuses a corrupt file, another format and a version it does not read', async () => {
    const runs = path.join(dir, 'corrupt');
    const store = new FileGraphStore(runs);
    await store.save('x', waitingSnapshot('x'));
    const file = store.fileOf('x');

    writeFileSync(file, '{"format": "schemantic.graph-run", "vers');
    const error = await store.load('x').catch((e: unknown) => e);
    expect(GraphSnapshotError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`^the snapshot file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON: `));

    writeFileSync(file, JSON.stringify({ format: 'schemantic.paused-run', version: 1 }));
    await expect(store.load('x')).rejects.toThrow(
      `the snapshot file ${file} is not a graph snapshot: format is "schemantic.paused-run", expected "schemantic.graph-run"`,
    );

    writeFileSync(file, JSON.stringify({ ...waitingSnapshot('x'), version: 2 }));
    await expect(store.load('x')).rejects.toThrow(`the snapshot file ${file} has version 2, which this runtime does not read (it reads version 1)`);

    writeFileSync(file, JSON.stringify({ ...waitingSnapshot('x'), next: undefined }));
    await expect(store.load('x')).rejects.toThrow(`the snapshot file ${file} is waiting but names no next node (\`next.node\`)`);

    // The graph's resume says the same.
    await expect(createQuestionGraph(questionHandlers).resume('x', { deps: questionDeps, persistence: store, reply: '4' })).rejects.toThrow(GraphSnapshotError);
  });
});

describe('the PostgreSQL store', () => {
  it('keeps one row per run in the table it creates, upserted after each node', async () => {
    const store = new PostgresGraphStore({ connectionString: db.url, table: 'graph_runs' });
    try {
      const result = await createQuestionGraph(questionHandlers).run({ state: freshQuestionState(), deps: questionDeps, runId: 'row', persistence: store });
      expect(result.status).toBe('waiting');
      await createQuestionGraph(questionHandlers).resume('row', { deps: questionDeps, persistence: store, reply: '5' });
      const rows = await pool.query<{ run_id: string; graph: string; status: string; snapshot: GraphSnapshot }>(
        'SELECT run_id, graph, status, snapshot FROM graph_runs',
      );
      expect(rows.rows).toHaveLength(1);
      const row = rows.rows[0]!;
      expect([row.run_id, row.graph, row.status]).toEqual(['row', 'question', 'waiting']);
      expect(row.snapshot.history.map((h) => h.node)).toEqual(['ask', 'answer', 'evaluate', 'reprimand', 'ask']);
      const columns = await pool.query<{ column_name: string; data_type: string }>(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'graph_runs' ORDER BY ordinal_position",
      );
      expect(columns.rows.map((c) => `${c.column_name} ${c.data_type}`)).toEqual([
        'run_id text',
        'graph text',
        'status text',
        'snapshot jsonb',
        'updated_at timestamp with time zone',
      ]);
    } finally {
      await store.close();
    }
  });

  it('outlives a connection the server ends: its own pool listens for the error, the next save reconnects', async () => {
    const store = new PostgresGraphStore({ connectionString: db.url, table: 'restart_runs' });
    try {
      await createQuestionGraph(questionHandlers).run({ state: freshQuestionState(), deps: questionDeps, runId: 'r1', persistence: store });
      // What a server restart or an administrator does to the store's idle connection.
      const ended = await pool.query<{ ended: boolean }>(
        "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%restart_runs%'",
      );
      expect(ended.rows.length).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = await createQuestionGraph(questionHandlers).resume('r1', { deps: questionDeps, persistence: store, reply: '5' });
      expect(again.runId).toBe('r1');
    } finally {
      await store.close();
    }
  });

  it('refuses a corrupt row', async () => {
    const store = new PostgresGraphStore({ pool, table: 'corrupt_runs' });
    await store.save('ok', waitingSnapshot('ok'));
    await pool.query(`INSERT INTO corrupt_runs (run_id, graph, status, snapshot) VALUES ('bad', 'question', 'waiting', '{"format": "something else"}')`);
    await pool.query(`INSERT INTO corrupt_runs (run_id, graph, status, snapshot) VALUES ('future', 'question', 'waiting', $1::jsonb)`, [
      JSON.stringify({ ...waitingSnapshot('future'), version: 7 }),
    ]);
    await pool.query(`INSERT INTO corrupt_runs (run_id, graph, status, snapshot) VALUES ('scalar', 'question', 'waiting', '42')`);
    const error = await store.load('bad').catch((e: unknown) => e);
    expect(GraphSnapshotError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'the snapshot of run bad in table "corrupt_runs" is not a graph snapshot: format is "something else", expected "schemantic.graph-run"',
    );
    await expect(store.load('future')).rejects.toThrow('the snapshot of run future in table "corrupt_runs" has version 7, which this runtime does not read');
    await expect(store.load('scalar')).rejects.toThrow('the snapshot of run scalar in table "corrupt_runs" is not a graph snapshot (not an object)');
    await expect(createQuestionGraph(questionHandlers).resume('bad', { deps: questionDeps, persistence: store, reply: '4' })).rejects.toThrow(
      GraphSnapshotError,
    );
    expect((await store.load('ok'))?.status).toBe('waiting');
  });

  it('takes one of a connection string and a pool, and a plain table name', () => {
    expect(() => new PostgresGraphStore({})).toThrow('PostgresGraphStore takes one of `connectionString` and `pool`');
    expect(() => new PostgresGraphStore({ pool, table: 'runs; DROP TABLE x' })).toThrow(UserError);
    expect(() => new PostgresGraphStore({ pool, table: 'public.graph_runs' })).not.toThrow();
  });
});
