/**
 * Running validator emission in a worker thread. Used by cold runs of the compiled CLI on
 * corpora big enough for it to pay off (starting a worker and loading Ajv in it costs about
 * 100 ms, overlapped with the main thread's own work); small and watch-mode runs stay in-thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { IR } from '../../compiler/ir/types.js';
import type { Problem } from '../../compiler/problems.js';

/** Below this many validator modules a worker costs more than it saves. */
export const PARALLEL_THRESHOLD = 40;

/** A worker, started ahead of need so that its imports overlap the main thread's work. */
export interface ValidatorWorker {
  /** Emits (and formats) the given validators modules of the IR. */
  run(ir: IR, modules: string[]): Promise<{ files: Map<string, string>; problems: Problem[] }>;
  close(): void;
}

/**
 * Splits validators modules between the worker and this thread, by estimated cost. This thread
 * also emits the types and modules, so it takes the smaller share.
 */
export function splitValidatorWork(modules: { module: string; cost: number }[], ownShare = 0.25): { worker: string[]; own: Set<string> } {
  const total = modules.reduce((sum, m) => sum + m.cost, 0);
  const own = new Set<string>();
  let taken = 0;
  // Smallest first: many small modules balance better than a few large ones.
  for (const m of [...modules].sort((a, b) => a.cost - b.cost)) {
    if (taken + m.cost > total * ownShare) break;
    own.add(m.module);
    taken += m.cost;
  }
  return { worker: modules.map((m) => m.module).filter((m) => !own.has(m)), own };
}

/** Starts a worker when this machine and build allow it; undefined otherwise. */
export function startValidatorWorker(): ValidatorWorker | undefined {
  // The worker entry must be plain JavaScript: only the compiled package (dist/) can start one.
  const entry = new URL('./validators-worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.js') || availableParallelism() < 2) return undefined;
  const worker = new Worker(entry);
  worker.unref();
  return {
    run(ir, modules) {
      return new Promise((resolve, reject) => {
        worker.once('message', (reply: { ok: true; files: Map<string, string>; problems: Problem[] } | { ok: false; message: string }) => {
          if (reply.ok) resolve({ files: reply.files, problems: reply.problems });
          else reject(new Error(`validator worker failed: ${reply.message}`));
        });
        worker.once('error', reject);
        worker.postMessage({ ir, wanted: modules });
      });
    },
    close() {
      void worker.terminate();
    },
  };
}
