/**
 * A value scoped to an async call tree: Node's `AsyncLocalStorage`, reached without importing
 * `node:async_hooks`, so that the runtime bundles for any platform (edge runtimes, browsers).
 *
 * Where does it come from: a global `AsyncLocalStorage` (Vercel's and other edge runtimes), else
 * `process.getBuiltinModule` (Node 20.16 and later, Deno, Bun, workerd with `nodejs_compat`).
 * Without either (a browser), a scope holds for the callback's synchronous start: a run started
 * there sees it, one started after an `await` does not, and concurrent scopes are not isolated.
 */

/** A value that `run` sets for everything `fn` calls. */
export interface AsyncScope<T> {
  /** Calls `fn` with `value` in scope. */
  run<R>(value: T, fn: () => R): R;
  /** The value in scope here, if any. */
  getStore(): T | undefined;
}

type StorageClass = new <T>() => AsyncScope<T>;

interface Host {
  AsyncLocalStorage?: StorageClass;
  process?: { getBuiltinModule?: (id: string) => { AsyncLocalStorage?: StorageClass } | undefined };
}

function storageClass(): StorageClass | undefined {
  const host = globalThis as Host;
  if (typeof host.AsyncLocalStorage === 'function') return host.AsyncLocalStorage;
  try {
    return host.process?.getBuiltinModule?.('node:async_hooks')?.AsyncLocalStorage;
  } catch {
    return undefined;
  }
}

/** The fallback where no AsyncLocalStorage exists: scoped to the synchronous part of `fn`. */
class SyncScope<T> implements AsyncScope<T> {
  private current: T | undefined;

  run<R>(value: T, fn: () => R): R {
    const previous = this.current;
    this.current = value;
    try {
      return fn();
    } finally {
      this.current = previous;
    }
  }

  getStore(): T | undefined {
    return this.current;
  }
}

/** A new scope, async-aware where the platform allows. */
export function createAsyncScope<T>(): AsyncScope<T> {
  const Storage = storageClass();
  return Storage ? new Storage<T>() : new SyncScope<T>();
}
