/**
 * Loading an app's modules from the command line (`serve --mcp ENTRY`, `eval`): TypeScript
 * through tsx, in one namespace so that the app's modules and the runtime entry point loaded
 * beside them share module instances (one copy of the runtime, one registry of providers).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Imports `specifier` as a module imported from `parent` (a file URL) would. */
export type ModuleLoader = (specifier: string, parent: string) => Promise<unknown>;

/**
 * The loader: tsx when it is installed (TypeScript, and tsconfig paths), else Node's own
 * import, for JavaScript. `file` and `entry` (as the user wrote it) word the error when a
 * TypeScript file cannot be loaded.
 */
export async function moduleLoader(file: string, entry: string, namespace: string): Promise<ModuleLoader> {
  let tsx: typeof import('tsx/esm/api') | undefined;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    tsx = undefined;
  }
  if (tsx) {
    const api = tsx.register({ namespace });
    return (specifier, parent) => api.import(specifier, parent);
  }
  if (/\.[cm]?tsx?$/.test(file))
    throw new Error(`${entry} is TypeScript, and loading TypeScript needs tsx: npm install --save-dev tsx (or compile ${entry} and use the .js file)`);
  return (specifier, parent) => import(specifier.startsWith('file:') ? specifier : pathToFileURL(createRequire(parent).resolve(specifier)).href);
}
