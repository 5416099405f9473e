/**
 * The SQL example's database tests, written once and run on both engines: PGlite
 * (sql-gen.test.ts) and the suite's PostgreSQL server (sql-gen-postgres.test.ts). They check the
 * output validator's path (text checks, then EXPLAIN in a read-only transaction) and an agent run
 * on the scripted model, and that nothing a hostile query tries changes the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelRetry, UnexpectedModelBehavior, type ModelMessage, type RetryPromptPart } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { createSqlGenAgent } from '../../generated/agents/sql-gen.js';
import type { Database } from '../../examples/db/database.js';
import { checkSql, explainReadOnly, sqlOutputValidator, type SqlCheck, type SqlGenDeps } from '../../examples/sql-gen/check-sql.js';
import { DEMO_REQUESTS, sqlGenDemoModel } from '../../examples/sql-gen/demo-model.js';
import { SQL_EXAMPLES } from '../../examples/sql-gen/examples.js';
import { readOnly } from '../../examples/sql-gen/read-only.js';
import { countRecords, prepareRecords, RECORDS_DDL } from '../../examples/sql-gen/schema.js';

/** Queries the check must refuse before the database sees them, and what the refusal says. */
export const HOSTILE_QUERIES: readonly { name: string; sql: string; reason: RegExp }[] = [
  { name: 'a DELETE', sql: 'DELETE FROM records', reason: /Please create a SELECT query/ },
  { name: 'two statements', sql: 'select 1; drop table records', reason: /exactly one statement/ },
  { name: 'a COMMIT that would end the read-only transaction', sql: 'SELECT 1; COMMIT; DELETE FROM records', reason: /exactly one statement/ },
  { name: 'a data-modifying CTE', sql: 'WITH gone AS (DELETE FROM records RETURNING *) SELECT count(*) FROM gone', reason: /DELETE does more/ },
  { name: 'a CTE ending in INSERT', sql: 'WITH x AS (SELECT 1) INSERT INTO records DEFAULT VALUES', reason: /INSERT does more/ },
  { name: 'ANALYZE right after EXPLAIN', sql: 'ANALYZE DELETE FROM records', reason: /Please create a SELECT query/ },
  { name: 'EXPLAIN options that analyze', sql: '(ANALYZE) DELETE FROM records', reason: /Please create a SELECT query/ },
  { name: 'EXPLAIN ANALYZE inside the text', sql: 'SELECT 1 UNION ALL EXPLAIN ANALYZE DELETE FROM records', reason: /EXPLAIN does more/ },
  { name: 'a semicolon after a comment', sql: "SELECT 'x' -- comment\n; DROP TABLE records", reason: /exactly one statement/ },
  { name: 'a standard string ending in a backslash', sql: "SELECT '\\'; DROP TABLE records; --'", reason: /exactly one statement/ },
  { name: 'a semicolon inside an E string', sql: "SELECT E'\\'; DROP TABLE records; --'", reason: /chr\(59\)/ },
  { name: 'SELECT INTO', sql: 'SELECT * INTO stolen FROM records', reason: /INTO creates a table/ },
  { name: 'row locks', sql: 'SELECT * FROM records FOR UPDATE', reason: /UPDATE does more/ },
  { name: 'pg_sleep', sql: 'SELECT pg_sleep(10)', reason: /pg_sleep is off limits/ },
  { name: 'set_config', sql: "SELECT set_config('default_transaction_read_only', 'off', false)", reason: /set_config is off limits/ },
  { name: 'a NUL byte', sql: 'SELECT 1\u0000; DROP TABLE records', reason: /control characters/ },
  { name: 'an unterminated string', sql: "SELECT 'abc", reason: /cannot be read/ },
  { name: 'an empty query', sql: '  ```sql\n;\n```  ', reason: /empty/ },
];

/** The retry prompts of a run's history. */
function retryPrompts(messages: readonly ModelMessage[]): RetryPromptPart[] {
  return messages.flatMap((m) => (m.kind === 'request' ? m.parts.filter((p): p is RetryPromptPart => p.kind === 'retry-prompt') : []));
}

