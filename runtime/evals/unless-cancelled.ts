/**
 * Waiting on code the eval run does not own (a custom evaluator, a deps factory) only until the
 * eval run is cancelled: such code need not honour the signal, and one promise that never settles
 * must not keep Ctrl-C from ending the eval run with its report.
 */

/** Thrown in place of work left unfinished because the eval run was cancelled. */
export class EvalCancelled extends Error {
  constructor(what: string) {
    super(`cancelled: the eval run was cancelled before ${what} ended`);
    this.name = 'EvalCancelled';
  }
}

/**
 * `work`'s value, or an {@link EvalCancelled} rejection as soon as `signal` aborts. A value that
 * is not a promise is returned as it is (it has already ended, cancelled or not); a later
 * rejection of abandoned work is swallowed.
 */
export function unlessCancelled<T>(work: T | PromiseLike<T>, signal: AbortSignal, what: string): Promise<T> {
  if (!isPromiseLike(work)) return Promise.resolve(work);
  const settled = Promise.resolve(work);
  return new Promise<T>((resolve, reject) => {
    const stop = () => {
      settled.catch(() => undefined);
      reject(new EvalCancelled(what));
    };
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    settled.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
