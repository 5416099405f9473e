/**
 * What the SQL check refuses before the database sees anything: the example only ever sends
 * `EXPLAIN <query>` to PostgreSQL, and that is harmless only if `<query>` is one plain read. So a
 * query must be a single `SELECT` (or `WITH ... SELECT`) statement: no `;` (a second statement
 * would run after the EXPLAIN, and a `COMMIT` in it would end the read-only transaction), nothing
 * that writes (`WITH x AS (DELETE ...)`, `SELECT ... INTO`), nothing that would turn the EXPLAIN
 * into a run (`ANALYZE ...` right after it), and nothing but the records table (no `pg_*`
 * functions or catalogs). Each refusal is a sentence the model can act on: it goes back to the
 * model as a retry prompt.
 */
import { scanSql } from './scan-sql.js';

/** Longer than any query the records table needs: a bound on what the check reads and sends. */
export const MAX_SQL_LENGTH = 10_000;

/** Words that only appear in statements that write, lock, or run something. */
const WRITING_WORDS = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'TRUNCATE',
  'DROP',
  'ALTER',
  'CREATE',
  'GRANT',
  'REVOKE',
  'COPY',
  'CALL',
  'DO',
  'EXPLAIN',
  'ANALYZE',
  'ANALYSE',
  'VACUUM',
  'LOCK',
  'LISTEN',
  'NOTIFY',
  'PREPARE',
  'EXECUTE',
  'DEALLOCATE',
  'REFRESH',
  'REINDEX',
  'CLUSTER',
  'COMMENT',
  'SECURITY',
  'IMPORT',
  'CHECKPOINT',
]);

/**
 * Names that reach beyond the records table: the server's functions and catalogs (`pg_*`, large
 * objects, dblink, information_schema, set_config), and the functions that run a query given as a
 * string, which the text checks cannot read (`query_to_xml('select ...')`, `table_to_xml`,
 * `database_to_xml`... and `ts_stat`, `ts_rewrite`).
 */
function offLimits(name: string): boolean {
  return /^(PG_|LO_|DBLINK)/.test(name) || /_TO_XML/.test(name) || ['INFORMATION_SCHEMA', 'SET_CONFIG', 'TS_STAT', 'TS_REWRITE'].includes(name);
}

/**
 * The query text a model meant: without the surrounding whitespace, a Markdown code fence
 * (```sql ... ```) and trailing semicolons, which models add out of habit.
 */
export function normaliseSql(text: string): string {
  let sql = text.trim();
  const fenced = /^```[A-Za-z]*[ \t]*\r?\n?([\s\S]*?)\r?\n?```$/.exec(sql);
  if (fenced) sql = fenced[1]!.trim();
  return sql.replace(/[\s;]+$/, '');
}

/**
 * Why a (normalised) query may not be sent to the database, in words for the model; undefined
 * when it is a single read-only SELECT as far as its text shows.
 */
export function whyRefused(sql: string): string | undefined {
  if (sql === '') return 'The query is empty: write a SELECT query.';
  if (sql.length > MAX_SQL_LENGTH) return `The query is ${sql.length} characters long; keep it under ${MAX_SQL_LENGTH}.`;
  // A NUL would end the query text early on the wire; other control characters have no place in SQL.
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(sql)) return 'The query contains control characters: write plain SQL text.';
  const scanned = scanSql(sql);
  if (scanned.error !== undefined) return `The query cannot be read: ${scanned.error}.`;
  if (scanned.codeSemicolon) return 'Send exactly one statement: the query contains a ";" that starts another one.';
  if (scanned.quotedSemicolon) return 'Write ";" inside a string as chr(59), and leave it out of comments: the query text may not contain ";".';
  const first = scanned.tokens[0];
  if (first !== 'SELECT' && first !== 'WITH') return `Please create a SELECT query (this one starts with ${JSON.stringify(first ?? '')}).`;
  const writing = scanned.tokens.find((token) => WRITING_WORDS.has(token));
  if (writing !== undefined) return `The query must only read records, and ${writing} does more than that: write a plain SELECT.`;
  if (scanned.tokens.includes('INTO')) return 'SELECT ... INTO creates a table: return the rows instead.';
  if (scanned.unicodeIdentifier) return 'Write identifiers plainly, without U&"..." escapes.';
  // Quoted identifiers name functions and tables as well as words do: `"pg_ls_dir"('.')` is pg_ls_dir.
  const names = [...scanned.tokens, ...scanned.quotedIdentifiers.map((name) => name.toUpperCase())];
  const outside = names.find(offLimits);
  if (outside !== undefined) return `The query may only read the records table; ${outside.toLowerCase()} is off limits.`;
  return undefined;
}
