/**
 * `schemantic generate`: run the pipeline and write the tree (or, with --check, compare it), once
 * or on every change (--watch).
 */
import path from 'node:path';
import { createPipelineCache, runPipeline, type PipelineCache, type PipelineResult } from '../../targets/typescript/pipeline.js';
import { hasErrors } from '../../compiler/problems.js';
import { folderReader, isDefinitionPath } from '../../compiler/load.js';
import { readGenerated, type DiskState } from '../write.js';
import { checkTree, describeWrite, within, writeTree, type TreeTarget } from './tree.js';
import { isDirectory, noDefinitionsFolder, shownPath } from './definitions.js';
import { stringFlag, type Command } from './command.js';
import { countProblems, ms, plural, printProblems, type Io } from './output.js';

/** Resolved settings of one generate command. */
export interface GenerateSettings {
  cwd: string;
  /** Definitions folder, as given (relative to cwd or absolute). */
  schemas: string;
  /** Output folder, as given. */
  out: string;
  /** Print each stage's time. */
  timings?: boolean;
}

/** Paths of a run, absolute and as shown. */
interface Paths {
  schemasAbs: string;
  outAbs: string;
  schemasShown: string;
  outShown: string;
}

function paths(s: GenerateSettings): Paths {
  const schemasAbs = path.resolve(s.cwd, s.schemas);
  const outAbs = path.resolve(s.cwd, s.out);
  return { schemasAbs, outAbs, schemasShown: shownPath(s.cwd, s.schemas), outShown: shownPath(s.cwd, s.out) };
}

/** Fails early, with one clear line, when the folders cannot work. */
async function preflight(p: Paths, io: Io): Promise<boolean> {
  if (!(await isDirectory(p.schemasAbs))) {
    io.err(noDefinitionsFolder(p.schemasShown));
    return false;
  }
  if (within(p.outAbs, p.schemasAbs)) {
    io.err(`schemantic: the output folder ${p.outShown} is inside the definitions folder ${p.schemasShown}; choose another --out`);
    return false;
  }
  return true;
}

async function pipeline(p: Paths, cache?: PipelineCache): Promise<PipelineResult> {
  return runPipeline({ reader: folderReader(p.schemasAbs), displayPrefix: p.schemasShown, ...(cache ? { cache } : { parallel: true }) });
}

function corpusSummary(result: PipelineResult): string {
  const ir = result.ir;
  return `${plural(ir?.agents.length ?? 0, 'agent')}, ${plural(ir?.tools.length ?? 0, 'tool')}, ${plural(ir?.types.length ?? 0, 'type')} from ${plural(result.fileCount, 'file')}`;
}

function printTimings(io: Io, result: PipelineResult): void {
  io.err(`timings: ${result.timings.map(([stage, t]) => `${stage} ${t.toFixed(1)} ms`).join(', ')}`);
}

/** One generate run. Returns the exit code. */
async function generateOnce(settings: GenerateSettings, io: Io): Promise<number> {
  const start = performance.now();
  const p = paths(settings);
  if (!(await preflight(p, io))) return 1;
  const result = await pipeline(p);
  printProblems(io, result.problems);
  if (settings.timings) printTimings(io, result);
  if (hasErrors(result.problems)) {
    io.err(`schemantic generate: ${countProblems(result.problems)}; nothing written (${ms(performance.now() - start)})`);
    return 1;
  }
  const writeStart = performance.now();
  const plan = await writeTree(target(p, 'schemantic generate'), result.files, io);
  if (!plan) return 1;
  if (settings.timings) io.err(`timings: write ${(performance.now() - writeStart).toFixed(1)} ms, total ${(performance.now() - start).toFixed(1)} ms`);
  io.out(`schemantic generate: ${corpusSummary(result)} -> ${p.outShown}/: ${describeWrite(result.files, plan)} in ${ms(performance.now() - start)}`);
  return 0;
}

/** `--check`: writes nothing; exit 1 with the differences when the tree is not up to date. */
async function checkOnce(settings: GenerateSettings, io: Io): Promise<number> {
  const start = performance.now();
  const p = paths(settings);
  if (!(await preflight(p, io))) return 1;
  const result = await pipeline(p);
  printProblems(io, result.problems);
  if (hasErrors(result.problems)) {
    io.err(`schemantic generate --check: ${countProblems(result.problems)} in the definitions (${ms(performance.now() - start)})`);
    return 1;
  }
  return checkTree(target(p, 'schemantic generate'), result.files, io, {
    fix: `npx schemantic generate${fixFlags(settings)}`,
    source: `${p.schemasShown}/`,
    elapsed: () => ms(performance.now() - start),
  });
}

function target(p: Paths, command: string): TreeTarget {
  return { outAbs: p.outAbs, outShown: p.outShown, command };
}

