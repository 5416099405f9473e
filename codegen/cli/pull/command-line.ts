/**
 * `--mcp "<command line>"` as a program and its arguments, split as a POSIX shell splits words
 * (without expanding anything: no variables, globs or `~`, so the definitions record exactly what
 * was typed): blanks separate words; single quotes keep everything; double quotes keep everything
 * but `\"`, `\\`, `\$` and `` \` ``; a backslash outside quotes keeps the next character.
 */

/** A command line split into words, or why it cannot be. */
export type SplitCommandLine = { words: string[] } | { error: string };

/** Splits `line` into words (see above). */
export function splitCommandLine(line: string): SplitCommandLine {
  const words: string[] = [];
  let word = '';
  // Whether a word has started: `''` is an empty word, not nothing.
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { error: 'a single quote is not closed' };
      word += line.slice(i + 1, end);
      started = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) j++;
        word += line[j];
      }
      if (j >= line.length) return { error: 'a double quote is not closed' };
      started = true;
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return { error: 'the line ends with a backslash' };
      word += line[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += c;
      started = true;
    }
  }
  if (started) words.push(word);
  return words.length === 0 ? { error: 'it is empty' } : { words };
}

/** Words as a command line {@link splitCommandLine} splits back into them: each quoted only when it needs it. */
export function joinCommandLine(words: readonly string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}
