/**
 * examples/sql-gen: what the SQL check refuses from the text alone, before any database sees it
 * (refuse-sql.ts, scan-sql.ts). The same cases go through the database in sql-gen.helpers.ts.
 */
import { describe, expect, it } from 'vitest';
import { MAX_SQL_LENGTH, normaliseSql, whyRefused } from '../../examples/sql-gen/refuse-sql.js';
import { scanSql } from '../../examples/sql-gen/scan-sql.js';
import { HOSTILE_QUERIES } from './sql-gen.helpers.js';

describe('normaliseSql', () => {
  it('strips whitespace, a ```sql fence and trailing semicolons', () => {
    expect(normaliseSql('  SELECT 1 ;  \n')).toBe('SELECT 1');
    expect(normaliseSql('```sql\nSELECT *\nFROM records;\n```')).toBe('SELECT *\nFROM records');
    expect(normaliseSql('```\nSELECT 1;;\n```\n')).toBe('SELECT 1');
  });

  it('keeps a semicolon that is not at the end', () => {
    expect(normaliseSql('SELECT 1; DROP TABLE records;')).toBe('SELECT 1; DROP TABLE records');
  });
});

describe('scanSql', () => {
  it('tells code from strings, quoted identifiers and comments', () => {
    const scanned = scanSql(`SELECT "delete", 'drop' -- update\nFROM records /* insert /* nested */ still */ WHERE x = $$;$$`);
    expect(scanned.tokens).toEqual(['SELECT', '"…"', ',', "'…'", 'FROM', 'RECORDS', 'WHERE', 'X', '=', "'…'"]);
    expect(scanned.codeSemicolon).toBe(false);
    expect(scanned.quotedSemicolon).toBe(true);
  });

  it('reads backslash escapes only in E strings, as PostgreSQL does', () => {
    // Standard string: '\' is a backslash, and the ; after it is code.
    expect(scanSql("SELECT '\\'; DROP TABLE records; --'").codeSemicolon).toBe(true);
    // E string: \' is a quote, and the whole rest is one string.
    const e = scanSql("SELECT E'\\'; DROP TABLE records; --'");
    expect(e.codeSemicolon).toBe(false);
    expect(e.tokens).toEqual(['SELECT', "'…'"]);
    // A number right before E: PostgreSQL 15 reads 1 then an E string.
    expect(scanSql("SELECT 1E'\\''").tokens).toEqual(['SELECT', '1', "'…'"]);
  });

  it('reports what is not closed', () => {
    expect(scanSql("SELECT 'abc").error).toMatch(/string constant is not closed/);
    expect(scanSql('SELECT "abc').error).toMatch(/quoted identifier is not closed/);
    expect(scanSql('SELECT 1 /* /* */').error).toMatch(/comment is not closed/);
    expect(scanSql('SELECT $x$abc').error).toMatch(/\$x\$-quoted string is not closed/);
  });
});

describe('whyRefused', () => {
  it('accepts single reads, with keywords inside strings and comments', () => {
    for (const sql of [
      "SELECT * FROM records WHERE message ILIKE '%delete%'",
      '-- errors first\nSELECT level, count(*) FROM records GROUP BY level',
      "WITH recent AS (SELECT * FROM records WHERE start_timestamp > now() - INTERVAL '1 hour') SELECT count(*) FROM recent",
      'select "span_name" from records where tags @> array[\'http\']',
      "SELECT CASE WHEN is_exception THEN 'boom' ELSE 'fine' END FROM records",
    ]) {
      expect(whyRefused(sql), sql).toBeUndefined();
    }
  });

  it.each(HOSTILE_QUERIES)('refuses $name', ({ sql, reason }) => {
    expect(whyRefused(normaliseSql(sql))).toMatch(reason);
  });

  it('bounds the length', () => {
    expect(whyRefused(`SELECT ${'1 + '.repeat(MAX_SQL_LENGTH)}1`)).toMatch(/characters long/);
  });
});
