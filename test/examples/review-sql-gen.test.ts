/**
 * Review of the SQL example's check, on PGlite and on the suite's PostgreSQL server: queries a
 * hostile model could write to get past "one plain read of the records table". The accepted query
 * is run (read-only) by `npm run example:sql-gen`, so anything accepted here really executes:
 * functions reached through quoted or Unicode-escaped identifiers, functions that run a query given
 * as a string, and tables of other schemas (a DATABASE_URL server holds the user's own data).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../examples/db/database.js';
import { checkSql } from '../../examples/sql-gen/check-sql.js';
import { countRecords, prepareRecords } from '../../examples/sql-gen/schema.js';
import { freshDatabase, type TestDatabase } from '../helpers/postgres.js';

/** Queries that must be refused, and what the refusal names. */
const OFF_LIMITS: readonly [name: string, sql: string, reason: RegExp][] = [
  ['a quoted pg_ function', `SELECT "pg_ls_dir"('.')`, /pg_ls_dir is off limits/],
  ['a quoted catalog', `SELECT * FROM "pg_catalog"."pg_authid"`, /pg_catalog is off limits/],
  ['a quoted session lock', `SELECT "pg_advisory_lock"(42) FROM records`, /pg_advisory_lock is off limits/],
  ['a quoted set_config', `SELECT "set_config"('search_path', 'public', false)`, /set_config is off limits/],
  ['a quoted information_schema', `SELECT * FROM "information_schema"."tables"`, /information_schema is off limits/],
  ['a Unicode-escaped identifier', `SELECT U&"\\0070g_ls_dir"('.')`, /U&/],
  ['a Unicode-escaped identifier with UESCAPE', `SELECT U&"!0070g_ls_dir" UESCAPE '!'('.')`, /U&/],
  ['query_to_xml', `SELECT query_to_xml('select pg_advisory_lock(7)', true, true, '')`, /query_to_xml is off limits/],
  ['table_to_xml of a catalog', `SELECT table_to_xml('pg_authid'::regclass, true, true, '')`, /table_to_xml is off limits/],
  ['database_to_xml', `SELECT database_to_xml(true, true, '')`, /database_to_xml is off limits/],
  ['ts_stat running a query', `SELECT * FROM ts_stat('select to_tsvector(s) from public.secrets')`, /ts_stat is off limits/],
  ['ts_rewrite running a query', `SELECT ts_rewrite('a'::tsquery, 'select q, q from public.secrets')`, /ts_rewrite is off limits/],
];

/** Queries on other tables than the records table, refused after planning. */
const OTHER_TABLES: readonly [name: string, sql: string][] = [
  ['another schema', 'SELECT * FROM public.secrets'],
  ['another schema, in a subquery', 'SELECT level FROM records WHERE message IN (SELECT s FROM public.secrets)'],
  ['a quoted other schema', 'SELECT * FROM "public"."secrets"'],
];

/** Queries that are fine, quoted identifiers included. */
const FINE: readonly string[] = [
  'SELECT "level", count(*) AS "How many" FROM "records" GROUP BY "level"',
  'SELECT r.message FROM sql_gen.records AS r JOIN records AS s ON s.trace_id = r.trace_id',
  "SELECT * FROM records WHERE message = 'pg_ls_dir is text, not code'",
  "WITH e AS (SELECT * FROM records WHERE level = 'error') SELECT count(*) FROM e",
];

const engines: readonly [string, () => Promise<{ db: Database; done: () => Promise<void> }>][] = [
  [
    'PGlite',
    async () => {
      const db = await openDatabase({ url: undefined });
      return { db, done: () => db.close() };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const server: TestDatabase = await freshDatabase('sqlreview');
      const db = await openDatabase({ url: server.url });
      return { db, done: async () => (await db.close(), await server.drop()) };
    },
  ],
];

describe.each(engines)('the SQL check on %s, against hostile queries', (_engine, open) => {
  let db: Database;
  let done: () => Promise<void>;
  beforeAll(async () => {
    ({ db, done } = await open());
    await prepareRecords(db);
    await db.exec("CREATE TABLE public.secrets (s text); INSERT INTO public.secrets VALUES ('the user''s own data')");
  });
  afterAll(async () => done?.());

  it.each(OFF_LIMITS)('refuses %s before the database sees it', async (_name, sql, reason) => {
    expect(await checkSql(db, sql)).toMatchObject({ ok: false, by: 'refused', reason: expect.stringMatching(reason) });
  });

  it.each(OTHER_TABLES)('refuses a query that reads %s', async (_name, sql) => {
    expect(await checkSql(db, sql)).toMatchObject({
      ok: false,
      by: 'plan',
      reason: expect.stringMatching(/only read the records table; public\.secrets is off limits/),
    });
  });

  it('still accepts plain reads of the records table, quoted identifiers included', async () => {
    for (const sql of FINE) expect(await checkSql(db, sql), sql).toMatchObject({ ok: true });
    expect(await countRecords(db)).toBe(8);
  });
});
