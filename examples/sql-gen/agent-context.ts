/** The sql_gen agent's context on a database: the records table's DDL, today's date there, and the examples. */
import type { SqlGenContext } from '../../generated/agents/sql-gen.js';
import type { Database } from '../db/database.js';
import { SQL_EXAMPLES } from './examples.js';
import { RECORDS_DDL } from './schema.js';

/** The context every request runs with; today is the database's (the records are dated by it). */
export async function sqlGenContext(db: Database): Promise<SqlGenContext> {
  const today = (await db.query<{ today: string }>('SELECT CURRENT_DATE::text AS today')).rows[0]!.today;
  return { db_schema: RECORDS_DDL, today, examples: [...SQL_EXAMPLES] };
}
