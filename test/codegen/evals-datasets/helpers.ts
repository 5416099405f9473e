/**
 * Generating with eval datasets held in memory: the shipped definitions (or given ones) as
 * `schemas/`, the datasets as `evals/`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { memoryReader } from '../../../codegen/compiler/load.js';
import { runPipeline, type PipelineResult } from '../../../codegen/targets/typescript/pipeline.js';

/** The repository's root. */
export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

/** The shipped definitions, by path relative to `schemas/`. */
export function shippedSchemas(): Record<string, string> {
  const dir = path.join(root, 'schemas');
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]),
  );
}

/** Runs the pipeline on `schemas` and the datasets `evals` (paths relative to `evals/`). */
export function generateWithEvals(evals: Record<string, string>, schemas: Record<string, string> = shippedSchemas()): Promise<PipelineResult> {
  return runPipeline({ reader: memoryReader(schemas), displayPrefix: 'schemas', evals: { reader: memoryReader(evals), displayPrefix: 'evals' } });
}
