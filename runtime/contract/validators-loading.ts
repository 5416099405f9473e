/**
 * Loading a generated validators module, for agents and graphs alike: once per spec (a failed load
 * is forgotten, so the next run tries again), and, when it fails, an error that says what to do.
 */
import { UserError } from './errors.js';

/** Loads of each spec, started once. */
const loads = new WeakMap<object, Promise<unknown>>();

/** `load()` for `owner`, started once and shared; forgotten when it fails. */
export function loadOnce<T>(owner: object, load: () => Promise<T>): Promise<T> {
  let pending = loads.get(owner) as Promise<T> | undefined;
  if (!pending) {
    pending = load();
    loads.set(owner, pending);
    pending.catch(() => loads.delete(owner));
  }
  return pending;
}

/**
 * The error for validators of `what` (`agent weather`) that did not load, from a module of the
 * given kind (`agent`, `graph`), with the hint that fits.
 */
export function validatorsLoadError(what: string, kind: 'agent' | 'graph', err: unknown): UserError {
  return new UserError(`cannot load the validators of ${what}: ${(err as Error).message}; ${missingModuleHint(err, kind)}`, { cause: err });
}

/**
 * What to do about a validators module that did not load. A module that is not there at all is
 * most often one a build left behind: validators are generated as `.js` files beside their
 * `.d.ts`, which `tsc` copies to an outDir only with `allowJs` (bundlers follow the import).
 */
function missingModuleHint(err: unknown, kind: 'agent' | 'graph'): string {
  const code = (err as { code?: unknown } | null)?.code;
  const missing =
    code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /cannot find module|failed to (load|fetch)/i.test(String((err as Error | null)?.message));
  if (missing) {
    return `the generated validator modules (.js files beside their .d.ts) are not where the ${kind} module runs: when you compile with tsc to an outDir, set "allowJs": true so that tsc copies them, or copy the generated folder as it is; if the generated tree itself lacks them, regenerate with \`npx schemantic generate\``;
  }
  return 'regenerate with `npx schemantic generate`';
}
