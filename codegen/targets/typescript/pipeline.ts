/**
 * The generator pipeline: load -> validate -> resolve -> build IR -> check -> emit (types,
 * validators, modules) -> format. Writing is left to the caller (generate, --check, --watch).
 *
 * Problems from every stage are collected; emitting starts only when no stage found an error, so
 * nothing is ever generated from a broken corpus.
 */
import { compareProblems, hasErrors, type Problem } from '../../compiler/problems.js';
import { fileEntries, fingerprints, outputDependencies } from './dependencies.js';
import { PARALLEL_THRESHOLD, splitValidatorWork, startValidatorWorker, type ValidatorWorker } from './parallel.js';
import { plannedTypes } from './plan.js';
import { locateProblem, type Locate, type PendingProblem } from './strict-variants.js';
import type { IR } from '../../compiler/ir/types.js';
import { analyze, timer, type AnalyzeCache, type AnalyzeOptions } from '../../compiler/analyze.js';
import { createBuildCache } from '../../compiler/build-ir.js';
import { emitModules } from './emit-modules.js';
import { emitTypes, type TypeCache } from './emit-types.js';
import { emitValidatorFiles, validatorModules, type ValidatorCache } from './emit-validators.js';
import { format } from './format.js';
import type { LoadedFile } from '../../compiler/load.js';
import { createResolveCache } from '../../compiler/resolve-cache.js';
import { VERSION } from 'schemantic/internal';

/**
 * What makes repeated runs (watch mode) cheap. Parses and validation results are reused per
 * unchanged file; generated files are reused when none of the definitions files they depend on
 * changed (see dependencies.ts); declarations and validators are also cached by content.
 */
export interface PipelineCache extends AnalyzeCache {
  types: TypeCache;
  validators: ValidatorCache;
  /**
   * Version numbers of the inputs of generated files, per definition entry (bumped when the
   * entry's content changes), kept with the parse they were read from.
   */
  versions: Map<string, { file: LoadedFile; entries: Map<string, { json: string; version: number }> }>;
  nextVersion: number;
  /** The last successful run's output, with the fingerprint and the warnings of each file. */
  previous?: { fingerprints: Map<string, string>; files: Map<string, string>; warnings: Map<string, PendingProblem[]> };
}

/** A fresh, empty cache. */
export function createPipelineCache(): PipelineCache {
  return {
    load: new Map(),
    validate: new WeakMap(),
    resolve: createResolveCache(),
    build: createBuildCache(),
    types: new Map(),
    validators: new Map(),
    versions: new Map(),
    nextVersion: 1,
  };
}

/** Inputs of one pipeline run. */
export interface PipelineOptions extends AnalyzeOptions {
  /** Also the prefix of paths in banners. */
  displayPrefix: string;
  cache?: PipelineCache;
  /** Emit validators in a worker thread when the corpus is big enough (cold CLI runs). */
  parallel?: boolean;
}

/** Output of one pipeline run. */
export interface PipelineResult {
  /** The generated tree (path relative to the output folder -> text); empty when there are errors. */
  files: Map<string, string>;
  /** Every problem, sorted by file and position. */
  problems: Problem[];
  /** The IR, when the corpus got that far. */
  ir?: IR;
  /** How many definitions files were read. */
  fileCount: number;
  /** Milliseconds spent in each stage, in order. */
  timings: [stage: string, ms: number][];
}

/** The runtime version range generated code asks for. */
export const RUNTIME_RANGE = `^${VERSION}`;

export { analyze, type Analysis } from '../../compiler/analyze.js';

/** Runs every stage but write. */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  // Started first, so that the worker loads Ajv while this thread parses the definitions.
  const worker = options.parallel ? startValidatorWorker() : undefined;
  try {
    return await stages(options, worker);
  } finally {
    worker?.close();
  }
}

