/**
 * The check a generated agent runs on its first use: was it generated for this runtime?
 */
import { UserError } from '../contract/errors.js';
import { VERSION } from '../contract/version.js';

/**
 * True when `version` satisfies a caret range such as `^0.1.0` (the only form the generator
 * writes): same major version, or for 0.x the same minor, and not older.
 */
export function satisfiesCaret(version: string, range: string): boolean {
  const want = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  const have = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!want || !have) return false;
  const [wMajor, wMinor, wPatch] = want.slice(1).map(Number) as [number, number, number];
  const [hMajor, hMinor, hPatch] = have.slice(1).map(Number) as [number, number, number];
  if (hMajor !== wMajor) return false;
  if (wMajor === 0 && hMinor !== wMinor) return false;
  if (hMinor !== wMinor) return hMinor > wMinor;
  return hPatch >= wPatch;
}

/** Throws a {@link UserError} naming the fix when generated code needs another runtime. */
export function assertRuntimeCompatible(range: string, source: string): void {
  if (satisfiesCaret(VERSION, range)) return;
  throw new UserError(
    `${source} was generated for schemantic ${range}, but the installed runtime is ${VERSION}: ` +
      'regenerate with `npx schemantic generate` (or install a matching schemantic version)',
  );
}
