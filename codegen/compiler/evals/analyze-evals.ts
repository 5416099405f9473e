/**
 * The front end's part for eval datasets, after the definitions' check: load the dataset files,
 * validate them against their format, check them against the IR, and (when none has an error)
 * add them to the IR. Loaded by analyze.ts only when there is an evals folder to read.
 */
import type { IR } from '../ir/types.js';
import { hasErrors, type Problem } from '../problems.js';
import { buildEvals } from './build-evals.js';
import { checkEvals } from './check-evals.js';
import { loadEvals, type EvalsSource, type LoadedEvalFile } from './load-evals.js';
import { validateEvals } from './validate-evals.js';

/** What {@link analyzeEvals} found. */
export interface EvalsAnalysis {
  files: LoadedEvalFile[];
  problems: Problem[];
}

/**
 * Reads the datasets of `source` and checks them against `ir` (whose `evals` it sets when they
 * have no error). `declaredAgents` holds every agent name the definitions declare, those left out
 * of the IR for their own errors included.
 */
export async function analyzeEvals(source: EvalsSource, ir: IR, declaredAgents: ReadonlySet<string>): Promise<EvalsAnalysis> {
  const loaded = await loadEvals(source);
  if (loaded.files.length === 0) return loaded;
  const validation = validateEvals(loaded.files);
  const problems = [...loaded.problems, ...validation.problems];
  problems.push(...(await checkEvals(loaded.files, { ir, declaredAgents, validation })));
  if (!hasErrors(problems)) ir.evals = buildEvals(loaded.files, ir);
  return { files: loaded.files, problems };
}
