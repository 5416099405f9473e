/**
 * The definitions a command works from (export, docs, diff): the configured folder, analysed up to
 * the IR, with its problems printed. Shared so that every command says the same things about a
 * missing folder or broken definitions.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Analysis } from '../../compiler/analyze.js';
import { compareProblems, hasErrors } from '../../compiler/problems.js';
import { folderReader, type SourceReader } from '../../compiler/source-reader.js';
import { countProblems, ms, printProblems, type Io } from './output.js';

/** `dir` relative to `cwd`, with `/` separators (`.` for cwd itself). */
export function shownPath(cwd: string, dir: string): string {
  return path.relative(cwd, path.resolve(cwd, dir)).split(path.sep).join('/') || '.';
}

/** True when `abs` is an existing folder. */
export async function isDirectory(abs: string): Promise<boolean> {
  return (await stat(abs).catch(() => undefined))?.isDirectory() ?? false;
}

/** True when `inner` is `outer` or inside it. */
export function within(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The line every command prints when the definitions folder (shown as `shown`) is missing. */
export function noDefinitionsFolder(shown: string): string {
  return `schemantic: no definitions folder at ${shown}: create it, pass --schemas DIR, or set "schemas" in schemantic.config.json`;
}

/**
 * Analyses the definitions under `schemas` (relative to `cwd`), or those `reader` gives. Prints
 * every problem; returns undefined (after a one-line verdict naming `command`) when the folder is
 * missing or the definitions have errors, since nothing can be made from them then.
 */
export async function readDefinitions(
  command: string,
  settings: { cwd: string; schemas: string; reader?: SourceReader; display?: string },
  io: Io,
  start: number,
): Promise<Analysis | undefined> {
  const abs = path.resolve(settings.cwd, settings.schemas);
  const shown = settings.display ?? shownPath(settings.cwd, settings.schemas);
  if (!settings.reader && !(await isDirectory(abs))) {
    io.err(noDefinitionsFolder(shown));
    return undefined;
  }
  // Loaded here: the parser and the validators are most of a command's start-up.
  const { analyze } = await import('../../compiler/analyze.js');
  const analysis = await analyze({ reader: settings.reader ?? folderReader(abs), displayPrefix: shown });
  analysis.problems.sort(compareProblems);
  printProblems(io, analysis.problems);
  if (hasErrors(analysis.problems)) {
    io.err(`${command}: ${countProblems(analysis.problems)} in ${shown}/; fix them first (${ms(performance.now() - start)})`);
    return undefined;
  }
  return analysis;
}
