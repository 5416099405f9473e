/**
 * `schemantic generate --watch`: regenerate on every change of the definitions, the eval datasets
 * or the configuration, reusing everything an edit did not touch.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createPipelineCache, runPipeline, type PipelineResult } from '../../targets/typescript/pipeline.js';
import { hasErrors } from '../../compiler/problems.js';
import { isDefinitionPath } from '../../compiler/source-reader.js';
import type { DiskState } from '../write.js';
import { loadConfig } from '../config.js';
import type { Closer } from '../watch.js';
import { isDirectory, within } from './definitions.js';
import { generatePaths as paths, preflight, treeTarget, type GenerateSettings } from './generate-settings.js';
import { createHashCache, pipelineSources, withManifest } from './generate-tree.js';
import { writeTree } from './tree.js';
import { countProblems, ms, plural, printProblems, type Io } from './output.js';

/** A running watcher; `close()` stops it. */
export interface Watcher {
  close(): Promise<void>;
  /** Resolves after the run in progress (if any) and the pending one have finished. */
  settled(): Promise<void>;
}

/** Options of {@link watch}. */
export interface WatchOptions {
  /**
   * Quiet time after the last change before a run: 50 ms, the default, at least. Chokidar drops a
   * file's `change` events that come within 50 ms of the previous one (with no trailing event,
   * paulmillr/chokidar#1455); a run no sooner than that still reads every write so dropped.
   */
  debounceMs?: number;
  /**
   * The settings given on the command line: they win over the configuration. The others follow
   * the configuration, reloaded whenever it changes (default: none given).
   */
  flags?: { schemas?: string | undefined; out?: string | undefined; evals?: string | undefined };
}

/** How long chokidar keeps quiet about a file after a `change` event of it (see {@link WatchOptions.debounceMs}). */
const CHANGE_THROTTLE_MS = 50;

/** The configuration files of a project, in `cwd` (`loadConfig` reads the first, else the second's "schemantic" key). */
const CONFIG_FILES = ['schemantic.config.json', 'package.json'];

/**
 * `--watch`: generate, then regenerate on every add, edit, delete and rename under the schemas
 * folder, and of a dataset file in the evals folder, debounced. An invalid edit prints its
 * problems and leaves the tree as it was. Parsed files, declarations and validators are cached by
 * content between runs, and the tree last written is remembered, so a one-file edit redoes only
 * what it touches.
 *
 * Files saved by rename stay watched. The schemas folder may go (renamed away, deleted): the
 * output is left alone, the watch says so and waits, and regenerates when the folder is back (the
 * same one or a new one). The evals folder may be missing, appear, go or be replaced at any time,
 * which regenerates too (see evals-watch.ts). The configuration is watched too: a change is
 * applied and regenerates; an invalid one is reported and the previous settings stay. Watcher
 * errors are reported; the watch goes on.
 */
