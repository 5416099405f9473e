/**
 * examples/sql-gen on the embedded default: PGlite in this process (no server, no key). The
 * tests themselves are in sql-gen.helpers.ts, shared with the PostgreSQL server's run.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../examples/db/database.js';
import { explainReadOnly } from '../../examples/sql-gen/check-sql.js';
import { countRecords, prepareRecords } from '../../examples/sql-gen/schema.js';
import { describeSqlCheckOn } from './sql-gen.helpers.js';

describeSqlCheckOn(
  'PGlite',
  () => openDatabase({ url: undefined }),
  (db) => db.close(),
);

describe('the SQL example on PGlite, past the text checks', () => {
  it('refuses two statements in one EXPLAIN (PGlite sends queries as prepared statements)', async () => {
    const db = await openDatabase({ url: undefined });
    try {
      await prepareRecords(db);
      await expect(explainReadOnly(db, 'SELECT 1; COMMIT; DELETE FROM records')).rejects.toMatchObject({ code: '42601' });
      expect(await countRecords(db)).toBe(8);
    } finally {
      await db.close();
    }
  });
});
