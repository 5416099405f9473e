/**
 * The generator pipeline: load -> validate -> resolve -> build IR -> check -> emit (types,
 * validators, modules) -> format. Writing is left to the caller (generate, --check, --watch).
 *
 * Problems from every stage are collected; emitting starts only when no stage found an error, so
 * nothing is ever generated from a broken corpus.
 */
import { compareProblems, hasErrors, type Problem } from './problems.js';
import { plannedTypes } from './emit/plan.js';
import type { IR } from './ir/types.js';
import { buildIR } from './stages/build-ir.js';
import { check } from './stages/check.js';
import { emitModules } from './stages/emit-modules.js';
import { emitTypes, type TypeCache } from './stages/emit-types.js';
import { emitValidatorFiles, type ValidatorCache } from './stages/emit-validators.js';
import { format } from './stages/format.js';
import { load, type LoadOptions, type SourceReader } from './stages/load.js';
import { resolve } from './stages/resolve.js';
import { validate } from './stages/validate.js';
import { VERSION } from '../runtime/version.js';

/** Caches that make repeated runs (watch mode) cheap; all keyed by content, so never stale. */
export interface PipelineCache {
  load: NonNullable<LoadOptions['cache']>;
  types: TypeCache;
  validators: ValidatorCache;
}

/** A fresh, empty cache. */
export function createPipelineCache(): PipelineCache {
  return { load: new Map(), types: new Map(), validators: new Map() };
}

/** Inputs of one pipeline run. */
export interface PipelineOptions {
  reader: SourceReader;
  /** Prefix of file paths in problems and banners (the schemas folder relative to the working directory). */
  displayPrefix: string;
  cache?: PipelineCache;
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

/** Runs every stage but write. */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const timings: [string, number][] = [];
  const timed = async <T>(stage: string, run: () => T | Promise<T>): Promise<T> => {
    const start = performance.now();
    const value = await run();
    timings.push([stage, performance.now() - start]);
    return value;
  };
  const loaded = await timed('load', () =>
    load(options.reader, { displayPrefix: options.displayPrefix, ...(options.cache ? { cache: options.cache.load } : {}) }),
  );
  const problems: Problem[] = [...loaded.problems];
  const validated = await timed('validate', () => validate(loaded.files));
  problems.push(...validated.problems);
  const resolved = await timed('resolve', () => resolve(loaded.files, validated.invalid));
  problems.push(...resolved.problems);
  const built = await timed('build IR', () => buildIR(resolved.corpus));
  problems.push(...built.problems);
  problems.push(...(await timed('check', () => check(built.ir, built.notes, resolved.corpus, loaded.files))));
  const done = (files: Map<string, string>): PipelineResult => ({
    files,
    problems: problems.sort(compareProblems),
    ir: built.ir,
    fileCount: loaded.files.length,
    timings,
  });
  if (hasErrors(problems)) return done(new Map());

  const ir = built.ir;
  const planned = plannedTypes(ir);
  const typeNames = new Map(ir.types.map((t) => [t.name, t.tsName]));
  const declarations = await timed('emit types', () => emitTypes(typeNames, planned, options.cache?.types));
  const validators = await timed('emit validators', () => emitValidatorFiles(ir, options.cache?.validators));
  problems.push(...validators.problems);
  if (hasErrors(problems)) return done(new Map());
  const modules = await timed('emit modules', () => emitModules(ir, { declarations, planned, runtimeRange: RUNTIME_RANGE }));
  const formatted = await timed('format', () => format(new Map([...modules, ...validators.files])));
  return done(formatted);
}
