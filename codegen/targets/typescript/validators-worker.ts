/**
 * Worker thread entry: emits validator files for an IR sent by the main thread. Validator
 * emission (Ajv code generation) is the heaviest stage and a pure function of the IR, so a
 * cold generate runs it here, beside the main thread's type and module emission; both threads
 * take modules from one queue (see parallel.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { IR } from '../../compiler/ir/types.js';
import { drainValidatorQueue, type ValidatorQueue } from './parallel.js';

/** What the main thread sends: the IR, and the queue of validators modules to take from. */
export interface ValidatorJob {
  ir: IR;
  queue: ValidatorQueue;
}

parentPort?.on('message', (job: ValidatorJob) => {
  try {
    parentPort!.postMessage({ ok: true, ...drainValidatorQueue(job.ir, job.queue) });
  } catch (err) {
    parentPort!.postMessage({ ok: false, message: (err as Error).stack ?? String(err) });
  }
});
