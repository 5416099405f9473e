/**
 * The SQL agent's output validator, as in the reference: a `Success` must hold a query that
 * PostgreSQL accepts for the records table. The query is first read for anything that is not a
 * single read (refuse-sql.ts), then only planned, never run: `EXPLAIN <query>`, inside a
 * read-only transaction that is always rolled back; the plan must read no table but the records
 * table (a schema-qualified name reaches any other). Whatever is wrong (a refusal, or
 * PostgreSQL's error, with its hint and where it points) goes back to the model as a retry prompt
 * through `ModelRetry`, and the model tries again. `InvalidRequest` passes through untouched.
 */
import { ModelRetry, type OutputValidator } from 'schemantic';
import type { SqlGenContext, SqlGenOutput } from '../../generated/agents/sql-gen.js';
import type { Database } from '../db/database.js';
import { readOnly } from './read-only.js';
import { normaliseSql, whyRefused } from './refuse-sql.js';
import { SQL_GEN_SCHEMA } from './schema.js';

/** The SQL agent's dependencies: the database its queries are checked against. */
export interface SqlGenDeps {
  readonly db: Database;
}

/** What the check made of a query. */
export type SqlCheck =
  | { readonly ok: true; readonly sql: string; readonly plan: readonly string[] }
  | { readonly ok: false; readonly sql: string; readonly reason: string; readonly by: 'refused' | 'postgres' | 'plan' };

/** An error PostgreSQL (or PGlite) reported, with its SQLSTATE code. */
interface PostgresError {
  message: string;
  code: string;
  hint?: string;
  detail?: string;
  position?: string | number;
}

const EXPLAIN = 'EXPLAIN ';

/** Whether `err` came from the server (an SQLSTATE code and a severity), rather than from the connection. */
function isPostgresError(err: unknown): err is PostgresError {
  const e = err as Partial<PostgresError> & { severity?: unknown };
  return typeof e === 'object' && e !== null && typeof e.severity === 'string' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code);
}

/**
 * Errors that say the server is in trouble, not the query (connection, resources, shutdown,
 * internal): they fail the run instead of asking the model to retry. SQLSTATE classes.
 */
function isServerFault(code: string): boolean {
  return /^(08|28|3D|53|58|F0|XX)/.test(code) || (code.startsWith('57') && code !== '57014');
}

/** PostgreSQL's error as the model reads it: the message, its detail and hint, and where in the query it points. */
function retryText(err: PostgresError, sql: string): string {
  const parts = [`Invalid query: ${err.message}.`];
  const position = Number(err.position) - 1 - EXPLAIN.length;
  if (Number.isInteger(position) && position >= 0 && position < sql.length) {
    parts.push(`The error is at character ${position + 1} of the query, at: ${JSON.stringify(sql.slice(position, position + 40))}.`);
  }
  if (err.detail) parts.push(`Detail: ${err.detail}`);
  if (err.hint) parts.push(`Hint: ${err.hint}`);
  if (err.code === '57014') parts.push('Planning the query took too long: write a simpler one.');
  return parts.join(' ');
}

/**
 * Checks one query from the model: normalised (fences, trailing `;`), refused when it is not a
 * single read, else planned with EXPLAIN against the records table. Never runs the query.
 * Connection and server faults are thrown, not reported as the model's.
 */
export async function checkSql(db: Database, text: string): Promise<SqlCheck> {
  const sql = normaliseSql(text);
  const refused = whyRefused(sql);
  if (refused !== undefined) return { ok: false, sql, reason: refused, by: 'refused' };
  try {
    const { plan, tables } = await planReadOnly(db, sql);
    // A schema-qualified name reaches any table of the database (a DATABASE_URL server's own data).
    const other = tables.find((table) => table !== RECORDS_TABLE);
    if (other !== undefined) return { ok: false, sql, reason: `The query may only read the records table; ${other} is off limits.`, by: 'plan' };
    return { ok: true, sql, plan };
  } catch (err) {
    if (!isPostgresError(err) || isServerFault(err.code)) throw err;
    return { ok: false, sql, reason: retryText(err, sql), by: 'postgres' };
  }
}

/**
 * The plan PostgreSQL makes for `sql`, one line a row. Plain EXPLAIN (no ANALYZE) plans without
 * executing; the read-only, rolled-back transaction is a second wall should a query get past the
 * text checks. Exported for the tests that prove that wall holds on its own.
 */
export async function explainReadOnly(db: Database, sql: string): Promise<string[]> {
  return (await planReadOnly(db, sql)).plan;
}

/** The one table a query may read, as the plan names it (`schema.table`). */
const RECORDS_TABLE = `${SQL_GEN_SCHEMA}.records`;

/**
 * The plan of `sql` (as {@link explainReadOnly}), and every table it reads (`schema.table`), from
 * the same plan in JSON with VERBOSE (which names each scanned table's schema): views, subqueries
 * and CTEs are expanded there, so no spelling of a name hides a table.
 */
async function planReadOnly(db: Database, sql: string): Promise<{ plan: string[]; tables: string[] }> {
  return readOnly(db, async (tx) => {
    const { rows } = await tx.query<{ 'QUERY PLAN': string }>(EXPLAIN + sql);
    const plan = rows.map((row) => row['QUERY PLAN']);
    const json = (await tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (VERBOSE, FORMAT JSON) ${sql}`)).rows[0]?.['QUERY PLAN'];
    return { plan, tables: scannedTables(typeof json === 'string' ? JSON.parse(json) : json) };
  });
}

/** The `schema.table` of every node of a JSON plan that scans a table (its "Relation Name"). */
function scannedTables(plan: unknown): string[] {
  const tables = new Set<string>();
  const stack: unknown[] = [plan];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const { 'Relation Name': relation, Schema: schema } = node as Record<string, unknown>;
    if (typeof relation === 'string') tables.add(`${typeof schema === 'string' ? schema : '(unknown schema)'}.${relation}`);
    stack.push(...Object.values(node));
  }
  return [...tables];
}

/** Options of {@link sqlOutputValidator}. */
export interface SqlOutputValidatorOptions {
  /** Told of each check, with the attempt it checked (1 for the model's first answer): for printing the steps. */
  onCheck?: (check: SqlCheck, attempt: number) => void;
}

/**
 * The output validator of the SQL agent: passes `InvalidRequest` through, checks a `Success`'s
 * query against `ctx.deps.db` and returns it normalised, or throws `ModelRetry` with the reason.
 */
export function sqlOutputValidator(options: SqlOutputValidatorOptions = {}): OutputValidator<SqlGenDeps, SqlGenContext, SqlGenOutput> {
  return async (ctx, output) => {
    if (!('sql_query' in output)) return output;
    const check = await checkSql(ctx.deps.db, output.sql_query);
    options.onCheck?.(check, ctx.retry + 1);
    if (!check.ok) throw new ModelRetry(check.reason);
    return { ...output, sql_query: check.sql };
  };
}
