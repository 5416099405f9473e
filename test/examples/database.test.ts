/**
 * The examples' database interface (examples/db/database.ts) on both engines: PGlite in this
 * process, and the suite's PostgreSQL 15 server. The same SQL must behave the same on each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, redactUrl, type Database } from '../../examples/db/database.js';
import { freshDatabase, type TestDatabase } from '../helpers/postgres.js';

let server: TestDatabase;
const engines: { name: string; open: () => Promise<Database> }[] = [
  { name: 'PGlite', open: () => openDatabase({ url: undefined, vector: true }) },
  { name: 'PostgreSQL 15', open: () => openDatabase({ url: server.url, vector: true }) },
];

beforeAll(async () => {
  server = await freshDatabase('examples_db');
});
afterAll(() => server?.drop());

describe.each(engines)('openDatabase on $name', ({ name, open }) => {
  let db: Database;
  beforeAll(async () => {
    db = await open();
    await db.exec('DROP TABLE IF EXISTS notes; CREATE TABLE notes (id int PRIMARY KEY, body text, e vector(3))');
  });
  afterAll(() => db?.close());

  it('names its engine, and runs parameterised queries and vectors the same way', async () => {
    expect(db.engine).toBe(name === 'PGlite' ? 'pglite' : 'postgres');
    expect(await db.serverVersion()).toMatch(name === 'PGlite' ? /^18\./ : /^15\./);
    await db.query('INSERT INTO notes VALUES ($1, $2, $3)', [1, 'near', '[1,2,3]']);
    await db.query('INSERT INTO notes VALUES ($1, $2, $3)', [2, 'far', '[-3,0,1]']);
    const { rows } = await db.query<{ body: string }>('SELECT body FROM notes ORDER BY e <=> $1 LIMIT 2', ['[1,2,4]']);
    expect(rows.map((r) => r.body)).toEqual(['near', 'far']);
  });

  it('refuses a second statement smuggled into a query, and runs neither', async () => {
    await expect(db.query("SELECT 1; DELETE FROM notes WHERE body = 'near'")).rejects.toThrow(/multiple commands/);
    expect((await db.query('SELECT count(*)::int AS n FROM notes')).rows).toEqual([{ n: 2 }]);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await db.transaction(async (tx) => void (await tx.query('INSERT INTO notes VALUES ($1, $2, $3)', [3, 'kept', '[0,0,1]'])));
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO notes VALUES ($1, $2, $3)', [4, 'lost', '[0,1,0]']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const { rows } = await db.query<{ id: number }>('SELECT id FROM notes ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
  });
});

describe('openDatabase on a server whose connection dies inside a transaction', () => {
  it('does not put the dead connection back in the pool: the next queries work', async () => {
    const db = await openDatabase({ url: server.url });
    try {
      // The server ends this connection mid-transaction: the statement fails, and so does the ROLLBACK.
      await expect(db.transaction((tx) => tx.query('SELECT pg_terminate_backend(pg_backend_pid())'))).rejects.toThrow(/terminat/);
      for (let i = 0; i < 6; i++) expect((await db.query<{ n: number }>('SELECT $1::int AS n', [i])).rows).toEqual([{ n: i }]);
    } finally {
      await db.close();
    }
  });
});

describe('openDatabase on a server that drops an idle connection (a restart, an idle timeout)', () => {
  it('keeps running: the pool forgets the connection and the next query opens another', async () => {
    const db = await openDatabase({ url: server.url });
    const admin = await openDatabase({ url: server.url });
    try {
      const { pid } = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!;
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // Let the pool hear of it (its 'error' event), as it would between two requests of an app.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const again = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!;
      expect(again.pid).not.toBe(pid);
    } finally {
      await db.close();
      await admin.close();
    }
  });
});

describe('openDatabase errors', () => {
  it('says which server it could not use, without the password', async () => {
    const url = 'postgres://app:s3cret-pass@127.0.0.1:1/nowhere';
    const error = await openDatabase({ url }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error?.message).toMatch(/^cannot use PostgreSQL at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/nowhere: /);
    expect(error?.message).not.toContain('s3cret-pass');
  });

  it('masks passwords in labels, and never echoes a URL that does not parse', () => {
    expect(redactUrl('postgres://u:pw@localhost/db')).toBe('postgres://u:***@localhost/db');
    expect(redactUrl('postgres://u@localhost/db')).toBe('postgres://u@localhost/db');
    expect(redactUrl('not a url with pw')).not.toContain('pw');
  });
});
