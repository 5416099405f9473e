/**
 * `schemantic generate`: run the pipeline and write the tree (or, with --check, compare it), once
 * or on every change (--watch).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createPipelineCache, runPipeline, type PipelineCache, type PipelineResult } from '../pipeline.js';
import { hasErrors } from '../problems.js';
import { folderReader } from '../stages/load.js';
import { applyWrite, findConflicts, planWrite, readGenerated, unifiedDiff, type DiskState, type WritePlan } from '../stages/write.js';
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
  const shown = (abs: string) => path.relative(s.cwd, abs).split(path.sep).join('/') || '.';
  return { schemasAbs, outAbs, schemasShown: shown(schemasAbs), outShown: shown(outAbs) };
}

/** Fails early, with one clear line, when the folders cannot work. */
async function preflight(p: Paths, io: Io): Promise<boolean> {
  const info = await stat(p.schemasAbs).catch(() => undefined);
  if (!info?.isDirectory()) {
    io.err(`schemantic: no definitions folder at ${p.schemasShown}: create it, pass --schemas DIR, or set "schemas" in schemantic.config.json`);
    return false;
  }
  const inside = path.relative(p.schemasAbs, p.outAbs);
  if (inside === '' || (!inside.startsWith('..') && !path.isAbsolute(inside))) {
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
export async function generateOnce(settings: GenerateSettings, io: Io): Promise<number> {
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
  const current = await readGenerated(p.outAbs);
  const plan = planWrite(result.files, current);
  if (refuseConflicts(p, plan, io, 'schemantic generate')) return 1;
  await applyWrite(p.outAbs, result.files, plan);
  if (settings.timings) io.err(`timings: write ${(performance.now() - writeStart).toFixed(1)} ms, total ${(performance.now() - start).toFixed(1)} ms`);
  const written = plan.missing.length + plan.changed.length;
  io.out(
    `schemantic generate: ${corpusSummary(result)} -> ${p.outShown}/: ${plural(result.files.size, 'file')} ` +
      `(${written} written, ${plan.unchanged.length} unchanged, ${plan.extra.length} removed) in ${ms(performance.now() - start)}`,
  );
  return 0;
}

/** `--check`: writes nothing; exit 1 with the differences when the tree is not up to date. */
export async function checkOnce(settings: GenerateSettings, io: Io): Promise<number> {
  const start = performance.now();
  const p = paths(settings);
  if (!(await preflight(p, io))) return 1;
  const result = await pipeline(p);
  printProblems(io, result.problems);
  if (hasErrors(result.problems)) {
    io.err(`schemantic generate --check: ${countProblems(result.problems)} in the definitions (${ms(performance.now() - start)})`);
    return 1;
  }
  const current = await readGenerated(p.outAbs);
  const plan = planWrite(result.files, current);
  if (refuseConflicts(p, plan, io, 'schemantic generate --check')) return 1;
  const stale = plan.missing.length + plan.changed.length + plan.extra.length;
  if (stale === 0) {
    io.out(`schemantic generate --check: ${p.outShown}/ is up to date (${plural(result.files.size, 'file')}, ${ms(performance.now() - start)})`);
    return 0;
  }
  const shown = (rel: string) => `${p.outShown}/${rel}`;
  io.err(`${p.outShown}/ is out of date with ${p.schemasShown}/:`);
  for (const rel of plan.changed) io.err(`  changed  ${shown(rel)}`);
  for (const rel of plan.missing) io.err(`  missing  ${shown(rel)}`);
  for (const rel of plan.extra) io.err(`  extra    ${shown(rel)}`);
  for (const rel of plan.changed) io.err(unifiedDiff(shown(rel), current.get(rel)!, result.files.get(rel)!).trimEnd());
  io.err(`Run \`npx schemantic generate${fixFlags(settings)}\` to update it (${plural(stale, 'file')} differ, ${ms(performance.now() - start)}).`);
  return 1;
}

/**
 * Reports files generation would overwrite that it did not write (no banner) and returns true
 * if there are any: nothing is written then, since those files are someone else's work.
 */
function refuseConflicts(p: Paths, plan: WritePlan, io: Io, command: string): boolean {
  const conflicts = findConflicts(p.outAbs, plan);
  if (conflicts.length === 0) return false;
  for (const rel of conflicts) io.err(`${p.outShown}/${rel}: exists and was not generated by Schemantic (no banner); not overwriting it`);
  io.err(`${command}: ${plural(conflicts.length, 'file')} in the way; move or delete ${conflicts.length === 1 ? 'it' : 'them'}, or choose another --out. Nothing written.`);
  return true;
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
    const plan = planWrite(result.files, disk);
    if (refuseConflicts(p, plan, io, 'schemantic watch')) return;
    await applyWrite(p.outAbs, result.files, plan);
    disk = new Map(result.files);
    const written = plan.missing.length + plan.changed.length;
    io.out(`schemantic watch: ${plural(written, 'file')} written, ${plan.unchanged.length} unchanged, ${plan.extra.length} removed (${ms(performance.now() - start)})`);
  };

  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    if (!pending) pending = new Promise((resolve) => (resolvePending = resolve));
    timer = setTimeout(() => {
      timer = undefined;
      const done = resolvePending!;
      pending = undefined;
      running = running.then(runOnce).catch((err: unknown) => io.err(`schemantic watch: ${(err as Error).stack ?? String(err)}`)).then(done);
    }, options.debounceMs ?? 50);
  };

  running = runOnce();
  await running;
  const watcher = fsWatch(p.schemasAbs, { recursive: true }, (_event, file) => {
    if (file === null || /\.(ya?ml|json)$/i.test(String(file)) || !path.extname(String(file))) schedule();
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
