/**
 * examples/doc-search's store on a real PostgreSQL server (the suite's PostgreSQL 15 with
 * pgvector, on 127.0.0.1:54329): the same tests as on PGlite (doc-search.helpers.ts), in a
 * database made for them and dropped afterwards. Fails, rather than skips, when the server is not
 * running or has no pgvector.
 */
import { openDatabase } from '../../examples/db/database.js';
import { freshDatabase, type TestDatabase } from '../helpers/postgres.js';
import { describeDocStoreOn } from './doc-search.helpers.js';

let server: TestDatabase | undefined;

describeDocStoreOn(
  'PostgreSQL',
  async () => {
    server = await freshDatabase('docsearch');
    return openDatabase({ url: server.url, vector: true });
  },
  async (db) => {
    await db.close();
    await server?.drop();
  },
);
