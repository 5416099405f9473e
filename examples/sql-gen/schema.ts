/**
 * The records table the SQL-generation example writes queries for: log records as a tracing
 * system stores them, the same columns as the reference's example. The agent is shown
 * {@link RECORDS_DDL}; the database gets it inside a schema of its own ({@link SQL_GEN_SCHEMA}),
 * so pointing `DATABASE_URL` at a database that already has a `records` table touches nothing of
 * it, and a handful of rows dated relative to now, so the generated queries find something.
 */
import type { Database } from '../db/database.js';

/** The PostgreSQL schema (namespace) that holds the example's type and table. */
export const SQL_GEN_SCHEMA = 'sql_gen';

/** The levels a record can have, in increasing severity (the `log_level` enum). */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;

/** The `CREATE TABLE` statement of the records table: what the model is told the database holds. */
export const RECORDS_DDL = `CREATE TABLE records (
  created_at timestamptz,
  start_timestamp timestamptz,
  end_timestamp timestamptz,
  trace_id text,
  span_id text,
  parent_span_id text,
  level log_level,
  span_name text,
  message text,
  attributes_json_schema text,
  attributes jsonb,
  tags text[],
  is_exception boolean,
  otel_status_message text,
  service_name text
);`;

/**
 * The seeded rows, as SQL: timestamps are offsets from now() so that "yesterday" and "the last
 * hour" always have rows, whatever day the example runs.
 */
const SEED_ROWS = `
INSERT INTO records (created_at, start_timestamp, end_timestamp, trace_id, span_id, parent_span_id, level, span_name,
                     message, attributes_json_schema, attributes, tags, is_exception, otel_status_message, service_name)
SELECT now() - ago, now() - ago, now() - ago + interval '120 milliseconds', trace_id, span_id, parent_span_id, level::log_level,
       span_name, message, NULL, attributes::jsonb, tags::text[], is_exception, status, service_name
FROM (VALUES
  (interval '26 hours', 't-01', 's-01', NULL,   'info',     'GET /orders',     'GET /orders 200',                    '{"http.status": 200, "foobar": false}', '{http}',         false, NULL,                 'api'),
  (interval '25 hours', 't-02', 's-02', NULL,   'error',    'POST /payments',  'card declined by the bank',          '{"http.status": 502, "foobar": true}',  '{http,payments}', true,  'PaymentDeclined',    'billing'),
  (interval '25 hours', 't-02', 's-03', 's-02', 'debug',    'retry payment',   'retrying in 200 ms',                 '{"attempt": 2}',                        '{payments}',      false, NULL,                 'billing'),
  (interval '24 hours', 't-03', 's-04', NULL,   'error',    'nightly export',  'export failed: disk full',           '{"job": "export"}',                     '{jobs,foobar}',   true,  'OSError: disk full', 'worker'),
  (interval '23 hours', 't-04', 's-05', NULL,   'warning',  'GET /search',     'slow query: 2.3 s',                  '{"http.status": 200, "db.ms": 2300}',   '{http,db}',       false, NULL,                 'api'),
  (interval '5 hours',  't-05', 's-06', NULL,   'info',     'deploy',          'version 1.4.2 deployed',             '{"version": "1.4.2"}',                  '{deploy}',        false, NULL,                 'worker'),
  (interval '40 minutes', 't-06', 's-07', NULL, 'critical', 'POST /payments',  'payment provider unreachable',       '{"http.status": 504}',                  '{http,payments}', true,  'TimeoutError',       'billing'),
  (interval '10 minutes', 't-07', 's-08', NULL, 'info',     'GET /orders',     'GET /orders 200',                    '{"http.status": 200}',                  '{http}',          false, NULL,                 'api')
) AS seed(ago, trace_id, span_id, parent_span_id, level, span_name, message, attributes, tags, is_exception, status, service_name);
`;

/**
 * Creates the schema, the `log_level` type and the records table when they are missing, and puts
 * the seeded rows in it (replacing what an earlier run left, whose timestamps would be stale).
 */
export async function prepareRecords(db: Database): Promise<void> {
  const levels = LOG_LEVELS.map((level) => `'${level}'`).join(', ');
  // One transaction: a second process starting at the same moment sees all of it or none.
  await db.transaction(async (tx) => {
    await tx.exec(`
      CREATE SCHEMA IF NOT EXISTS ${SQL_GEN_SCHEMA};
      SET LOCAL search_path TO ${SQL_GEN_SCHEMA};
      DO $$ BEGIN
        IF to_regtype('${SQL_GEN_SCHEMA}.log_level') IS NULL THEN CREATE TYPE log_level AS ENUM (${levels}); END IF;
      END $$;
      ${RECORDS_DDL.replace('CREATE TABLE records', 'CREATE TABLE IF NOT EXISTS records')}
      DELETE FROM records;
      ${SEED_ROWS}
    `);
  });
}

/** How many rows the records table holds (the tests check that refused queries changed nothing). */
export async function countRecords(db: Database): Promise<number> {
  const { rows } = await db.query<{ n: number | string }>(`SELECT count(*)::int AS n FROM ${SQL_GEN_SCHEMA}.records`);
  return Number(rows[0]!.n);
}