function fixFlags(settings: GenerateSettings): string {
  const flags: string[] = [];
  if (settings.schemas !== 'schemas') flags.push(`--schemas ${settings.schemas}`);
  if (settings.out !== 'generated') flags.push(`--out ${settings.out}`);
  return flags.length > 0 ? ' ' + flags.join(' ') : '';
}

/** A running watcher; `close()` stops it. */
export interface Watcher {
  close(): Promise<void>;
  /** Resolves after the run in progress (if any) and the pending one have finished. */
  settled(): Promise<void>;
}

/**
 * `--watch`: generate, then regenerate on every add, edit, delete and rename under the schemas
 * folder, debounced. An invalid edit prints its problems and leaves the tree as it was. Parsed
 * files, declarations and validators are cached by content between runs, and the tree last
 * written is remembered, so a one-file edit redoes only what it touches.
 */
export async function watch(settings: GenerateSettings, io: Io, options: { debounceMs?: number } = {}): Promise<Watcher> {
  const { watch: fsWatch } = await import('node:fs');
  const p = paths(settings);
  if (!(await preflight(p, io))) throw new Error('cannot watch');
  const cache = createPipelineCache();
  let disk: DiskState = await readGenerated(p.outAbs);
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let pending: Promise<void> | undefined;
  let resolvePending: (() => void) | undefined;

  const runOnce = async (): Promise<void> => {
    const start = performance.now();
    const result = await pipeline(p, cache);
    if (hasErrors(result.problems)) {
      printProblems(io, result.problems);
      io.out(`schemantic watch: ${countProblems(result.problems)}; ${p.outShown}/ left as it was (${ms(performance.now() - start)})`);
      return;
    }
    printProblems(io, result.problems);
    const plan = await writeTree(target(p, 'schemantic watch'), result.files, io, disk);
    if (!plan) return;
    disk = new Map(result.files);
    const written = plan.missing.length + plan.changed.length;
    io.out(
      `schemantic watch: ${plural(written, 'file')} written, ${plan.unchanged.length} unchanged, ${plan.extra.length} removed (${ms(performance.now() - start)})`,
    );
  };

  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    if (!pending) pending = new Promise((resolve) => (resolvePending = resolve));
    timer = setTimeout(() => {
      timer = undefined;
      const done = resolvePending!;
      pending = undefined;
      running = running
        .then(runOnce)
        .catch((err: unknown) => io.err(`schemantic watch: ${(err as Error).stack ?? String(err)}`))
        .then(done);
    }, options.debounceMs ?? 50);
  };

  running = runOnce();
  await running;
  const watcher = fsWatch(p.schemasAbs, { recursive: true }, (_event, file) => {
    if (file === null || isDefinitionPath(String(file)) || !path.extname(String(file))) schedule();
  });
  return {
    async close() {
      watcher.close();
      if (timer) clearTimeout(timer);
      resolvePending?.();
      await running;
    },
    async settled() {
      await (pending ?? Promise.resolve());
      await running;
    },
  };
}

/** `schemantic generate`. */
export const generateCommand: Command = {
  name: 'generate',
  help: `Usage: schemantic generate [--schemas DIR] [--out DIR] [--check | --watch] [--timings]

Reads every .yaml, .yml and .json file under the definitions folder (except meta/) and
writes typed modules and precompiled validators to the output folder. Only changed files
are rewritten; generated files no longer produced are removed; files without the
"Generated by Schemantic" banner are never touched.

Options:
  --schemas DIR  Definitions folder (default: schemas)
  --out DIR      Output folder (default: generated)
  --check        Write nothing; exit 1 listing every stale, missing and extra file, with a
                 unified diff of each changed one (for CI)
  --watch        Regenerate on every change under the definitions folder; an invalid edit
                 prints its problems and leaves the output as it was
  --timings      Print the time spent in each stage
  -h, --help     Show this help

Exit codes: 0 done, 1 problems in the definitions (or, with --check, output out of date),
2 bad usage.`,
  options: { schemas: { type: 'string' }, out: { type: 'string' }, check: { type: 'boolean' }, watch: { type: 'boolean' }, timings: { type: 'boolean' } },
  misuse: (values) => (values['check'] && values['watch'] ? '--check and --watch cannot be used together' : undefined),
  async run(values, { cwd, io, config }) {
    const settings = {
      cwd,
      schemas: stringFlag(values, 'schemas') ?? config.schemas,
      out: stringFlag(values, 'out') ?? config.out,
      timings: values['timings'] === true,
    };
    if (values['check']) return checkOnce(settings, io);
    if (!values['watch']) return generateOnce(settings, io);
    const watcher = await watch(settings, io);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await watcher.close();
    return 0;
  },
};
