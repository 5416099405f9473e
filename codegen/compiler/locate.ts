/**
 * Building located problems: turns a file and a JSON pointer into `file:line:col`.
 */
import type { Problem, ProblemCode, Severity } from './problems.js';
import type { LoadedFile } from './load.js';

/** Where a problem points: a key (unknown key, bad name) or a value (wrong type, bad value). */
export type Anchor = 'key' | 'value';

/** A problem located at `pointer` in `file`. */
export function problemAt(
  file: Pick<LoadedFile, 'display' | 'positions'>,
  pointer: string,
  code: ProblemCode,
  message: string,
  options: { anchor?: Anchor; severity?: Severity } = {},
): Problem {
  const pos = file.positions.find(pointer, options.anchor ?? 'value');
  return {
    code,
    message,
    file: file.display,
    line: pos.line,
    col: pos.col,
    pointer,
    severity: options.severity ?? 'error',
  };
}

/**
 * A problem about the part of the string at `pointer` (`text`) that starts with the `{` at
 * `index` (a placeholder): located where that `{` is written, inside the string.
 */
export function problemInString(
  file: Pick<LoadedFile, 'display' | 'positions'>,
  pointer: string,
  text: string,
  index: number,
  code: ProblemCode,
  message: string,
): Problem {
  const pos = file.positions.findBrace(pointer, text, index);
  return { code, message, file: file.display, line: pos.line, col: pos.col, pointer, severity: 'error' };
}
