/**
 * Durable runs survive a crash: a worker process running a multi-step agent (three model requests;
 * one tool call, then two at once) is killed with SIGKILL after its k-th recorded step, for every
 * k, and in the middle of a tool call (after the tool's side effect, before its step is recorded);
 * a new worker recovers the run. Each time: the worker died where it was meant to (the steps DBOS
 * had recorded), no completed model request is sent again, no tool call recorded before the crash
 * runs again (its handler started once), each tool's side effect (a row keyed by
 * `${ctx.runId}/${ctx.toolCallId}`) exists exactly once, and the output equals an uninterrupted run's. The same with a run waiting for approval when its worker dies;
 * and a recovery under changed code: a breaking contract change stops the run, a compatible one
 * lets it finish.
 *
 * Real PostgreSQL (scripts/test-postgres.sh), one database for the file. The workers are
 * fixtures/crash-worker.mjs on the built runtime; each pair (the killed worker and the one that
 * recovers) is a DBOS application of its own (its own executor id too), so pairs run side by side
 * without taking each other's runs: DBOS gives a recovered run to any live process of its
 * application, and a worker here kills itself at points of its own run.
 */
import { DBOSClient } from '@dbos-inc/dbos-sdk';
import pg from 'pg';
import { ContractChangedError } from 'schemantic';
import { durableRunHandle, pendingRequests, sendResults } from 'schemantic/dbos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testPool, quietLogger, type TestDatabase } from '../../helpers/postgres.js';
import { killWorkers, runWorker, startWorker } from './workers.js';

let db: TestDatabase;
let pool: pg.Pool;
let client: DBOSClient;
/** The uninterrupted run: its output and the steps it recorded, in order. */
let baseline: { output: unknown; recorded: string[] };

const SHOP_OUTPUT = { summary: 'R-book charged 12, sent "reserved R-book"', total: 12 };

function config(workflowId: string, extra: object = {}): object {
  return {
    databaseUrl: db.url,
    application: `crash-${workflowId}`,
    executorId: `executor-${workflowId}`,
    workflowId,
    scenario: 'shop',
    mode: 'start',
    ...extra,
  };
}

/** What a run left in the test's tables. */
async function traces(workflowId: string): Promise<{ modelCalls: number[]; effects: string[]; attempts: Record<string, number> }> {
  const calls = await pool.query<{ request: number }>('SELECT request FROM model_calls WHERE workflow_id = $1 ORDER BY request', [workflowId]);
  const effects = await pool.query<{ tool: string }>('SELECT tool FROM side_effects WHERE workflow_id = $1 ORDER BY tool', [workflowId]);
  const attempts = await pool.query<{ tool: string; n: string }>('SELECT tool, count(*) AS n FROM tool_attempts WHERE workflow_id = $1 GROUP BY tool', [
    workflowId,
  ]);
  return {
    modelCalls: calls.rows.map((r) => r.request),
    effects: effects.rows.map((r) => r.tool),
    attempts: Object.fromEntries(attempts.rows.map((r) => [r.tool, Number(r.n)])),
  };
}

/** The steps DBOS has recorded for a run, in order (call ids left out). */
async function recordedSteps(workflowId: string): Promise<string[]> {
  return ((await client.listWorkflowSteps(workflowId)) ?? []).map((s) => s.name.replace(/:call_.*$/, ''));
}

/**
 * Kills a run's worker as `kill` says, recovers it in a new worker, and checks what happened; gives
 * the steps recorded when the worker died, and how many times each tool's handler started.
 */
async function crashAndRecover(workflowId: string, kill: object): Promise<{ before: string[]; attempts: Record<string, number> }> {
  const killed = await runWorker('crash-worker.mjs', config(workflowId, kill));
  expect(killed.result, killed.stderr).toBeUndefined();
  expect(killed.signal).toBe('SIGKILL');
  const before = await recordedSteps(workflowId);
  const recovered = await runWorker('crash-worker.mjs', config(workflowId, { mode: 'recover' }));
  expect(recovered.result, recovered.stderr).toMatchObject({ ok: true, output: baseline.output });
  const t = await traces(workflowId);
  // Each model request sent once (a completed one never again), each side effect once.
  expect(t.modelCalls).toEqual([1, 2, 3]);
  expect(t.effects).toEqual(['charge', 'notify', 'reserve']);
  // A tool call recorded before the crash did not run again (side_effects cannot show that: its
  // key makes a second write a no-op); one that was not recorded ran again, once.
  for (const tool of ['reserve', 'charge', 'notify']) {
    if (before.includes(`tool:${tool}`)) expect(t.attempts[tool], tool).toBe(1);
    else expect(t.attempts[tool], tool).toBeLessThanOrEqual(2);
  }
  return { before, attempts: t.attempts };
}

beforeAll(async () => {
  db = await freshDatabase('dbos_crash');
  pool = testPool(db.url);
  await pool.query(`
    CREATE TABLE model_calls (workflow_id text NOT NULL, request int NOT NULL);
    CREATE TABLE tool_attempts (workflow_id text NOT NULL, tool text NOT NULL);
    CREATE TABLE side_effects (key text PRIMARY KEY, workflow_id text NOT NULL, tool text NOT NULL);
  `);
  // The uninterrupted run (its worker also creates DBOS's tables, before the pairs run at once).
  const run = await runWorker('crash-worker.mjs', config('baseline'));
  expect(run.result, run.stderr).toMatchObject({ ok: true, output: SHOP_OUTPUT });
  baseline = run.result as typeof baseline;
  client = await DBOSClient.create({ systemDatabaseUrl: db.url, logger: quietLogger });
});

