/**
 * `schemantic/graph/postgres`: graph snapshots in a PostgreSQL table, one row per run (the
 * latest snapshot as JSONB, upserted after each node), on node-postgres (`pg`, an optional peer
 * dependency, loaded on first use). The table is created when missing:
 *
 *   run_id text PRIMARY KEY, graph text, status text, snapshot jsonb, updated_at timestamptz
 *
 * so that an app can also find its runs by SQL (`WHERE graph = 'question' AND status = 'waiting'`).
 */
import { UserError } from '../contract/errors.js';
import { GraphSnapshotError } from './graph-errors.js';
import type { GraphPersistence } from './graph-persistence.js';
import { readGraphSnapshot, type GraphSnapshot } from './graph-snapshot.js';
import { loadPg, type PgPool, type PgQueryable } from './load-pg.js';

export type { PgQueryable, PgResult } from './load-pg.js';

/** Where the store keeps its rows. */
export interface PostgresGraphStoreOptions {
  /** A connection string: the store makes a pool of its own on first use (close it with `close()`). */
  readonly connectionString?: string;
  /** Or the app's pool (a `pg.Pool`, or anything with its `query`): the store only queries it, and never closes it. */
  readonly pool?: PgQueryable;
  /** The table: `schemantic_graph_runs` by default; a name or `schema.name`, letters, digits and `_`. */
  readonly table?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A {@link GraphPersistence} in a PostgreSQL table. */
export class PostgresGraphStore implements GraphPersistence {
  /** The table, quoted for SQL. */
  private readonly table: string;
  private readonly given: PgQueryable | undefined;
  private readonly connectionString: string | undefined;
  private own: PgPool | undefined;
  private ready: Promise<PgQueryable> | undefined;

  constructor(options: PostgresGraphStoreOptions) {
    if ((options.pool === undefined) === (options.connectionString === undefined))
      throw new UserError('PostgresGraphStore takes one of `connectionString` and `pool`');
    const table = options.table ?? 'schemantic_graph_runs';
    const parts = table.split('.');
    // Identifiers cannot be bound as parameters: only plain names reach the SQL, quoted.
    if (parts.length > 2 || !parts.every((p) => NAME.test(p)))
      throw new UserError(`PostgresGraphStore: table ${JSON.stringify(table)} is not a plain name (letters, digits and _, optionally schema.name)`);
    this.table = parts.map((p) => `"${p}"`).join('.');
    this.given = options.pool;
    this.connectionString = options.connectionString;
  }

  async save(runId: string, snapshot: GraphSnapshot): Promise<void> {
    const db = await this.db();
    await db.query(
      `INSERT INTO ${this.table} (run_id, graph, status, snapshot, updated_at) VALUES ($1, $2, $3, $4::jsonb, now())
       ON CONFLICT (run_id) DO UPDATE SET graph = EXCLUDED.graph, status = EXCLUDED.status, snapshot = EXCLUDED.snapshot, updated_at = now()`,
      // Sent as JSON text: pg would send a JavaScript array as a PostgreSQL array.
      [runId, snapshot.graph, snapshot.status, JSON.stringify(snapshot)],
    );
  }

  async load(runId: string): Promise<GraphSnapshot | undefined> {
    const db = await this.db();
    const { rows } = await db.query(`SELECT snapshot FROM ${this.table} WHERE run_id = $1`, [runId]);
    const row = rows[0];
    if (row === undefined) return undefined;
    const where = `the snapshot of run ${runId} in table ${this.table}`;
    const stored = row['snapshot'];
    // pg parses JSONB; a pool whose type parsers leave it as text gives a string, read as JSON.
    if (stored === null || stored === undefined) throw new GraphSnapshotError(undefined, undefined, `${where} is empty`);
    return readGraphSnapshot(stored, where);
  }

  /** Removes a run's row (nothing happens when there is none). */
  async delete(runId: string): Promise<void> {
    const db = await this.db();
    await db.query(`DELETE FROM ${this.table} WHERE run_id = $1`, [runId]);
  }

  /** Closes the pool the store made (a pool given to it is the app's to close). */
  async close(): Promise<void> {
    const own = this.own;
    this.own = undefined;
    this.ready = undefined;
    if (own) await own.end();
  }

  /** The pool, with the table made (once; a failure is tried again on the next call). */
  private db(): Promise<PgQueryable> {
    this.ready ??= this.connect().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async connect(): Promise<PgQueryable> {
    let db = this.given;
    if (!db) {
      const { Pool } = await loadPg();
      if (!this.own) {
        this.own = new Pool({ connectionString: this.connectionString! });
        // An idle connection the server closed (a restart, an administrator) is an 'error' event on
        // the pool, which would end the process unheard: pg drops that connection and the next
        // query opens another, so there is nothing else to do.
        this.own.on('error', () => {});
      }
      db = this.own;
    }
    try {
      await db.query(
        `CREATE TABLE IF NOT EXISTS ${this.table} (
           run_id text PRIMARY KEY,
           graph text NOT NULL,
           status text NOT NULL,
           snapshot jsonb NOT NULL,
           updated_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
    } catch (err) {
      // Two processes creating the table at once: one wins, the other meets its type or relation.
      const code = (err as { code?: unknown } | null)?.code;
      if (code !== '23505' && code !== '42P07') throw err;
    }
    return db;
  }
}
