/**
 * JSON numbers for the incremental parser (partial-json.ts): the grammar as a state table its hot
 * loop steps through, and a fast exact conversion of the text to its value.
 */

// Numbers: NUMBER_NEXT[numState * 6 + class] is the next number state, or -1 when the character
// cannot be there. Classes (NUMBER_CLASS): 0 '0', 1 '1'-'9', 2 '.', 3 'e'/'E', 4 '+', 5 '-';
// any other character ends the number. States: 0 start, 1 after '-', 2 a leading 0, 3 integer
// digits, 4 after '.', 5 fraction digits, 6 after 'e', 7 after the exponent's sign, 8 exponent
// digits. A number may end in states 2, 3, 5 and 8 only (NUMBER_COMPLETE, a bit set).
// prettier-ignore
export const NUMBER_NEXT = Int8Array.from([
  2, 3, -1, -1, -1, 1, //   start
  2, 3, -1, -1, -1, -1, //  after '-'
  -1, -1, 4, 6, -1, -1, //  leading 0: no digit may follow
  3, 3, 4, 6, -1, -1, //    integer digits
  5, 5, -1, -1, -1, -1, //  after '.'
  5, 5, -1, 6, -1, -1, //   fraction digits
  8, 8, -1, -1, 7, 7, //    after 'e'
  8, 8, -1, -1, -1, -1, //  after the exponent's sign
  8, 8, -1, -1, -1, -1, //  exponent digits
]);
export const NUMBER_COMPLETE = (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8);
export const NUMBER_CLASS = new Int8Array(128).fill(-1);
['0', '123456789', '.', 'eE', '+', '-'].forEach((chars, cls) => [...chars].forEach((ch) => (NUMBER_CLASS[ch.charCodeAt(0)] = cls)));

/** Powers of ten that a double holds exactly. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * The value of a valid JSON number. Number() is exact but slow on fresh strings; plain numbers of
 * at most 15 digits without an exponent are computed as integer / 10^k, two exact doubles and one
 * correctly rounded division (Clinger's fast path), which gives the same double as JSON.parse.
 */
export function numberValue(text: string): number {
  const n = text.length;
  const negative = text.charCodeAt(0) === 0x2d;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  for (let i = negative ? 1 : 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) scale = n - i - 1;
    else if (c > 0x39)
      return Number(text); // an exponent
    else {
      mantissa = mantissa * 10 + c - 0x30;
      digits++;
    }
  }
  if (digits > 15) return Number(text);
  const value = scale === 0 ? mantissa : mantissa / POW10[scale]!;
  return negative ? -value : value;
}
