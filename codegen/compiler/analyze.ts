/**
 * The stages that read and understand the definitions (load, validate, resolve, build IR,
 * check), without emitting anything: what `diff`, `export` and `docs` work from, and the first
 * half of the generator pipeline. Kept apart from pipeline.ts so that commands which emit no code
 * do not load the emitters (json-schema-to-typescript, the templates): that is most of their
 * start-up time.
 */
import type { IR } from './ir/types.js';
import type { Problem } from './problems.js';
import { buildIR, type BuildCache } from './build-ir.js';
import { check } from './check.js';
import { load, type LoadedFile, type LoadOptions, type SourceReader } from './load.js';
import { resolve } from './resolve.js';
import type { ResolveCache } from './resolve-cache.js';
import type { EvalsSource } from './evals/load-evals.js';
import { validate, type ValidateCache } from './validate.js';

/** What the front end keeps between runs (watch mode): parses, validations, resolutions, IR pieces. */
export interface AnalyzeCache {
  load: NonNullable<LoadOptions['cache']>;
  validate: ValidateCache;
  resolve: ResolveCache;
  build: BuildCache;
}

/** Inputs of {@link analyze}. */
export interface AnalyzeOptions {
  reader: SourceReader;
  /** Prefix of file paths in problems (the schemas folder relative to the working directory). */
  displayPrefix: string;
  cache?: AnalyzeCache;
  /**
   * Where eval datasets are (the evals folder): read, checked against the IR and added to it
   * (`ir.evals`). Without it, or with no dataset there, the IR has none.
   */
  evals?: EvalsSource;
}

/** What {@link analyze} makes of a definitions folder. */
export interface Analysis {
  /** The IR (complete only when `problems` holds no error). */
  ir: IR;
  /** The problems of every stage up to check, unsorted. */
  problems: Problem[];
  /** The parsed definitions files, with their source positions. */
  files: LoadedFile[];
  /** Milliseconds spent in each stage, in order. */
  timings: [stage: string, ms: number][];
}

/**
 * The stages that read and understand the definitions (load, validate, resolve, build IR, check),
 * without emitting anything: what `diff`, `export` and `docs` work from.
 */
export async function analyze(options: AnalyzeOptions): Promise<Analysis> {
  const timings: [string, number][] = [];
  const timed = timer(timings);
  const loaded = await timed('load', () =>
    load(options.reader, { displayPrefix: options.displayPrefix, ...(options.cache ? { cache: options.cache.load } : {}) }),
  );
  const problems: Problem[] = [...loaded.problems];
  const validated = await timed('validate', () => validate(loaded.files, options.cache?.validate));
  problems.push(...validated.problems);
  const resolved = await timed('resolve', () => resolve(loaded.files, validated.invalid, options.cache?.resolve));
  problems.push(...resolved.problems);
  const built = await timed('build IR', () => buildIR(resolved.corpus, options.cache?.build));
  problems.push(...built.problems);
  problems.push(...(await timed('check', () => check(built.ir, built.notes, resolved.corpus, loaded.files))));
  const evals = options.evals;
  if (evals) {
    const datasets = await timed('evals', async () => {
      // Loaded only when there is an evals folder to read.
      const { analyzeEvals } = await import('./evals/analyze-evals.js');
      return analyzeEvals(evals, built.ir, new Set(resolved.corpus.declared.agents.keys()));
    });
    problems.push(...datasets.problems);
  }
  return { ir: built.ir, problems, files: loaded.files, timings };
}

/** A function that runs a stage and records its time in `timings`. */
export function timer(timings: [string, number][]): <T>(stage: string, run: () => T | Promise<T>) => Promise<T> {
  return async (stage, run) => {
    const start = performance.now();
    const value = await run();
    timings.push([stage, performance.now() - start]);
    return value;
  };
}
