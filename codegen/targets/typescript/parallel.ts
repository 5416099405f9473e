/**
 * Running validator emission in a worker thread beside the main thread. Used by cold runs of the
 * compiled CLI on corpora big enough for it to pay off (starting a worker and loading Ajv in it
 * costs about 100 ms, overlapped with the main thread's parsing); small and watch-mode runs stay
 * in-thread.
 *
 * The validators modules are shared out through a queue both threads take from, one module at a
 * time: the worker from the moment it has the IR, the main thread once it has emitted the types
 * and modules. Whichever thread is faster (the main thread's own stages vary with the corpus, the
 * machine and the other processes on it) takes more, and both finish within one module of each
 * other, with no estimate of costs to get wrong. What a module's files hold does not depend on the
 * thread that emits it (see ajv-module.ts), so the output is the same however the work was shared.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { IR } from '../../compiler/ir/types.js';
import { compareProblems, compareText, type Problem } from '../../compiler/problems.js';
import { emitValidatorModule, type ValidatorCache } from './emit-validators.js';
import { format } from './format.js';

/** Below this many validator modules a worker costs more than it saves. */
export const PARALLEL_THRESHOLD = 40;

/** Validators files (formatted) and the problems met emitting them. */
export interface ValidatorOutput {
  files: Map<string, string>;
  problems: Problem[];
}

/**
 * Validators modules to emit, shared between threads: each thread claims the next one with an
 * atomic increment of a counter in shared memory, so neither waits for the other (the main thread
 * is busy for seconds at a time and could not answer requests for work).
 */
export interface ValidatorQueue {
  /** Paths without extension, largest (estimated) first, so that the last ones claimed are small. */
  modules: readonly string[];
  /** One Int32: the index of the next module to claim. */
  next: SharedArrayBuffer;
}

/**
 * A queue of the given modules, largest first. Costs are estimates (the size of the schemas) and
 * only order the queue: the share each thread takes is decided as they go.
 */
export function createValidatorQueue(modules: readonly { module: string; cost: number }[]): ValidatorQueue {
  const sorted = [...modules].sort((a, b) => b.cost - a.cost || compareText(a.module, b.module));
  return { modules: sorted.map((m) => m.module), next: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT) };
}

/**
 * Emits and formats modules claimed from `queue` until none is left. `take` claims for this
 * thread; tests pass their own to force a split.
 */
export function drainValidatorQueue(ir: IR, queue: ValidatorQueue, cache?: ValidatorCache, take = claimer(queue)): ValidatorOutput {
  const files = new Map<string, string>();
  const problems: Problem[] = [];
  for (let module = take(); module !== undefined; module = take()) {
    const emitted = new Map<string, string>();
    emitValidatorModule(ir, module, emitted, problems, cache);
    // Formatted here, module by module, rather than all at the end: a thread that finishes the
    // queue is then done, with no batch of formatting left for the other to wait on.
    for (const [path, text] of format(emitted)) files.set(path, text);
  }
  return { files, problems };
}

/** A function that claims the next module of `queue` for this thread (undefined when none is left). */
export function claimer(queue: ValidatorQueue): () => string | undefined {
  const next = new Int32Array(queue.next);
  return () => queue.modules[Atomics.add(next, 0, 1)];
}

/**
 * The outputs of every thread as one, the same whichever thread emitted what: problems are sorted
 * by every field (files are keyed by path, and the caller orders them).
 */
export function joinValidatorOutputs(outputs: readonly ValidatorOutput[]): ValidatorOutput {
  const files = new Map<string, string>();
  const problems: Problem[] = [];
  for (const output of outputs) {
    for (const [path, text] of output.files) files.set(path, text);
    problems.push(...output.problems);
  }
  problems.sort((a, b) => compareProblems(a, b) || compareText(a.pointer, b.pointer) || compareText(a.severity, b.severity));
  return { files, problems };
}

/** A worker, started ahead of need so that its imports overlap the main thread's work. */
export interface ValidatorWorker {
  /** Emits (and formats) validators modules of the IR claimed from the queue, until it is empty. */
  run(ir: IR, queue: ValidatorQueue): Promise<ValidatorOutput>;
  close(): void;
}

/** Starts a worker when this machine and build allow it; undefined otherwise. */
export function startValidatorWorker(): ValidatorWorker | undefined {
  // The worker entry must be plain JavaScript: only the compiled package (dist/) can start one.
  const entry = new URL('./validators-worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.js') || availableParallelism() < 2) return undefined;
  const worker = new Worker(entry);
  // Unreferenced while idle, so that a run which never needs it does not wait for it; referenced
  // while it works, or the process could exit with the main thread waiting for its reply.
  worker.unref();
  let pending: { resolve: (output: ValidatorOutput) => void; reject: (err: Error) => void } | undefined;
  let failure: Error | undefined;
  const settle = (): typeof pending => {
    const waiting = pending;
    pending = undefined;
    worker.unref();
    return waiting;
  };
  worker.on('message', (reply: ({ ok: true } & ValidatorOutput) | { ok: false; message: string }) => {
    if (reply.ok) settle()?.resolve({ files: reply.files, problems: reply.problems });
    else settle()?.reject(new Error(`validator worker failed: ${reply.message}`));
  });
  // Listened to from the start: a worker that fails to load, before any run, must neither throw
  // an unhandled 'error' event nor leave a later run waiting for a reply that cannot come.
  const fail = (err: Error) => {
    failure ??= err;
    settle()?.reject(err);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`validator worker stopped (exit code ${code})`)));
  return {
    run(ir, queue) {
      const reply = new Promise<ValidatorOutput>((resolve, reject) => {
        if (failure) return reject(failure);
        pending = { resolve, reject };
        worker.ref();
        worker.postMessage({ ir, queue });
      });
      // The caller awaits the reply only after its own work: a failure before then must not be
      // reported as an unhandled rejection (and end the process) in the meantime.
      reply.catch(() => undefined);
      return reply;
    },
    close() {
      void worker.terminate();
    },
  };
}
