/**
 * The suite's PostgreSQL server (scripts/test-postgres.sh starts it; .ci/run does before the
 * tests), and a fresh database on it for each test that needs one: created with a unique name,
 * dropped afterwards (with whatever connections a killed worker left behind).
 *
 * A test that needs the server fails when it is not running, with a message saying how to start
 * it: a skipped test would hide that durable runs went untested.
 */
import pg from 'pg';

/** The server's maintenance database: `SCHEMANTIC_TEST_DATABASE_URL`, else what the script starts. */
export const TEST_SERVER_URL = process.env['SCHEMANTIC_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:54329/postgres';

/** A database of one test. */
export interface TestDatabase {
  /** Its name (`schemantic_<label>_<random>`). */
  readonly name: string;
  /** Its connection URL. */
  readonly url: string;
  /** Drops it, closing any connection still open on it. */
  drop(): Promise<void>;
}

/** Connects to the server's maintenance database, or fails saying how to start the server. */
async function serverClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_SERVER_URL.replace(/:[^:@/]*@/, ':***@')} (${(err as Error).message}): ` +
        'start the test server with `scripts/test-postgres.sh` (or set SCHEMANTIC_TEST_DATABASE_URL to a server of yours)',
      { cause: err },
    );
  }
  return client;
}

/** The URL of database `name` on the test server. */
function databaseUrl(name: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates a fresh database for one test. `label`: letters, digits and underscores, for the name. */
export async function freshDatabase(label: string): Promise<TestDatabase> {
  if (!/^[a-z0-9_]{1,30}$/.test(label)) throw new Error(`database label ${JSON.stringify(label)}: lower-case letters, digits and _, at most 30`);
  const name = `schemantic_${label}_${Math.random().toString(36).slice(2, 10)}`;
  const client = await serverClient();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return {
    name,
    url: databaseUrl(name),
    async drop() {
      const admin = await serverClient();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** A logger for DBOS clients in tests: warnings and errors only. */
export const quietLogger = {
  info(): void {},
  debug(): void {},
  warn(entry: unknown): void {
    console.warn(entry);
  },
  error(entry: unknown): void {
    console.error(entry);
  },
};

/**
 * A pool on a test's database. Dropping the database (WITH FORCE) ends connections still closing
 * after `pool.end()`; that 'error' event on the pool would end the test process unheard, so it is
 * listened to.
 */
export function testPool(url: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {});
  return pool;
}