afterAll(async () => {
  await killWorkers();
  await client?.destroy();
  await pool?.end();
  await db?.drop();
});

describe('a durable run killed with SIGKILL', () => {
  it('records the contract, three model requests and four tool calls as its steps', async () => {
    // In the order they were recorded: the two tools called at once finish in either order.
    expect(baseline.recorded.slice(0, 4)).toEqual(['schemantic:contract', 'model:1', 'tool:reserve', 'model:2']);
    expect(baseline.recorded.slice(4, 6).sort()).toEqual(['tool:charge', 'tool:notify']);
    expect(baseline.recorded.slice(6)).toEqual(['model:3']);
    expect(await traces('baseline')).toEqual({
      modelCalls: [1, 2, 3],
      effects: ['charge', 'notify', 'reserve'],
      attempts: { charge: 1, notify: 1, reserve: 1 },
    });
  });

  // k = 1..7: after the contract, after each model request, after each tool call.
  describe.concurrent('after its k-th recorded step, then recovered by a new worker', () => {
    it.each([1, 2, 3, 4, 5, 6, 7])('k = %i', async (k) => {
      const { before } = await crashAndRecover(`after-step-${k}`, { killAfterStep: k });
      // It died right after its k-th step: the uninterrupted run's first k (the two calls made at once in either order).
      const inEitherOrder = (names: string[]) => names.map((n) => (n === 'tool:charge' || n === 'tool:notify' ? 'tool:charge|notify' : n));
      expect(inEitherOrder(before)).toEqual(inEitherOrder(baseline.recorded).slice(0, k));
    });
  });

  describe.concurrent('in the middle of a tool call (its side effect done, its step not recorded)', () => {
    it('the first tool: it runs again, its side effect stays single', async () => {
      const t = await crashAndRecover('in-reserve', { killInTool: 'reserve' });
      expect(t.before).toEqual(['schemantic:contract', 'model:1']);
      expect(t.attempts).toEqual({ reserve: 2, charge: 1, notify: 1 });
    });

    it('one of two tools called at once', async () => {
      const t = await crashAndRecover('in-charge', { killInTool: 'charge' });
      expect(t.before).not.toContain('tool:charge');
      expect(t.attempts['charge']).toBe(2);
    });
  });
});

describe('a durable run waiting for approval', () => {
  it('waits on across a restart, and finishes when the decision arrives', async () => {
    const id = 'approval-restart';
    const first = startWorker('crash-worker.mjs', config(id, { scenario: 'approval' }));
    await first.line('WAITING');
    first.process.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    // The pending call is readable from any process, through a DBOSClient.
    const pending = await pendingRequests(id, client);
    expect(pending?.round).toBe(1);
    expect(pending?.requests.approvals).toMatchObject([{ toolName: 'refund', args: { amount: 30 } }]);
    expect(pending?.requests.calls).toEqual([]);

    const second = startWorker('crash-worker.mjs', config(id, { scenario: 'approval', mode: 'recover' }));
    await sendResults(id, { approvals: { [pending!.requests.approvals[0]!.toolCallId]: true } }, client);
    const { stdout, stderr } = await second.exited;
    expect(stdout, stderr).toContain('RESULT {"ok":true,"output":{"summary":"refund 30","total":30}');
    // The handler ran once, after the approval, in the new worker; no model request was sent twice.
    expect(await traces(id)).toEqual({ modelCalls: [1, 2], effects: ['refund'], attempts: { refund: 1 } });
    expect(await pendingRequests(id, client)).toBeUndefined();
    expect((await durableRunHandle(client, id).result()).output).toEqual({ summary: 'refund 30', total: 30 });
  });
});

describe('a run recovered under changed code', () => {
  it('stops with ContractChangedError on a breaking change to its contract', async () => {
    const id = 'breaking-change';
    const killed = await runWorker('crash-worker.mjs', config(id, { killAfterStep: 3 }));
    expect(killed.signal).toBe('SIGKILL');
    const recovered = await runWorker('crash-worker.mjs', config(id, { mode: 'recover', variant: 'breaking' }));
    expect(recovered.result).toMatchObject({
      ok: false,
      name: 'ContractChangedError',
      changes: [{ tool: 'charge', pointer: '/parameters/properties/currency', rule: 'property-added-required' }],
    });
    // Read from another process, the recorded error is a ContractChangedError again.
    const error = await durableRunHandle(client, id)
      .result()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(ContractChangedError.isInstance(error)).toBe(true);
    expect((error as ContractChangedError).changes).toMatchObject([{ tool: 'charge', rule: 'property-added-required' }]);
    // Nothing ran after the check: the first worker's model request and tool call only.
    const t = await traces(id);
    expect(t.modelCalls).toEqual([1]);
    expect(t.effects).toEqual(['reserve']);
  });

  it('finishes under a compatible change (an optional parameter added)', async () => {
    const id = 'compatible-change';
    const killed = await runWorker('crash-worker.mjs', config(id, { killAfterStep: 3 }));
    expect(killed.signal).toBe('SIGKILL');
    const recovered = await runWorker('crash-worker.mjs', config(id, { mode: 'recover', variant: 'compatible' }));
    expect(recovered.result, recovered.stderr).toMatchObject({ ok: true, output: SHOP_OUTPUT });
    expect((await traces(id)).modelCalls).toEqual([1, 2, 3]);
  });
});
