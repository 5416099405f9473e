/**
 * Durable runs spread over worker processes: N workers (2, then 4) sharing one PostgreSQL
 * database drain a DBOS queue of 12 runs, each run a tool call then structured output through the
 * real OpenAI SDK against recorded traffic (the cassette of test/providers/openai.test.ts, served
 * per conversation by conversation-replay.ts). No run is lost (every run ends with the recorded
 * output) and none runs twice (each model request reached the server once, each step was
 * recorded by one process, each tool side effect exists once). The queue is filled through a
 * DBOSClient, as a web server that does not run the agent would. The workers' API key is nowhere
 * in what DBOS stored.
 */
import { DBOS, DBOSClient } from '@dbos-inc/dbos-sdk';
import pg from 'pg';
import { enqueueRun } from 'schemantic/dbos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testPool, quietLogger, type TestDatabase } from '../../helpers/postgres.js';
import { loadCassette } from '../../providers/replay-server.js';
import { startConversationReplay } from './conversation-replay.js';
import { startWorker, type Worker } from './workers.js';

const RUNS = 12;
const APPLICATION = 'schemantic-scale-out';
/** The workers' OpenAI key (fixtures/queue-worker.mjs). */
const API_KEY = 'sk-test-not-a-real-key';

let db: TestDatabase;
let pool: pg.Pool;
let client: DBOSClient;

/** The tables of DBOS's schema with a row whose text holds `needle`. */
async function rowsHolding(needle: string): Promise<string[]> {
  const tables = await pool.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'dbos'`);
  expect(tables.rows.map((t) => t.name)).toEqual(expect.arrayContaining(['workflow_input', 'workflow_output', 'operation_outputs', 'workflow_events']));
  const found: string[] = [];
  for (const { name } of tables.rows) {
    const hits = await pool.query(`SELECT 1 FROM dbos."${name}" AS r WHERE r::text LIKE $1 LIMIT 1`, [`%${needle}%`]);
    if (hits.rowCount) found.push(name);
  }
  return found;
}

beforeAll(async () => {
  db = await freshDatabase('dbos_scale');
  pool = testPool(db.url);
  await pool.query(`
    CREATE TABLE steps (workflow_id text NOT NULL, name text NOT NULL, pid int NOT NULL);
    CREATE TABLE side_effects (key text PRIMARY KEY, workflow_id text NOT NULL, tool text NOT NULL);
  `);
  // DBOS's tables, once, before several workers launch at the same time.
  await DBOS.migrate(db.url);
  client = await DBOSClient.create({ systemDatabaseUrl: db.url, applicationName: APPLICATION, logger: quietLogger });
});

afterAll(async () => {
  await client?.destroy();
  await pool?.end();
  await db?.drop();
});

describe('worker processes draining a queue of durable runs', () => {
  it.each([2, 4])('%i workers: no run lost, none run twice', async (n) => {
    const replay = await startConversationReplay(loadCassette('openai/test_openai_tool_output.yaml'));
    const queue = `runs-${n}`;
    await client.registerQueue(queue, { workerConcurrency: 3, minPollingIntervalMs: 100 });
    const workers: Worker[] = [];
    try {
      for (let i = 0; i < n; i++)
        workers.push(startWorker('queue-worker.mjs', { databaseUrl: db.url, executorId: `worker-${n}-${i}`, openaiUrl: replay.url, queue }));
      await Promise.all(workers.map((w) => w.line('READY')));

      const ids = Array.from({ length: RUNS }, (_, i) => `scale-${n}-${i}`);
      const handles = await Promise.all(
        ids.map((id, i) => enqueueRun(client, { agent: 'geo', queue }, `Run ${n}.${i}: what is the largest city in the user country?`, { workflowId: id })),
      );
      const outputs = await Promise.all(handles.map(async (h) => (await h.result()).output));
      expect(outputs).toEqual(ids.map(() => ({ city: 'Mexico City', country: 'Mexico' })));

      // Each run's two model requests reached the server once.
      expect(replay.unmatched).toEqual([]);
      expect([...replay.counts.values()]).toEqual(ids.map(() => [1, 1]));
      // Each run's steps were recorded once, all by one process; its tool's effect happened once.
      const steps = await pool.query<{ workflow_id: string; name: string; pid: number }>(
        'SELECT workflow_id, name, pid FROM steps WHERE workflow_id = ANY($1)',
        [ids],
      );
      for (const id of ids) {
        const own = steps.rows.filter((r) => r.workflow_id === id);
        expect(own.map((r) => r.name.replace(/:call_\w+$/, '')).sort()).toEqual(['model:1', 'model:2', 'schemantic:contract', 'tool:get_user_country']);
        expect(new Set(own.map((r) => r.pid)).size).toBe(1);
      }
      const effects = await pool.query<{ n: string }>('SELECT count(*) AS n FROM side_effects WHERE workflow_id = ANY($1)', [ids]);
      expect(Number(effects.rows[0]!.n)).toBe(RUNS);
      // The queue was shared: more than one worker took runs (each takes at most 3 at a time).
      expect(new Set(steps.rows.map((r) => r.pid)).size).toBeGreaterThan(1);
      // The API key stayed in the workers: no input, output, step, event or message DBOS stored
      // holds it (where the prompts and outputs are, the scan finds them).
      expect(await rowsHolding(API_KEY)).toEqual([]);
      expect(await rowsHolding(`Run ${n}.0:`)).toEqual(expect.arrayContaining(['workflow_input', 'workflow_output']));
      expect(await rowsHolding('Mexico City')).toEqual(expect.arrayContaining(['workflow_output', 'operation_outputs']));
    } finally {
      for (const w of workers) w.process.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
      await replay.close();
    }
  });
});
