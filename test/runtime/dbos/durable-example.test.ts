/**
 * `npm run example:durable` (examples/durable-refunds.ts), run as a user runs it, on a fresh
 * database of the suite's PostgreSQL: the run waits for approval, the decision resumes it, and the
 * refund's side effect is written once (approved) or not at all (denied).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../helpers/postgres.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
let db: TestDatabase;

beforeAll(async () => {
  db = await freshDatabase('durable_example');
});
afterAll(async () => {
  await db?.drop();
});

function example(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/durable-refunds.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, NODE_NO_WARNINGS: '1' },
      // Within the test's own timeout: a run that never ends leaves no process behind.
      timeout: 50_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the durable refunds example', () => {
  it('waits for approval, resumes on the decision, and refunds once', async () => {
    const { code, stdout, stderr } = await example();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/waiting for approval: refund \{"order_id":"1234","amount":25\}/);
    expect(stdout).toContain('output: Done: refund R-1234-2500 of $25.00 to order 1234.');
    expect(stdout).toContain('refund rows for this run: 1');
  }, 60_000);

  it('tells the model why when the refund is denied, and refunds nothing', async () => {
    const { code, stdout } = await example('--deny', 'Please refund $40 for order 77.');
    expect(code).toBe(0);
    expect(stdout).toContain('output: I did not make the refund: Refunds over $20 need a manager.');
    expect(stdout).toContain('refund rows for this run: 0');
  }, 60_000);
});
