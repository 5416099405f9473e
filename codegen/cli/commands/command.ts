/**
 * The shape of a command of the `schemantic` command line: its help, its flags, and what it runs.
 * The command line (main.ts) parses the flags, handles `--help`, loads the configuration and calls
 * `run`; each command lives in its own module under commands/.
 */
import type { Config } from '../config.js';
import type { Io } from './output.js';

/** Parsed flags: strings for valued flags, booleans for switches. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** What a command runs with. */
export interface CommandContext {
  /** The working directory (folders in flags and the config are relative to it). */
  cwd: string;
  io: Io;
  config: Config;
}

/** One command. */
export interface Command {
  name: string;
  /** The whole `--help` text. */
  help: string;
  /** Its flags (`--help` is added to every command). */
  options: Record<string, { type: 'string' | 'boolean'; short?: string }>;
  /** A mistake in how the flags are combined, said in one line; undefined when they are fine. */
  misuse?(values: OptionValues): string | undefined;
  /** Runs the command; resolves with the exit code. */
  run(values: OptionValues, ctx: CommandContext): Promise<number>;
}

/** A valued flag as a string (parseArgs gives strings for `type: 'string'`). */
export function stringFlag(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The string flags among `names` that were given, as ` --schemas X --out Y`: repeated in the
 * command a `--check` failure suggests, so the fix names the same folders.
 */
export function givenFlags(values: OptionValues, names: readonly string[]): string {
  return names.map((name) => (stringFlag(values, name) !== undefined ? ` --${name} ${stringFlag(values, name)}` : '')).join('');
}
