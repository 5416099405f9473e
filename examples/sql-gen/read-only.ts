/**
 * Read-only access to the records table: a transaction that cannot write (`SET TRANSACTION READ
 * ONLY`), bounded in time (`statement_timeout`, where the engine enforces it: a server does,
 * PGlite has no timer), reading the example's schema first, with `standard_conforming_strings` on
 * (the text checks assume it), and always rolled back, whatever happened inside.
 */
import type { Database } from '../db/database.js';
import { SQL_GEN_SCHEMA } from './schema.js';

/** How long one statement may take on a server. */
const STATEMENT_TIMEOUT_MS = 5_000;

/** The queries a read-only transaction offers. */
export type ReadOnlyTx = Pick<Database, 'query'>;

/** Carries the value of the work out of the transaction, which is rolled back by throwing it. */
class RolledBack<T> {
  constructor(readonly value: T) {}
}

/** Runs `work` in a read-only transaction on the example's schema, then rolls the transaction back. */
export async function readOnly<T>(db: Database, work: (tx: ReadOnlyTx) => Promise<T>): Promise<T> {
  try {
    await db.transaction(async (tx) => {
      // First in the transaction: from here on, any write fails with SQLSTATE 25006.
      await tx.query('SET TRANSACTION READ ONLY');
      await tx.query(`SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
      await tx.query(`SET LOCAL search_path TO ${SQL_GEN_SCHEMA}`);
      await tx.query('SET LOCAL standard_conforming_strings = on');
      throw new RolledBack(await work({ query: (sql, params) => tx.query(sql, params) }));
    });
  } catch (err) {
    if (err instanceof RolledBack) return (err as RolledBack<T>).value;
    throw err;
  }
  throw new Error('a read-only transaction ended without rolling back');
}

/**
 * The first `limit` rows of a query the check accepted, read in a read-only transaction. The
 * query becomes a subquery so that the limit holds whatever it asks for.
 */
export async function runReadOnly(db: Database, sql: string, limit = 10): Promise<Record<string, unknown>[]> {
  return readOnly(db, async (tx) => (await tx.query(`SELECT * FROM (\n${sql}\n) AS answer LIMIT ${Math.trunc(limit)}`)).rows);
}