export async function watch(settings: GenerateSettings, io: Io, options: WatchOptions = {}): Promise<Watcher> {
  // Loaded here: a plain generate never needs the watcher.
  const [{ watchEntries, watchTree }, { createEvalsWatch }] = await Promise.all([import('../watch.js'), import('../evals-watch.js')]);
  let p = paths(settings);
  if (!(await preflight(p, io))) throw new Error('cannot watch');
  const flags = options.flags ?? {};
  const debounceMs = Math.max(options.debounceMs ?? CHANGE_THROTTLE_MS, CHANGE_THROTTLE_MS);
  let cache = createPipelineCache();
  let hashes = createHashCache();
  /**
   * The generated files as last written, so that a run compares with memory instead of reading the
   * folder. Unset before the first run in a folder: that run reads it, and so finds (and removes)
   * the temporary files a killed write left there.
   */
  let disk: DiskState | undefined;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let pending: Promise<void> | undefined;
  let resolvePending: (() => void) | undefined;
  let closed = false;

  /** The watcher of the schemas folder, and the folder (device and inode) it was armed on. */
  let tree: { closer: Closer; identity: string } | undefined;
  /** Set when the folder may have been replaced under its watcher: the next run arms a new one. */
  let rearm = false;
  /** The folder was missing at the last run (said once per absence). */
  let missing = false;
  /** The watcher of the folder's entry in its parent (which sees it go and come back). */
  let parent: Closer | undefined;
  /** What changed since the last run: the definitions or datasets (or their folders), the configuration. */
  let treeChanged = true;
  let configChanged = false;
  /** The configuration in force (as JSON), and whether the file now holds a rejected one. */
  let configInForce: string | undefined;
  let configRejected = false;

  const reportError = (err: Error): void => io.err(`schemantic watch: watcher error: ${err.message}; still watching`);

  const schedule = (what: 'tree' | 'config'): void => {
    if (closed) return;
    if (what === 'tree') treeChanged = true;
    else configChanged = true;
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
    }, debounceMs);
  };

  const onTreeChange = (event: string, abs: string): void => {
    if (event === 'addDir' || event === 'unlinkDir') {
      if (abs === p.schemasAbs) rearm = true;
      schedule('tree');
    } else if (isDefinitionPath(path.relative(p.schemasAbs, abs))) {
      schedule('tree');
    }
  };

  // Armed (and re-armed on the folder in force) by each run, before it reads the datasets.
  const evals = createEvalsWatch(() => schedule('tree'), reportError);

  const watchParent = async (): Promise<void> => {
    await parent?.close();
    parent = await watchEntries(
      path.dirname(p.schemasAbs),
      [path.basename(p.schemasAbs)],
      () => {
        rearm = true;
        schedule('tree');
      },
      reportError,
    );
  };

  /** Reloads the configuration; applies it unless it is invalid or unusable. True when it applied a change. */
  const reloadConfig = async (): Promise<boolean> => {
    const { config, problems } = await loadConfig(settings.cwd);
    if (problems.length > 0) {
      printProblems(io, problems);
      io.out(`schemantic watch: ${config.origin}: ${countProblems(problems)}; keeping the previous settings`);
      configRejected = true;
      return false;
    }
    const json = JSON.stringify(config);
    if (json === configInForce && !configRejected) return false;
    const next: GenerateSettings = {
      ...settings,
      schemas: flags.schemas ?? config.schemas,
      out: flags.out ?? config.out,
      evals: flags.evals ?? config.evals,
    };
    const np = paths(next);
    const unusable = within(np.outAbs, np.schemasAbs)
      ? `the output folder ${np.outShown} is inside the definitions folder ${np.schemasShown}; choose another "out"`
      : // Its datasets would be read as definitions too (as preflight says).
        within(np.evalsAbs, np.schemasAbs) && (await isDirectory(np.evalsAbs))
        ? `the evals folder ${np.evalsShown} is inside the definitions folder ${np.schemasShown}; choose another "evals"`
        : undefined;
    if (unusable) {
      io.err(`schemantic: ${unusable}`);
      io.out(`schemantic watch: ${config.origin}: unusable; keeping the previous settings`);
      configRejected = true;
      return false;
    }
    configRejected = false;
    configInForce = json;
    io.out(`schemantic watch: settings reloaded from ${config.origin}`);
    const moved = np.schemasAbs !== p.schemasAbs;
    // The evals folder's watcher follows at this run's evals.sync().
    if (moved || np.outAbs !== p.outAbs || np.evalsAbs !== p.evalsAbs) {
      settings = next;
      p = np;
      cache = createPipelineCache();
      hashes = createHashCache();
      disk = undefined;
    }
    if (moved) {
      await tree?.closer.close();
      tree = undefined;
      missing = false;
      await watchParent();
    }
    return true;
  };

  const runOnce = async (): Promise<void> => {
    if (closed) return;
    const reload = configChanged;
    configChanged = false;
    // A configuration file rewritten with no change to the settings (npm rewriting package.json) runs nothing.
    if (reload && !(await reloadConfig()) && !treeChanged) return;
    treeChanged = false;
    const start = performance.now();
    await evals.sync(p.evalsAbs);
    const identity = await folderIdentity(p.schemasAbs);
    if (identity === undefined) {
      // Gone (renamed away or deleted): its watcher is dead; the parent's sees it come back.
      await tree?.closer.close();
      tree = undefined;
      if (!missing) io.out(`schemantic watch: no definitions folder at ${p.schemasShown}/; waiting for it`);
      missing = true;
      return;
    }
    missing = false;
    if (!tree || rearm || tree.identity !== identity) {
      rearm = false;
      await tree?.closer.close();
      tree = { closer: await watchTree(p.schemasAbs, onTreeChange, reportError), identity };
      if (closed) return;
    }
    let result: PipelineResult;
    const inputs = new Map<string, string>();
    try {
      result = await runPipeline({ ...pipelineSources(p, inputs, hashes.inputs), cache });
    } catch (err) {
      // The folder went during the run: the next run says so.
      if (!(await isDirectory(p.schemasAbs))) return schedule('tree');
      throw err;
    }
    if (hasErrors(result.problems)) {
      printProblems(io, result.problems);
      io.out(`schemantic watch: ${countProblems(result.problems)}; ${p.outShown}/ left as it was (${ms(performance.now() - start)})`);
      return;
    }
    printProblems(io, result.problems);
    const files = withManifest(result, inputs, p.schemasShown, hashes);
    const plan = await writeTree(treeTarget(p, 'schemantic watch'), files, io, disk);
    if (!plan) return;
    disk = files;
    const written = plan.missing.length + plan.changed.length;
    io.out(
      `schemantic watch: ${plural(written, 'file')} written, ${plan.unchanged.length} unchanged, ${plan.extra.length} removed (${ms(performance.now() - start)})`,
    );
  };

  const config = await watchEntries(path.resolve(settings.cwd), CONFIG_FILES, () => schedule('config'), reportError);
  await watchParent();
  const initial = await loadConfig(settings.cwd);
  if (initial.problems.length === 0) configInForce = JSON.stringify(initial.config);
  running = runOnce();
  await running;
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      resolvePending?.();
      await running;
      await Promise.all([config.close(), parent?.close(), tree?.closer.close(), evals.close()]);
    },
    async settled() {
      await (pending ?? Promise.resolve());
      await running;
    },
  };
}

/** The device and inode of the folder `abs`, or undefined when there is no folder there. */
async function folderIdentity(abs: string): Promise<string | undefined> {
  const stats = await stat(abs).catch(() => undefined);
  return stats?.isDirectory() ? `${stats.dev}:${stats.ino}` : undefined;
}
