/**
 * How commands talk to the terminal: problems to stderr, one summary line to stdout, colour only
 * on a terminal and never when NO_COLOR is set.
 */
import { formatProblem, type Problem } from '../../compiler/problems.js';
import type { WritePlan } from '../write.js';

/** Where a command writes. Injectable so tests can read what a command printed. */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Colour the problem lines (terminal without NO_COLOR). */
  color: boolean;
  /** Colour what goes to `out` (a report such as diff's): stdout is a terminal, or FORCE_COLOR, and no NO_COLOR. */
  outColor?: boolean;
  /**
   * Writes to stderr with no newline, to redraw a progress bar in place: set only when stderr is
   * a terminal (in a log, progress is whole lines through `err`).
   */
  progress?: (text: string) => void;
}

/** Streams whose reader has gone (`schemantic diff --rules | head`): nothing more is written to them. */
const closed = new Set<NodeJS.WriteStream>();

/**
 * Makes `stream` tolerate a reader that has closed it: the write that finds the pipe closed fails
 * with EPIPE, asynchronously, as an `error` event, which unhandled ends the process with a stack
 * trace. Here it just stops the output: the command finishes and exits with its own code. Any
 * other error stays fatal.
 */
function tolerateClosedPipe(stream: NodeJS.WriteStream): void {
  if (stream.listeners('error').includes(onStreamError)) return;
  stream.on('error', onStreamError);
}

function onStreamError(this: NodeJS.WriteStream, err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
    closed.add(this);
    return;
  }
  throw err;
}

function write(stream: NodeJS.WriteStream, line: string): void {
  if (closed.has(stream) || stream.destroyed) return;
  stream.write(line + '\n');
}

/** Writes to the process's streams. */
export function processIo(): Io {
  const env = process.env;
  const wanted = (tty: boolean | undefined) => !env['NO_COLOR'] && (Boolean(tty) || (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0'));
  tolerateClosedPipe(process.stdout);
  tolerateClosedPipe(process.stderr);
  return {
    out: (line) => write(process.stdout, line),
    err: (line) => write(process.stderr, line),
    color: wanted(process.stderr.isTTY),
    outColor: wanted(process.stdout.isTTY),
    ...(process.stderr.isTTY ? { progress: (text: string) => void (closed.has(process.stderr) || process.stderr.write(text)) } : {}),
  };
}

/** Prints every problem, one line each. */
export function printProblems(io: Io, problems: readonly Problem[]): void {
  for (const p of problems) {
    const line = formatProblem(p);
    if (!io.color) io.err(line);
    else io.err(line.replace(` ${p.severity} `, p.severity === 'error' ? ' \u001b[31merror\u001b[39m ' : ' \u001b[33mwarning\u001b[39m '));
  }
}

/** `3 errors, 1 warning`. */
export function countProblems(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const parts = [plural(errors, 'error')];
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  return parts.join(', ');
}

/** `1 file`, `2 files`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Milliseconds, rounded. */
export function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

/** `7 files (2 written, 5 unchanged, 0 removed)`: `files` generated files, and what a write did with them. */
export function describeWrite(files: number, plan: WritePlan): string {
  return `${plural(files, 'file')} (${plan.missing.length + plan.changed.length} written, ${plan.unchanged.length} unchanged, ${plan.extra.length} removed)`;
}
