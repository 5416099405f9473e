/**
 * The only ways text from the definitions reaches a documentation page. Descriptions and
 * instructions are user text: read as markdown for what stays inside a line (code spans, emphasis,
 * links), but nothing in them may change the page's structure: no HTML, no table cell split, no
 * heading, list or fence started, no code span of ours swallowed.
 */

/** Every line end markdown or an editor may treat as one, as `\n`. */
function normalizeLineEnds(text: string): string {
  return text.replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n');
}

/** Characters this module rewrites in text: a backslash in front of one must not escape the rewritten form. */
const REWRITTEN = new Set(['\n', '<', '>', '&']);
const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/;

/** The length of the run of `ch` starting at `i`. */
function runLength(text: string, i: number, ch: string): number {
  let end = i;
  while (text[end] === ch) end++;
  return end - i;
}

/** Where the backtick run of exactly `length` that closes a code span opened before `from` starts, or -1. */
function closingRun(text: string, from: number, length: number): number {
  for (let i = from; i < text.length;) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    const run = runLength(text, i, '`');
    if (run === length) return i;
    i += run;
  }
  return -1;
}

/**
 * User text as inline markdown on one line: `<`, `>` and `&` become entities (so `<script>` is
 * shown, not run), line ends become `<br>`, and control characters spaces. Code spans are found as
 * CommonMark finds them and kept (their line ends become spaces, which is how markdown shows them
 * anyway); a backtick that opens nothing is escaped, so it cannot pair with a code span the page
 * puts after it. A backslash that would escape one of the rewritten characters (or whatever the page
 * puts after the text) is written as a literal backslash.
 */
export function inlineText(input: string): string {
  // NUL and the other C0 controls (tab and line feed aside) have no place on a page.
  const text = normalizeLineEnds(input)
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
    .trim();
  let out = '';
  for (let i = 0; i < text.length;) {
    const ch = text[i]!;
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === undefined || REWRITTEN.has(next)) {
        out += '\\\\';
        i++;
      } else if (ASCII_PUNCTUATION.test(next)) {
        // A markdown escape (`\*`, `\``), kept as written: it means what the author meant.
        out += ch + next;
        i += 2;
      } else {
        out += ch;
        i++;
      }
      continue;
    }
    if (ch === '`') {
      const run = runLength(text, i, '`');
      const close = closingRun(text, i + run, run);
      if (close < 0) {
        out += '\\`'.repeat(run);
        i += run;
      } else {
        out += text.slice(i, close + run).replace(/\n/g, ' ');
        i = close + run;
      }
      continue;
    }
    out += ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : ch === '\n' ? '<br>' : ch;
    i++;
  }
  return out;
}

/**
 * User text as a paragraph: {@link inlineText}, and a start that would begin a block (a heading,
 * a list item, a thematic break, a fence, a link reference definition) escaped, so the text stays
 * one paragraph whatever it says.
 */
export function paragraphText(input: string): string {
  const text = inlineText(input);
  if (/^#{1,6}(?:[ \t]|$)/.test(text) || /^[-+*](?:[ \t]|$)/.test(text) || /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(text)) return '\\' + text;
  if (/^~{3,}/.test(text) || /^\[(?:[^\]\\]|\\.)*\]:/.test(text)) return '\\' + text;
  const ordered = /^(\d{1,9})([.)])/.exec(text);
  if (ordered) return `${ordered[1]}\\${ordered[2]}${text.slice(ordered[0].length)}`;
  return text;
}

/**
 * Inline markdown placed in a table cell: every `|` escaped (GitHub's tables split cells before
 * reading code spans, and honour `\|` inside them too).
 */
export function escapePipes(markdown: string): string {
  return markdown.replace(/\|/g, '\\|');
}

/**
 * A code span of `text`, whatever it holds: the fence is one backtick longer than the longest run
 * inside, padded when the content starts or ends with a backtick (or would lose its outer spaces),
 * and control characters are shown as escapes (`\n`), since a code span cannot hold a line end.
 */
export function codeSpan(text: string): string {
  const content = text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  if (content === '') return '` `';
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * A fenced code block of `text`, shown exactly as written (instructions): the fence is longer than
 * any backtick run inside, so no line of the text can close it.
 */
export function fencedBlock(text: string, info: string): string {
  const content = normalizeLineEnds(text)
    .replace(/\u0000/g, '\ufffd')
    .replace(/\n+$/, '');
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${content}\n${fence}`;
}

/** Text inside an HTML comment (the banner): one line, and nothing that could end the comment. */
export function htmlCommentText(text: string): string {
  return normalizeLineEnds(text).replace(/\s+/g, ' ').replace(/>/g, '&gt;');
}
