/**
 * Folders in tests: a throw-away project per test, and a folder read back as a sorted list or
 * record. (The write stage's own reader sees only generated files; these see everything, the
 * user's own files included, which is what the tests assert about.)
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** Every file under `dir`, as sorted paths relative to it with `/` separators. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Every file under `dir` with its text, keyed as {@link listFiles} lists them (in that order). */
export function readTree(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((rel) => [rel, readFileSync(path.join(dir, rel), 'utf8')]));
}

/**
 * A fresh temporary folder for each test of the file, holding a copy of `fixture` as `schemas/`,
 * handed to `ready` (which may set up more) and removed after the test. After-hooks the file
 * registers later run before the removal (Vitest runs them in reverse order).
 */
export function useTempProject(prefix: string, fixture: string, ready: (dir: string) => void): void {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    cpSync(fixture, path.join(dir, 'schemas'), { recursive: true });
    ready(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
}