async function stages(options: PipelineOptions, worker: ValidatorWorker | undefined): Promise<PipelineResult> {
  const analysis = await analyze(options);
  const { problems, timings } = analysis;
  const timed = timer(timings);
  const done = (files: Map<string, string>): PipelineResult => ({
    files,
    problems: problems.sort(compareProblems),
    ir: analysis.ir,
    fileCount: analysis.files.length,
    timings,
  });
  if (hasErrors(problems)) return done(new Map());

  const ir = analysis.ir;
  const cache = options.cache;
  const versions = inputVersions(cache, analysis.files);
  const fingerprint = fingerprints(outputDependencies(ir), (input) => versions.get(input) ?? -1);
  const previous = cache?.previous;
  const wanted = (path: string) => !previous || previous.fingerprints.get(path) !== fingerprint.get(path);
  // Most validators are emitted (and formatted) in the worker, concurrently with the types,
  // modules and remaining validators here.
  const split = worker && !previous && ir.tools.length + ir.agents.length >= PARALLEL_THRESHOLD ? splitValidatorWork(validatorModules(ir)) : undefined;
  const inWorker = split ? worker!.run(ir, split.worker) : undefined;
  const here = split ? (path: string) => wanted(path) && split.own.has(path.replace(/\.(js|d\.ts)$/, '')) : wanted;
  const planned = plannedTypes(ir);
  const typeNames = new Map(ir.types.map((t) => [t.name, t.tsName]));
  const neededTypes = new Map([...planned].filter(([, p]) => wanted(`${p.module}.ts`)));
  const declarations = await timed('emit types', () => emitTypes(typeNames, neededTypes, cache?.types));
  const emitted = await timed('emit modules', () => emitModules(ir, { declarations, planned, runtimeRange: RUNTIME_RANGE }, wanted));
  // Warnings of modules not emitted again are those of the last run (same inputs), located anew.
  const warnings = new Map(emitted.warnings);
  if (previous) for (const [path, list] of previous.warnings) if (!warnings.has(path) && fingerprint.has(path)) warnings.set(path, list);
  const byRel = new Map(analysis.files.map((f) => [f.rel, f]));
  const locate: Locate = (rel, pointer) => byRel.get(rel)?.positions.find(pointer, 'key') ?? { line: 0, col: 0 };
  for (const list of warnings.values()) for (const w of list) problems.push(locateProblem(w, locate));
  const local = await timed('emit validators', () => {
    const emitted = emitValidatorFiles(ir, cache?.validators, here);
    return { problems: emitted.problems, files: format(emitted.files) };
  });
  const remote = inWorker ? await timed('wait for worker', () => inWorker) : { files: new Map<string, string>(), problems: [] };
  const validators = { files: new Map([...local.files, ...remote.files]), problems: [...local.problems, ...remote.problems] };
  problems.push(...validators.problems);
  if (hasErrors(problems)) return done(new Map());
  const fresh = await timed('format', () => new Map([...format(emitted.files), ...validators.files]));
  const files = new Map<string, string>();
  // The same outputs as last time (the usual watch-mode case) keep last time's (sorted) order.
  const samePaths = previous !== undefined && previous.files.size === fingerprint.size && [...fingerprint.keys()].every((p) => previous.files.has(p));
  for (const path of samePaths ? previous.files.keys() : [...fingerprint.keys()].sort()) {
    const text = wanted(path) ? fresh.get(path) : previous!.files.get(path);
    if (text !== undefined) files.set(path, text);
  }
  if (cache) cache.previous = { fingerprints: fingerprint, files, warnings };
  return done(files);
}

/**
 * The version of every input (definition entry) in this run. Without a cache everything is
 * version 0 (and every output is emitted). An entry keeps its version while its content is
 * unchanged, even when other entries of its file change, so editing one agent re-emits that
 * agent's files only.
 */
function inputVersions(cache: PipelineCache | undefined, files: readonly LoadedFile[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const file of files) {
    if (!cache) {
      for (const key of fileEntries(file).keys()) out.set(key, 0);
      continue;
    }
    let known = cache.versions.get(file.rel);
    if (known?.file !== file) {
      const entries = new Map<string, { json: string; version: number }>();
      for (const [key, raw] of fileEntries(file)) {
        const json = JSON.stringify(raw);
        const before = known?.entries.get(key);
        entries.set(key, before?.json === json ? before : { json, version: cache.nextVersion++ });
      }
      known = { file, entries };
      cache.versions.set(file.rel, known);
    }
    for (const [key, entry] of known.entries) out.set(key, entry.version);
  }
  return out;
}