/** Runs the shared tests on the database `open` gives (closed by `close`). */
export function describeSqlCheckOn(engine: string, open: () => Promise<Database>, close: (db: Database) => Promise<void>): void {
  describe(`the SQL example's check on ${engine}`, () => {
    let db: Database;
    let seeded = 0;
    beforeAll(async () => {
      db = await open();
      await prepareRecords(db);
      seeded = await countRecords(db);
    });
    afterAll(async () => {
      if (db) await close(db);
    });
    const context = (today = '2026-12-05') => ({ db_schema: RECORDS_DDL, today, examples: [...SQL_EXAMPLES] });

    it('seeds the records table', () => {
      expect(seeded).toBe(8);
    });

    it('accepts a valid query, normalised, with its plan', async () => {
      const check = await checkSql(db, "```sql\nSELECT service_name FROM records WHERE level = 'error';\n```");
      expect(check).toMatchObject({ ok: true, sql: "SELECT service_name FROM records WHERE level = 'error'" });
      expect((check as Extract<SqlCheck, { ok: true }>).plan.join('\n')).toMatch(/Scan on records/);
    });

    it('accepts every example the instructions show the model', async () => {
      for (const example of SQL_EXAMPLES) expect(await checkSql(db, example.response), example.request).toMatchObject({ ok: true });
    });

    it("turns PostgreSQL's error into the retry text", async () => {
      const check = await checkSql(db, "SELECT * FROM records WHERE severity = 'error'");
      expect(check).toMatchObject({ ok: false, by: 'postgres' });
      const reason = (check as Extract<SqlCheck, { ok: false }>).reason;
      expect(reason).toContain('Invalid query: column "severity" does not exist');
      expect(reason).toContain('at character 29 of the query, at: "severity');
      // A value the enum does not have is caught at planning time too.
      expect(await checkSql(db, "SELECT * FROM records WHERE level = 'fatal'")).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/invalid input value for enum log_level: "fatal"/),
      });
    });

    it('refuses hostile queries without touching the table', async () => {
      for (const { name, sql, reason } of HOSTILE_QUERIES) {
        expect(await checkSql(db, sql), name).toMatchObject({ ok: false, by: 'refused', reason: expect.stringMatching(reason) });
      }
      expect(await countRecords(db)).toBe(seeded);
      expect(await checkSql(db, 'SELECT count(*) FROM records')).toMatchObject({ ok: true });
    });

    it('plans without running, in a transaction that cannot write (past the text checks)', async () => {
      // EXPLAIN alone plans a DELETE without running it.
      expect((await explainReadOnly(db, 'DELETE FROM records')).join('\n')).toMatch(/Delete on records/);
      // EXPLAIN ANALYZE would run it: the read-only transaction refuses.
      await expect(explainReadOnly(db, 'ANALYZE DELETE FROM records')).rejects.toMatchObject({ code: '25006' });
      await expect(readOnly(db, (tx) => tx.query("INSERT INTO records (message) VALUES ('x')"))).rejects.toMatchObject({ code: '25006' });
      await expect(readOnly(db, (tx) => tx.query('CREATE TABLE stolen (x int)'))).rejects.toMatchObject({ code: '25006' });
      expect(await countRecords(db)).toBe(seeded);
    });

    it('retries once on the scripted model, then succeeds: the retry prompt carries the error', async () => {
      const checks: [boolean, number][] = [];
      const agent = createSqlGenAgent<SqlGenDeps>({
        model: sqlGenDemoModel,
        outputValidators: [sqlOutputValidator({ onCheck: (c, attempt) => checks.push([c.ok, attempt]) })],
      });
      const result = await agent.run(DEMO_REQUESTS[0], { deps: { db }, context: context() });
      expect(result.output).toEqual({
        sql_query: "SELECT start_timestamp, service_name, message\nFROM records\nWHERE level = 'error' AND start_timestamp::date = CURRENT_DATE - 1",
        explanation: 'Error records (the `level` column) whose span started yesterday.',
      });
      expect(checks).toEqual([
        [false, 1],
        [true, 2],
      ]);
      const retries = retryPrompts(result.allMessages());
      expect(retries).toHaveLength(1);
      expect(retries[0]).toMatchObject({ toolName: 'final_result_Success', content: expect.stringContaining('column "severity" does not exist') });
      expect(result.usage().requests).toBe(2);
      // The instructions carried the schema, the date and the examples.
      expect(result.allMessages()[0]).toMatchObject({ instructions: expect.stringContaining('level log_level') });
      expect(result.allMessages()[0]).toMatchObject({ instructions: expect.stringContaining("today's date = 2026-12-05") });
      expect(result.allMessages()[0]).toMatchObject({ instructions: expect.stringContaining("attributes ? 'foobar'") });
    });

    it('passes InvalidRequest through without a check', async () => {
      const checks: SqlCheck[] = [];
      const agent = createSqlGenAgent<SqlGenDeps>({ model: sqlGenDemoModel, outputValidators: [sqlOutputValidator({ onCheck: (c) => checks.push(c) })] });
      const result = await agent.run(DEMO_REQUESTS[2], { deps: { db }, context: context() });
      expect(result.output).toEqual({ error_message: 'Say which records you want: a level, a time range, a service or a message.' });
      expect(checks).toEqual([]);
      expect(result.usage().requests).toBe(1);
    });

    it('gives up after the retries when the model keeps writing something else than a read', async () => {
      const hostile = new FunctionModel((_messages, info) => [
        {
          kind: 'tool-call',
          toolName: info.outputTools.find((t) => t.name.endsWith('Success'))!.name,
          args: { sql_query: 'select 1; drop table records' },
          toolCallId: 'x',
        },
      ]);
      const agent = createSqlGenAgent<SqlGenDeps>({ model: hostile, outputValidators: [sqlOutputValidator()] });
      const error = await agent.run('drop it', { deps: { db }, context: context() }).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(UnexpectedModelBehavior);
      expect(await countRecords(db)).toBe(seeded);
    });

    it('throws a retry for the validator used on its own', async () => {
      const validator = sqlOutputValidator();
      const ctx = { deps: { db }, retry: 0 } as Parameters<typeof validator>[0];
      await expect(validator(ctx, { sql_query: 'DROP TABLE records', explanation: '' })).rejects.toBeInstanceOf(ModelRetry);
      await expect(validator(ctx, { error_message: 'vague' })).resolves.toEqual({ error_message: 'vague' });
      expect(await countRecords(db)).toBe(seeded);
    });
  });
}
