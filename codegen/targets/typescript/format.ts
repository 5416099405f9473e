/**
 * Stage 9, format: one layout for every generated file. TypeScript is re-indented from its
 * bracket structure (json-schema-to-typescript's output is unindented, templates are indented by
 * hand); every file gets `\n` line ends, no trailing spaces, single blank lines and a final newline.
 *
 * A full formatter (Prettier) costs several milliseconds per file; this costs microseconds, and the
 * code it formats is ours, so its grammar is small: no regular expressions, no template literals.
 */
import { compareText } from '../../compiler/problems.js';

/** Formats every file; keys are paths, which decide the language. */
export function format(files: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, text] of [...files].sort(([a], [b]) => compareText(a, b))) {
    out.set(path, tidy(reindent(text)));
  }
  return out;
}

/**
 * `text` as it reads back once written as UTF-8: each lone surrogate (a definition can hold one
 * through a JSON `\ud800` escape, and comments carry descriptions and patterns as they are)
 * becomes U+FFFD, which is what encoding it writes. Comparing a tree with the files on disk then
 * finds them equal, instead of finding the same file changed on every run.
 */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Normalises line ends, trailing spaces and blank lines. */
export function tidy(text: string): string {
  return (
    wellFormed(text)
      .replace(/\r\n?/g, '\n')
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/\{\n\n/g, '{\n')
      .replace(/\n\n(\s*\})/g, '\n$1')
      .replace(/^\n+/, '')
      .trimEnd() + '\n'
  );
}

/**
 * Re-indents code by two spaces per open bracket, skipping strings and comments. Lines that hold a
 * regular expression literal (Ajv inlines format regexes as `const formats0 = /.../u;`) are
 * indented but not scanned: a regex cannot be told from a division by looking at one line.
 */
export function reindent(code: string): string {
  let depth = 0;
  let inComment = false;
  const out: string[] = [];
  for (const raw of code.split('\n')) {
    const line = raw.trim();
    if (line === '') {
      out.push('');
      continue;
    }
    if (inComment) {
      out.push('  '.repeat(depth) + (line.startsWith('*') ? ' ' : '   ') + line);
      inComment = !closesComment(line);
      continue;
    }
    let closers = 0;
    while (closers < line.length && '}])'.includes(line[closers]!)) closers++;
    out.push('  '.repeat(Math.max(0, depth - closers)) + line);
    if (REGEX_LINE.test(line)) continue;
    const scan = scanLine(line);
    depth = Math.max(0, depth + scan.delta);
    inComment = scan.openComment;
  }
  return out.join('\n');
}

const REGEX_LINE = /^const \w+ = \/.*\/[a-z]*;$/;

function closesComment(line: string): boolean {
  return line.includes('*/');
}

/** Bracket balance of one line, and whether it ends inside a block comment. */
function scanLine(line: string): { delta: number; openComment: boolean } {
  let delta = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '/' && line[i + 1] === '/') break;
    if (c === '/' && line[i + 1] === '*') {
      const end = line.indexOf('*/', i + 2);
      if (end < 0) return { delta, openComment: true };
      i = end + 1;
    } else if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < line.length && line[i] !== c) i += line[i] === '\\' ? 2 : 1;
    } else if (c === '{' || c === '(' || c === '[') {
      delta++;
    } else if (c === '}' || c === ')' || c === ']') {
      delta--;
    }
  }
  return { delta, openComment: false };
}
