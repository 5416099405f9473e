/**
 * Worker thread entry: emits validator files for an IR sent by the main thread. Validator
 * emission (Ajv code generation) is the heaviest stage and a pure function of the IR, so a
 * cold generate runs it here, beside the main thread's type and module emission.
 */
import { parentPort } from 'node:worker_threads';
import type { IR } from '../../compiler/ir/types.js';
import { emitValidatorFiles } from './emit-validators.js';
import { format } from './format.js';

/** What the main thread sends: the IR, and the modules it wants (all when absent). */
export interface ValidatorJob {
  ir: IR;
  /** Validators modules (paths without extension) to emit. */
  wanted?: string[];
}

parentPort?.on('message', (job: ValidatorJob) => {
  try {
    const wanted = job.wanted ? new Set(job.wanted) : undefined;
    const result = emitValidatorFiles(job.ir, undefined, wanted ? (p) => wanted.has(p.replace(/\.(js|d\.ts)$/, '')) : undefined);
    parentPort!.postMessage({ ok: true, files: format(result.files), problems: result.problems });
  } catch (err) {
    parentPort!.postMessage({ ok: false, message: (err as Error).stack ?? String(err) });
  }
});
