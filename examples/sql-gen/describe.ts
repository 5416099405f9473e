/**
 * How the SQL example words what happens, for a newcomer reading the terminal: each attempt's
 * query and what the check said of it, and the rows a query returned.
 */
import type { SqlCheck } from './check-sql.js';

/** A query on one line, shortened past `max` characters. */
export function oneLine(sql: string, max = 160): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The lines that tell one check: the query of attempt `attempt`, and the verdict. */
export function describeCheck(check: SqlCheck, attempt: number): string[] {
  const lines = [`  attempt ${attempt}: the model wrote ${oneLine(check.sql)}`];
  if (check.ok) {
    lines.push(`    EXPLAIN accepted it; PostgreSQL would run it as: ${check.plan[0]?.trim() ?? '(no plan)'}`);
  } else {
    const who =
      check.by === 'postgres'
        ? 'EXPLAIN failed, PostgreSQL said'
        : check.by === 'plan'
          ? 'EXPLAIN showed it reads another table'
          : 'refused before reaching the database';
    lines.push(`    ${who}: ${check.reason}`);
    lines.push('    -> sent back to the model as a retry prompt');
  }
  return lines;
}

/** A value of a row as text: dates in ISO form, arrays and objects as JSON. */
function cell(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/** Rows as indented `column: value` lines, one row a line. */
export function describeRows(rows: readonly Record<string, unknown>[]): string[] {
  if (rows.length === 0) return ['    (no rows)'];
  return rows.map(
    (row) =>
      `    ${Object.entries(row)
        .map(([column, value]) => `${column}: ${cell(value)}`)
        .join(' | ')}`,
  );
}
