/**
 * The examples' one database interface, over two engines that speak the same SQL:
 *
 * - **PGlite** (`@electric-sql/pglite`, PostgreSQL compiled to WebAssembly, in this process): the
 *   embedded default. No server, no key; in memory, or in a folder when `dataDir` is given.
 * - **PostgreSQL** through `pg`, when `DATABASE_URL` (or `url`) is set: a real server.
 *
 * Both get the same SQL text and parameters (`$1`, `$2`, ...) and return rows the same way, so
 * each example has one schema and one query path. With `vector: true` the pgvector extension is
 * loaded (PGlite: `@electric-sql/pglite-pgvector`; a server: `CREATE EXTENSION vector`, which
 * needs pgvector installed on it) and vectors travel as pgvector's text form (`toSql` of the
 * `pgvector` package), so neither engine needs a type parser registered.
 */
import type { Extensions } from '@electric-sql/pglite';
import pg from 'pg';

/** Rows of a query. */
export interface QueryResult<Row> {
  rows: Row[];
}

/** A database the examples use: PGlite in this process, or a PostgreSQL server. */
export interface Database {
  /** Which engine: `pglite` (embedded) or `postgres` (a server at a URL). */
  readonly engine: 'pglite' | 'postgres';
  /** Says where the data lives, for messages: never the URL's password. */
  readonly label: string;
  /** One statement (never several: both engines refuse them here) with `$n` parameters. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Several statements without parameters (a schema, a seed). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Pick<Database, 'query' | 'exec'>) => Promise<T>): Promise<T>;
  /** The server's version, as `SHOW server_version` says it. */
  serverVersion(): Promise<string>;
  /** Closes it (PGlite: the in-process engine; a server: the pool). */
  close(): Promise<void>;
}

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** A PostgreSQL URL; default `DATABASE_URL` from the environment. Unset: PGlite. */
  url?: string | undefined;
  /** PGlite only: a folder to keep the data in across runs (default: in memory). */
  dataDir?: string | undefined;
  /** Load pgvector (the `vector` type and its distance operators). */
  vector?: boolean;
}

/** Opens the database an example runs on: the server at `url`/`DATABASE_URL`, else PGlite. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const url = 'url' in options ? options.url : process.env['DATABASE_URL'];
  return url ? openServer(url, options.vector ?? false) : openPGlite(options.dataDir, options.vector ?? false);
}

/** A URL with its password masked, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'a PostgreSQL server (the URL does not parse)';
  }
}

async function openPGlite(dataDir: string | undefined, vector: boolean): Promise<Database> {
  // Loaded on demand: an example on a server never pays for the WebAssembly engine.
  const { PGlite } = await import('@electric-sql/pglite');
  const extensions: Extensions = vector ? { vector: (await import('@electric-sql/pglite-pgvector')).vector } : {};
  const db = await PGlite.create(dataDir ?? 'memory://', { extensions });
  if (vector) await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const query = async <Row>(sql: string, params?: readonly unknown[]) => ({ rows: (await db.query<Row>(sql, params ? [...params] : undefined)).rows });
  const exec = async (sql: string) => void (await db.exec(sql));
  return {
    engine: 'pglite',
    label: dataDir ? `PGlite (embedded PostgreSQL) in ${dataDir}` : 'PGlite (embedded PostgreSQL, in memory)',
    query,
    exec,
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: async (sql, params) => ({ rows: (await tx.query(sql, params ? [...params] : undefined)).rows as never[] }),
          exec: async (sql) => void (await tx.exec(sql)),
        }),
      ),
    serverVersion: async () => (await query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version,
    close: () => db.close(),
  };
}

async function openServer(url: string, vector: boolean): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
  // An idle connection the server closed (a restart, an idle timeout, an admin) is dropped from the
  // pool and the next query opens another; unheard, the pool's 'error' event would end the process.
  pool.on('error', () => {});
  const label = `PostgreSQL at ${redactUrl(url)}`;
  try {
    await pool.query('SELECT 1');
    if (vector) await pool.query('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (err) {
    await pool.end().catch(() => {});
    const hint =
      vector && /vector\.control|extension "vector"/.test((err as Error).message) ? ' (pgvector is not installed on that server: see examples/README.md)' : '';
    throw new Error(`cannot use ${label}: ${(err as Error).message}${hint}`, { cause: err });
  }
  // The extended protocol even without parameters: one statement per query, as PGlite's query
  // does, so text that smuggles a second statement (`...; COMMIT; ...`) is refused, not run.
  const query = async <Row>(sql: string, params?: readonly unknown[]) => ({
    rows: (await pool.query(extended(sql, params))).rows as Row[],
  });
  return {
    engine: 'postgres',
    label,
    query,
    exec: async (sql) => void (await pool.query(sql)),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      // While it is checked out the pool does not listen to it: a connection lost now fails the
      // statement in flight (and the ROLLBACK), which is the error that matters.
      const lost = (err: Error) => void (broken = err);
      client.on('error', lost);
      try {
        await client.query('BEGIN');
        const value = await fn({
          query: async (sql, params) => ({
            rows: (await client.query(extended(sql, params))).rows as never[],
          }),
          exec: async (sql) => void (await client.query(sql)),
        });
        await client.query('COMMIT');
        return value;
      } catch (err) {
        // A connection that cannot even roll back is in an unknown state: closed, not pooled.
        broken = await client.query('ROLLBACK').then(
          () => undefined,
          (rollbackError: unknown) => (rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))),
        );
        throw err;
      } finally {
        client.off('error', lost);
        client.release(broken);
      }
    },
    serverVersion: async () => (await query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version,
    close: () => pool.end(),
  };
}

/**
 * A query sent with the extended protocol even without parameters (pg's `queryMode`, which its
 * type definitions do not list yet), so that the server refuses a second statement in the text.
 */
function extended(sql: string, params: readonly unknown[] | undefined): pg.QueryConfig {
  return { text: sql, values: params ? [...params] : [], queryMode: 'extended' } as pg.QueryConfig;
}
