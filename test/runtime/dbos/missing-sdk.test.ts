/**
 * Without `@dbos-inc/dbos-sdk` installed, `schemantic/dbos` still imports, and making a durable
 * agent is a UserError naming the package to install (as a user's app meets it: the built
 * runtime, linked into a project outside the repository, run with --preserve-symlinks so that the
 * SDK's import resolves from that project, which lacks it).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const runtime = fileURLToPath(new URL('../../../runtime', import.meta.url));

const APP = `
import { agent, UserError } from 'schemantic';
import { dbosAgent } from 'schemantic/dbos';

let caught = null;
try {
  await dbosAgent(agent({ name: 'a', model: 'test' }));
} catch (error) {
  caught = { userError: UserError.isInstance(error), message: error.message };
}
console.log(JSON.stringify(caught));
`;

let dir = '';
beforeAll(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'schemantic-dbos-missing-')));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  writeFileSync(path.join(dir, 'app.mjs'), APP);
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(runtime, path.join(dir, 'node_modules', 'schemantic'), 'dir');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('schemantic/dbos without DBOS Transact', () => {
  it('imports, and says what to install when a durable agent is made', () => {
    const child = spawnSync(process.execPath, ['--preserve-symlinks', 'app.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env['PATH'] ?? '' },
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout.trim())).toEqual({
      userError: true,
      message: 'schemantic/dbos needs DBOS Transact (@dbos-inc/dbos-sdk is not installed): npm install @dbos-inc/dbos-sdk@"^5.3.0"',
    });
  });
});
