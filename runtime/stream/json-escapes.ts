/**
 * Character classes of JSON text for the incremental parser (partial-json.ts): whitespace, the
 * one-letter string escapes, hex digits of `\uXXXX`.
 */

/** The decoded character of a one-letter escape (`\n`), by the letter's code. */
export const ESCAPED: string[] = [];
for (const [letter, decoded] of Object.entries({ '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }))
  ESCAPED[letter.charCodeAt(0)] = decoded;

/** Whether a character code is JSON whitespace (space, tab, line feed, carriage return). */
export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The value of a hex digit, or -1. */
export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}
