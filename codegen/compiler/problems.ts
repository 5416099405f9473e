/**
 * Problems: everything the generator finds wrong with a set of definitions.
 *
 * Stages never throw on bad input; they add problems to a collector so that one run reports
 * every problem at once. Codes are stable: tests and users' tooling match on them.
 */

/** The stable codes a problem can carry. Adding a code is fine; renaming one is a breaking change. */
export type ProblemCode =
  | 'yaml-syntax'
  | 'duplicate-key'
  | 'not-json'
  | 'unknown-key'
  | 'wrong-type'
  | 'missing-key'
  | 'invalid-value'
  | 'unsupported-spec'
  | 'invalid-schema'
  | 'dangling-ref'
  | 'ref-cycle'
  | 'duplicate-name'
  | 'name-collision'
  | 'reserved-name'
  | 'invalid-name'
  | 'unknown-placeholder'
  | 'unknown-tool'
  | 'unknown-mcp-server'
  | 'unknown-mcp-tool'
  | 'cyclic-delegation'
  | 'unknown-node'
  | 'unknown-agent'
  | 'unreachable-node'
  | 'dead-end-node'
  | 'cycle-without-exit'
  | 'unsupported-keyword'
  | 'unknown-keyword'
  | 'unknown-format'
  | 'not-an-object'
  | 'output-name'
  | 'not-strict'
  | 'not-gemini'
  | 'io-error'
  | 'config-error'
  // Eval datasets (evals/*.yaml), checked against the agents they evaluate.
  | 'eval-unknown-agent'
  | 'eval-duplicate-case'
  | 'eval-duplicate-dataset'
  | 'eval-invalid-name'
  | 'eval-invalid-context'
  | 'eval-invalid-expected'
  | 'eval-invalid-history'
  | 'eval-unknown-evaluator'
  | 'eval-invalid-evaluator'
  | 'eval-unknown-tool'
  | 'eval-unknown-member'
  | 'eval-unknown-pointer'
  | 'eval-invalid-schema'
  | 'eval-invalid-regex'
  | 'eval-no-expected';

/** How bad a problem is: errors stop the run before anything is written, warnings do not. */
export type Severity = 'error' | 'warning';

/** One problem, located in a source file. */
export interface Problem {
  /** Stable machine-readable code, e.g. `unknown-key`. */
  code: ProblemCode;
  /** One line saying what is wrong (and, where it helps, what to do). */
  message: string;
  /** Path of the source file, relative to the working directory, with `/` separators. */
  file: string;
  /** 1-based line of the offending key or value (0 when the whole file is meant). */
  line: number;
  /** 1-based column of the offending key or value (0 when the whole file is meant). */
  col: number;
  /** JSON pointer of the offending key or value inside the file (`''` for the document). */
  pointer: string;
  /** `error` stops the run; `warning` is reported and the run goes on. */
  severity: Severity;
}

/** A position in a source file. */
export interface SourcePos {
  line: number;
  col: number;
}

/** Orders problems by file, then position, then code, so reports are stable. */
export function compareProblems(a: Problem, b: Problem): number {
  return compareText(a.file, b.file) || a.line - b.line || a.col - b.col || compareText(a.code, b.code) || compareText(a.message, b.message);
}

/** Orders strings by UTF-16 code units (as `<` does), independent of locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Formats one problem as `file:line:col severity code pointer: message`. */
export function formatProblem(p: Problem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
  const pointer = p.pointer === '' ? '' : ` ${p.pointer}`;
  return `${where} ${p.severity} ${p.code}${pointer}: ${p.message}`;
}

/** True when any problem is an error. */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

export { escapePointerSegment, fromPointer, toPointer, unescapePointerSegment } from 'schemantic/internal';

/** A file of the definitions (or of the datasets) that could not be read: one `io-error`, at the file. */
export function unreadableFile(file: string, err: unknown): Problem {
  return { code: 'io-error', message: `cannot read file: ${(err as Error).message}`, file, line: 0, col: 0, pointer: '', severity: 'error' };
}
