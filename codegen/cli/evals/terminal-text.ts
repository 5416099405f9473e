/**
 * Text for a terminal, measured and cut to fit. Everything in a report came from datasets, models
 * and evaluators, so a name or a reason may hold escape sequences (`\u001b[2J` clears the screen,
 * OSC 8 makes links) or bidirectional overrides that reorder what is shown: those are written as
 * visible escapes, never passed through.
 */

/** C0 and C1 controls, DEL, line and paragraph separators, bidi marks and overrides and isolates. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** A surrogate without its pair: not a character, and not printable. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `text` on one line and safe to print: tabs and line ends become spaces, every other control or
 * bidi character its `\u001b` escape, a lone surrogate U+FFFD.
 */
export function terminalText(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(CONTROL, (c) => (c === '\t' || c === '\n' || c === '\r' ? ' ' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Characters a terminal draws in no column of their own: combining marks, joiners, variation selectors. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200d\u2060\ufe00-\ufe0f]$/u;

/** East Asian wide and fullwidth ranges, and emoji: two columns each. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  return isWide(ch.codePointAt(0)!) ? 2 : 1;
}

/** Columns `text` takes on a terminal (text without escape sequences: colour is added after padding). */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width;
}

/** The longest start of `text` that fits in `width` columns. */
function fitStart(chars: string[], width: number): string {
  let out = '';
  let used = 0;
  for (const ch of chars) {
    const w = charWidth(ch);
    if (used + w > width) break;
    out += ch;
    used += w;
  }
  return out;
}

/**
 * `text` cut to `width` columns with an ellipsis: at the end, or in the middle, which keeps the
 * end of names that differ only there (`llmJudge.pass`, `llmJudge.score`).
 */
export function truncate(text: string, width: number, where: 'end' | 'middle' = 'end'): string {
  if (textWidth(text) <= width) return text;
  if (width <= 1) return width === 1 ? '…' : '';
  const chars = [...text];
  if (where === 'end') return fitStart(chars, width - 1) + '…';
  const tail = Math.floor((width - 1) / 2);
  const head = fitStart(chars, width - 1 - tail);
  const end = [...fitStart([...chars].reverse(), tail)].reverse().join('');
  return head + '…' + end;
}

/** `text` padded with spaces to `width` columns (numbers align right). */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - textWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}
