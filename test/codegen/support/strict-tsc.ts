/**
 * Type-checking some generated files on their own, under the project's strict settings: a
 * throw-away tsconfig that extends the root one (its `paths` point `schemantic` at the runtime
 * sources) and includes only the given folders, checked with the native compiler.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

/** The compiler's diagnostics for `dirs` (absolute folders), one per line; empty when they compile. */
export function strictTypeErrors(dirs: readonly string[]): string[] {
  const temp = mkdtempSync(path.join(os.tmpdir(), 'schemantic-tsc-'));
  try {
    const config = path.join(temp, 'tsconfig.json');
    writeFileSync(
      config,
      JSON.stringify({
        extends: path.join(root, 'tsconfig.json'),
        compilerOptions: { noEmit: true, typeRoots: [path.join(root, 'node_modules/@types')] },
        include: dirs.map((d) => path.join(d, '**/*')),
      }),
    );
    const result = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', config, '--pretty', 'false'], {
      cwd: root,
      encoding: 'utf8',
    });
    return (result.stdout + result.stderr)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
