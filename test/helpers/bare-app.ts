/**
 * An app as a user's project holds the runtime without its optional peers: a temporary folder
 * with the built runtime linked into its node_modules, run with --preserve-symlinks so that the
 * runtime's imports of a peer resolve from that project, which lacks it. For the tests that check
 * what an entry point says when its SDK is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

const runtime = fileURLToPath(new URL('../../runtime', import.meta.url));

/**
 * Makes the project (`app.mjs` holding `source`) before the file's tests and removes it after;
 * returns a function that runs it and gives its stdout and stderr.
 */
export function bareApp(label: string, source: string): () => { stdout: string; stderr: string } {
  let dir = '';
  beforeAll(() => {
    dir = realpathSync(mkdtempSync(path.join(tmpdir(), `schemantic-${label}-`)));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    writeFileSync(path.join(dir, 'app.mjs'), source);
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(runtime, path.join(dir, 'node_modules', 'schemantic'), 'dir');
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const child = spawnSync(process.execPath, ['--preserve-symlinks', 'app.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env['PATH'] ?? '' },
    });
    return { stdout: child.stdout, stderr: child.stderr };
  };
}
