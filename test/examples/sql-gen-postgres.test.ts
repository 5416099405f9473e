/**
 * examples/sql-gen on a real PostgreSQL server (the suite's, on 127.0.0.1:54329): the same tests
 * as on PGlite (sql-gen.helpers.ts), in a database made for them and dropped afterwards. Fails,
 * rather than skips, when the server is not running.
 */
import { openDatabase } from '../../examples/db/database.js';
import { freshDatabase, type TestDatabase } from '../helpers/postgres.js';
import { describeSqlCheckOn } from './sql-gen.helpers.js';

let server: TestDatabase | undefined;

describeSqlCheckOn(
  'PostgreSQL',
  async () => {
    server = await freshDatabase('sqlgen');
    return openDatabase({ url: server.url });
  },
  async (db) => {
    await db.close();
    await server?.drop();
  },
);
