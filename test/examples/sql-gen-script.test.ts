/**
 * `npm run example:sql-gen` as a user runs it: a child process from the repository root, without
 * provider keys (so the scripted model answers), on PGlite and on the suite's PostgreSQL server.
 */
import { describe, expect, it } from 'vitest';
import { runExample as runScript } from '../helpers/example-process.js';
import { freshDatabase } from '../helpers/postgres.js';

/** Runs examples/sql-gen/main.ts with `args`, with no key and no DATABASE_URL unless `env` sets one. */
const runExample = (args: readonly string[], env: Record<string, string> = {}) => runScript('examples/sql-gen/main.ts', args, { env });

/** The lines every default run prints after the database's, in this order. */
const DEMO_LINES = [
  'seeded 8 log records',
  'Request: "show me logs from yesterday, with level \\"error\\""',
  "attempt 1: the model wrote SELECT start_timestamp, service_name, message FROM records WHERE severity = 'error'",
  'EXPLAIN failed, PostgreSQL said: Invalid query: column "severity" does not exist.',
  '-> sent back to the model as a retry prompt',
  "attempt 2: the model wrote SELECT start_timestamp, service_name, message FROM records WHERE level = 'error'",
  'EXPLAIN accepted it',
  'Success after 2 model requests. Final SQL:',
  'message: export failed: disk full',
  'Request: "which services raised exceptions in the last two days, and how many?"',
  'service_name: billing | exceptions: 2',
  'service_name: worker | exceptions: 1',
  'Request: "make it faster"',
  'InvalidRequest: the model asks for more: Say which records you want',
  'Done: 3 of 3 requests answered.',
];

/** Asserts that `text` holds each line, in order. */
function expectInOrder(text: string, lines: readonly string[]): void {
  let from = 0;
  for (const line of lines) {
    const at = text.indexOf(line, from);
    expect(at, `${JSON.stringify(line)} after offset ${from} in:\n${text}`).toBeGreaterThanOrEqual(0);
    from = at + line.length;
  }
}

describe('npm run example:sql-gen', () => {
  it('runs the three scripted requests on PGlite and exits 0', async () => {
    const ran = await runExample([]);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expectInOrder(ran.stdout, ['The agent runs on a scripted model', 'Database: PGlite (embedded PostgreSQL, in memory)', ...DEMO_LINES]);
  });

  it('runs the same on a PostgreSQL server given by DATABASE_URL', async () => {
    const server = await freshDatabase('sqlgen');
    try {
      const ran = await runExample([], { DATABASE_URL: server.url });
      expect(ran.code).toBe(0);
      expectInOrder(ran.stdout, ['The agent runs on a scripted model', `Database: PostgreSQL at ${server.url}`, ...DEMO_LINES]);
    } finally {
      await server.drop();
    }
  });

  it('asks one request with --prompt, and --no-run leaves the rows alone', async () => {
    const ran = await runExample(['--prompt', 'critical records from the billing service', '--no-run']);
    expect(ran.code).toBe(0);
    expectInOrder(ran.stdout, [
      'Request: "critical records from the billing service"',
      "attempt 1: the model wrote SELECT start_timestamp, level, service_name, message FROM records WHERE level = 'critical' AND service_name = 'billing'",
      'EXPLAIN accepted it',
      'Done: 1 of 1 request answered.',
    ]);
    expect(ran.stdout).not.toContain('Run read-only');
  });

  it('prints the usage with --help', async () => {
    const ran = await runExample(['--help']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^Usage: npm run example:sql-gen/);
    expect(ran.stdout).toContain('DATABASE_URL');
  });

  it('refuses bad input with a clear error and exit code 2', async () => {
    const unknown = await runExample(['--drop-tables']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: Unknown option '--drop-tables'/);
    const empty = await runExample(['--prompt', '   ']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^error: the request is empty/);
    const two = await runExample(['one', 'two']);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/^error: give one request/);
  });

  it('says which server it cannot reach, without its password', async () => {
    const ran = await runExample([], { DATABASE_URL: 'postgres://someone:s3cret@127.0.0.1:1/records' });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/^error: cannot use PostgreSQL at postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/records: connect ECONNREFUSED/);
    expect(ran.stderr + ran.stdout).not.toContain('s3cret');
  });
});
