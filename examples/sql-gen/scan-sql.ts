/**
 * A small reader of PostgreSQL's lexical structure: enough to tell the code of a query from its
 * string constants, quoted identifiers and comments, so the safety checks (refuse-sql.ts) look at
 * keywords the server will really read, and not at `'delete me'` inside a string.
 *
 * It follows PostgreSQL's own scanner where that matters for safety: `''` inside a string,
 * backslash escapes only in `E'...'` strings (the check runs with `standard_conforming_strings`
 * on), dollar quoting (`$tag$...$tag$`) only where a token starts, nested block comments, `--`
 * comments ending at a newline or carriage return, and numbers that end where letters begin (so
 * `1E'x'` is the number 1 and an E string, as PostgreSQL 15 reads it).
 */

/** What a query is made of, as far as the checks are concerned. */
export interface ScannedSql {
  /** The code tokens, in order: words upper-cased, other symbols as they are (strings and comments left out). */
  readonly tokens: readonly string[];
  /** Where the code has a `;` (outside strings, identifiers and comments). */
  readonly codeSemicolon: boolean;
  /** Whether a string, quoted identifier or comment holds a `;`. */
  readonly quotedSemicolon: boolean;
  /** The names the quoted identifiers (`"pg_ls_dir"`) stand for, as written: they name functions and tables too. */
  readonly quotedIdentifiers: readonly string[];
  /** Whether an identifier is written with Unicode escapes (`U&"\0070g_..."`), whose name only the server decodes. */
  readonly unicodeIdentifier: boolean;
  /** Set when the text cannot be read: an unterminated string, identifier or comment. */
  readonly error?: string;
}

/** A character that may start a PostgreSQL identifier (letters, `_`, anything past ASCII). */
function identStart(c: string | undefined): boolean {
  return c !== undefined && (/[A-Za-z_]/.test(c) || c.charCodeAt(0) > 127);
}

/** A character that may continue an identifier (also digits and `$`). */
function identPart(c: string | undefined): boolean {
  return c !== undefined && (identStart(c) || /[0-9$]/.test(c));
}

/** Splits a query into code tokens, skipping strings, quoted identifiers and comments. */
export function scanSql(sql: string): ScannedSql {
  const tokens: string[] = [];
  let codeSemicolon = false;
  let quotedSemicolon = false;
  const quotedIdentifiers: string[] = [];
  let unicodeIdentifier = false;
  const fail = (error: string): ScannedSql => ({ tokens, codeSemicolon, quotedSemicolon, quotedIdentifiers, unicodeIdentifier, error });
  /** Notes a skipped literal's text, and what follows it. */
  const skipped = (from: number, to: number): number => {
    if (sql.slice(from, to).includes(';')) quotedSemicolon = true;
    return to;
  };

  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/[ \t\n\r\f\v]/.test(c)) {
      // PostgreSQL's whitespace only: anything else past ASCII belongs to an identifier.
      i++;
    } else if (c === '-' && next === '-') {
      let end = i + 2;
      while (end < sql.length && sql[end] !== '\n' && sql[end] !== '\r') end++;
      i = skipped(i, end);
    } else if (c === '/' && next === '*') {
      // Block comments nest in PostgreSQL: /* a /* b */ still inside */.
      let depth = 1;
      let end = i + 2;
      while (end < sql.length && depth > 0) {
        if (sql[end] === '/' && sql[end + 1] === '*') (depth++, (end += 2));
        else if (sql[end] === '*' && sql[end + 1] === '/') (depth--, (end += 2));
        else end++;
      }
      if (depth > 0) return fail('a /* comment is not closed');
      i = skipped(i, end);
    } else if (c === "'") {
      // An E'...' string if the token just before is the single letter E, written right against the quote.
      const previous = tokens[tokens.length - 1];
      const escapes = previous === 'E' && /[eE]/.test(sql[i - 1] ?? '');
      if (escapes) tokens.pop();
      const end = quotedEnd(sql, i, "'", escapes);
      if (end < 0) return fail('a string constant is not closed');
      tokens.push("'…'");
      i = skipped(i, end);
    } else if (c === '"') {
      const end = quotedEnd(sql, i, '"', false);
      if (end < 0) return fail('a quoted identifier is not closed');
      quotedIdentifiers.push(sql.slice(i + 1, end - 1).replace(/""/g, '"'));
      // U&"..." (the U and & written right against the quote): escapes the text checks cannot read.
      if (sql[i - 1] === '&' && /[uU]/.test(sql[i - 2] ?? '')) unicodeIdentifier = true;
      tokens.push('"…"');
      i = skipped(i, end);
    } else if (c === '$' && /[0-9]/.test(next ?? '')) {
      let end = i + 1;
      while (/[0-9]/.test(sql[end] ?? '')) end++;
      tokens.push(sql.slice(i, end));
      i = end;
    } else if (c === '$') {
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i))?.[0];
      if (tag === undefined) {
        tokens.push(c);
        i++;
        continue;
      }
      const close = sql.indexOf(tag, i + tag.length);
      if (close < 0) return fail(`a ${tag}-quoted string is not closed`);
      tokens.push("'…'");
      i = skipped(i, close + tag.length);
    } else if (identStart(c)) {
      let end = i + 1;
      while (identPart(sql[end])) end++;
      tokens.push(sql.slice(i, end).toUpperCase());
      i = end;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(next ?? ''))) {
      const number = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(sql.slice(i))![0];
      tokens.push(number);
      i += number.length;
    } else {
      if (c === ';') codeSemicolon = true;
      tokens.push(c);
      i++;
    }
  }
  return { tokens, codeSemicolon, quotedSemicolon, quotedIdentifiers, unicodeIdentifier };
}

/**
 * The index just past the closing quote of the literal opening at `start`, or -1 when it is not
 * closed. A doubled quote stands for itself; with `escapes`, so does a backslashed character.
 */
function quotedEnd(sql: string, start: number, quote: string, escapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (escapes && c === '\\') i += 2;
    else if (c === quote && sql[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return -1;
}
