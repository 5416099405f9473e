/**
 * What `schemantic eval` runs, loaded: the evals entry module's bindings, the generated datasets
 * (checked against their source files, so a dataset edited since `generate` is not run stale),
 * and `schemantic/evals` itself, loaded from the entry's folder so that it is the app's runtime.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EvalReport, ReportComparison } from 'schemantic/internal';
import { moduleLoader } from '../module-loader.js';
import { datasetSourceHash } from '../../compiler/evals/dataset-hash.js';
import { evalsReader } from '../../compiler/source-reader.js';

/** A dataset as the runner takes it (the fields the command reads). */
export interface LoadedDataset {
  name: string;
  agent: string;
  source?: string;
  sourceHash?: string;
  cases: readonly unknown[];
}

/** What the command uses of `schemantic/evals`. */
export interface EvalsModule {
  runEvals(targets: readonly { dataset: LoadedDataset; binding: object }[], options: object): Promise<EvalReport>;
  compareReports(current: EvalReport, baseline: EvalReport): ReportComparison;
  readEvalReport(text: string, where?: string): EvalReport;
}

/** Everything an eval run needs. */
export interface EvalRun {
  evals: EvalsModule;
  bindings: Readonly<Record<string, object>>;
  datasets: LoadedDataset[];
  /** Loads a module the way the entry's imports are loaded (a provider for `--model`). */
  load(specifier: string): Promise<unknown>;
}

/** A reason the run cannot start, said to the user as it is. */
export class EvalSetupError extends Error {}

/**
 * Loads the entry (`entry`, relative to `cwd`), the generated datasets of `generatedDir`, and
 * checks each against its file under `evalsDir`.
 */
export async function loadEvalRun(cwd: string, entry: string, generatedDir: string, evalsDir: string): Promise<EvalRun> {
  const file = path.resolve(cwd, entry);
  if (!existsSync(file))
    throw new EvalSetupError(`cannot find the evals entry module ${entry} (looked for ${file}); see \`schemantic eval --help\` for what it exports`);
  const loader = await moduleLoader(file, entry, 'schemantic-eval');
  const url = pathToFileURL(file).href;
  const entryModule = (await loader(url, import.meta.url).catch((error: Error) => {
    throw new EvalSetupError(`cannot load ${entry}: ${error.message}`);
  })) as Record<string, unknown>;
  const bindings = entryModule['default'] ?? entryModule['evals'];
  if (bindings === null || typeof bindings !== 'object')
    throw new EvalSetupError(`${entry} exports no bindings: default-export defineEvals({ <agent>: { agent, ... } }) from schemantic/evals`);
  const evals = (await loader('schemantic/evals', url).catch((error: Error) => {
    throw new EvalSetupError(`cannot load schemantic/evals from ${entry}'s folder: ${error.message} (install schemantic in the app)`);
  })) as EvalsModule;
  const index = path.resolve(cwd, generatedDir, 'evals', 'index.ts');
  let datasets: LoadedDataset[] = [];
  if (existsSync(index)) {
    const generated = (await loader(pathToFileURL(index).href, url)) as { datasets?: LoadedDataset[] };
    datasets = [...(generated.datasets ?? [])];
  }
  await checkFresh(cwd, datasets, evalsDir);
  for (const [agent, binding] of Object.entries(bindings as Record<string, { datasets?: LoadedDataset[] }>)) {
    for (const dataset of binding?.datasets ?? []) {
      if (dataset.agent !== agent)
        throw new EvalSetupError(`${entry}: the binding of ${agent} lists dataset ${dataset.name}, which is for agent ${dataset.agent}`);
      datasets.push(dataset);
    }
  }
  const names = new Set<string>();
  for (const dataset of datasets) {
    if (names.has(dataset.name)) throw new EvalSetupError(`two datasets are named ${dataset.name}: rename one (dataset names label reports and baselines)`);
    names.add(dataset.name);
  }
  return { evals, bindings: bindings as Record<string, object>, datasets, load: (specifier) => loader(specifier, url) };
}

/** Refuses generated datasets whose file changed since `generate`, and dataset files not generated yet. */
async function checkFresh(cwd: string, datasets: readonly LoadedDataset[], evalsDir: string): Promise<void> {
  const stale: string[] = [];
  const seen = new Set<string>();
  for (const dataset of datasets) {
    if (dataset.source === undefined) continue;
    seen.add(path.resolve(cwd, dataset.source));
    const text = await readFile(path.resolve(cwd, dataset.source), 'utf8').catch(() => undefined);
    if (text === undefined) stale.push(`${dataset.source} (deleted)`);
    else if (dataset.sourceHash !== datasetSourceHash(text)) stale.push(`${dataset.source} (changed)`);
  }
  const dir = path.resolve(cwd, evalsDir);
  // The files generate reads as datasets, listed as it lists them (no dot files, any case of extension).
  const files = await evalsReader(dir).list();
  for (const f of files) if (!seen.has(path.join(dir, f))) stale.push(`${path.join(evalsDir, f).split(path.sep).join('/')} (not generated yet)`);
  if (stale.length > 0) throw new EvalSetupError(`datasets changed since the last generate: ${stale.join(', ')}; run \`npx schemantic generate\` first`);
}
