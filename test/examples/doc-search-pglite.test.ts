/**
 * examples/doc-search's store on PGlite (PostgreSQL in this process, with pgvector): the shared
 * tests of doc-search.helpers.ts on one in-memory database.
 */
import { openDatabase } from '../../examples/db/database.js';
import { describeDocStoreOn } from './doc-search.helpers.js';

describeDocStoreOn(
  'PGlite',
  () => openDatabase({ url: undefined, vector: true }),
  (db) => db.close(),
);
