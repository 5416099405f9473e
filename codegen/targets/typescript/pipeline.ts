/**
 * The generator pipeline: load -> validate -> resolve -> build IR -> check -> emit (types,
 * validators, modules) -> format. Writing is left to the caller (generate, --check, --watch).
 *
 * Problems from every stage are collected; emitting starts only when no stage found an error, so
 * nothing is ever generated from a broken corpus.
 */
import { compareProblems, hasErrors, type Problem } from '../../compiler/problems.js';
import { evalInputKey, fileEntries, fingerprints, outputDependencies } from './dependencies.js';
import { createValidatorQueue, drainValidatorQueue, joinValidatorOutputs, PARALLEL_THRESHOLD, startValidatorWorker, type ValidatorWorker } from './parallel.js';
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
import { contentHash } from '../../compiler/content-hash.js';
import { isObject } from '../../compiler/schema/walk.js';

/**
 * What makes repeated runs (watch mode) cheap. Parses and validation results are reused per
 * unchanged file; generated files are reused when none of the definitions files they depend on
 * changed (see dependencies.ts); declarations and validators are also cached by content.
 */
export interface PipelineCache extends AnalyzeCache {
  types: TypeCache;
  validators: ValidatorCache;
  /** The content hash of each definition entry (the inputs of generated files), kept with the parse it was read from. */
  versions: Map<string, FileEntryHashes>;
  /** The last successful run's output, with the fingerprint and the warnings of each file. */
  previous?: PreviousOutput;
}

/** The content hash of each entry of one parse of a file (with the JSON it is the hash of). */
interface FileEntryHashes {
  file: LoadedFile;
  entries: Map<string, { json: string; hash: string }>;
}

/**
 * Output of an earlier run that a run may reuse: each file whose fingerprint is unchanged is taken
 * from here instead of being emitted again. Held in memory by watch mode, or rebuilt from the
 * manifest and the files on disk by a fresh process (then only files whose content still matches
 * the manifest are offered).
 */
export interface PreviousOutput {
  /** Fingerprint of each reusable file. */
  fingerprints: Map<string, string>;
  /** Text of each reusable file, in sorted path order. */
  files: Map<string, string>;
  /** Warnings each file's emission raised, unlocated. */
  warnings: ReadonlyMap<string, PendingProblem[]>;
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
  };
}

/** Inputs of one pipeline run. */
export interface PipelineOptions extends AnalyzeOptions {
  /** Also the prefix of paths in banners. */
  displayPrefix: string;
  cache?: PipelineCache;
  /** Emit validators in a worker thread when the corpus is big enough (cold CLI runs). */
  parallel?: boolean;
  /** Output of an earlier run, for a run without a cache (see {@link PreviousOutput}). */
  previous?: PreviousOutput;
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
  /** Fingerprint and unlocated warnings of each generated file (when there are no errors). */
  outputs?: { fingerprints: Map<string, string>; warnings: Map<string, PendingProblem[]> };
  /** How many generated files were taken from the previous output instead of being emitted. */
  reused: number;
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
    reused: 0,
  });
  if (hasErrors(problems)) return done(new Map());

  const ir = analysis.ir;
  const cache = options.cache;
  const fingerprint = await timed('fingerprints', () => {
    const hashes = inputHashes(cache, analysis.files);
    for (const dataset of ir.evals) hashes.set(evalInputKey(dataset), dataset.sourceHash);
    return fingerprints(outputDependencies(ir), (input) => hashes.get(input) ?? '-');
  });
  const previous = cache?.previous ?? options.previous;
  const wanted = (path: string) => !previous || previous.fingerprints.get(path) !== fingerprint.get(path);
  // The validators modules to emit are shared with the worker through a queue: it starts on them
  // now, and this thread takes what is left once it has emitted the types and modules.
  const toEmit = worker ? validatorModules(ir).filter((m) => wanted(`${m.module}.js`) || wanted(`${m.module}.d.ts`)) : [];
  const queue = toEmit.length >= PARALLEL_THRESHOLD ? createValidatorQueue(toEmit) : undefined;
  const inWorker = queue ? worker!.run(ir, queue) : undefined;
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
  // A keyword Gemini drops in a named type is met by every schema that uses the type: said once.
  const dropped = new Set<string>();
  for (const list of warnings.values())
    for (const w of list) {
      const place = `${w.rel}#${w.pointer}`;
      if (w.code === 'not-gemini' && dropped.has(place)) continue;
      if (w.code === 'not-gemini') dropped.add(place);
      problems.push(locateProblem(w, locate));
    }
  const local = await timed('emit validators', () => {
    if (queue) return drainValidatorQueue(ir, queue, cache?.validators);
    const emitted = emitValidatorFiles(ir, cache?.validators, wanted);
    return { problems: emitted.problems, files: format(emitted.files) };
  });
  const validators = joinValidatorOutputs(inWorker ? [local, await timed('wait for worker', () => inWorker)] : [local]);
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
  let reused = 0;
  for (const path of files.keys()) if (!wanted(path)) reused++;
  return { ...done(files), outputs: { fingerprints: fingerprint, warnings }, reused };
}

/**
 * The content hash of every input (definition entry) in this run. An entry's hash covers its own
 * JSON and its file's settings outside the entries (`spec`, file-wide `lax`...), which every entry
 * of the file is read with. With a cache, it is computed once per parse of its file, and kept
 * while that JSON is unchanged.
 */
function inputHashes(cache: PipelineCache | undefined, files: readonly LoadedFile[]): Map<string, string> {
  const known = cache?.versions ?? new Map<string, FileEntryHashes>();
  const out = new Map<string, string>();
  for (const file of files) {
    let hashed = known.get(file.rel);
    if (hashed?.file !== file) {
      const header = fileSettings(file);
      const entries = new Map<string, { json: string; hash: string }>();
      for (const [key, raw] of fileEntries(file)) {
        const json = header + JSON.stringify(raw);
        const before = hashed?.entries.get(key);
        entries.set(key, before?.json === json ? before : { json, hash: contentHash(json) });
      }
      hashed = { file, entries };
      known.set(file.rel, hashed);
    }
    for (const [key, entry] of hashed.entries) out.set(key, entry.hash);
  }
  return out;
}

/** The sections of a file whose keys are entries (the inputs of generated files). */
const ENTRY_SECTIONS: ReadonlySet<string> = new Set(['types', 'tools', 'agents', 'mcp', 'graphs']);

/** A file's top-level settings (everything but its entries), as JSON followed by a newline. */
function fileSettings(file: LoadedFile): string {
  if (!isObject(file.value)) return '\n';
  const rest = Object.entries(file.value).filter(([key]) => !ENTRY_SECTIONS.has(key));
  return JSON.stringify(rest) + '\n';
}
