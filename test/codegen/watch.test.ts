/**
 * `generate --watch`: regenerates on add, edit, delete and rename, one line per run; an invalid
 * edit prints its problems and leaves the output as it was.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watch, type Watcher } from '../../codegen/cli/commands/generate.js';
import { captureIo } from '../helpers/io.js';
import { readTree, useTempProject } from '../helpers/fs.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

let cwd: string;
let watcher: Watcher | undefined;
useTempProject('schemantic-watch-', path.join(root, 'test/codegen/fixtures/basic'), (dir) => (cwd = dir));
// Registered after the project's hooks, so it runs before the folder is removed.
afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
});

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  // A check may race a run that is removing files; that counts as "not yet".
  while (
    !(await Promise.resolve()
      .then(condition)
      .catch(() => false))
  ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function tree(): Promise<Record<string, string>> {
  return readTree(path.join(cwd, 'generated'));
}

describe('generate --watch', () => {
  it('regenerates on edit, add, rename and delete, and survives an invalid edit', async () => {
    const io = captureIo();
    watcher = await watch({ cwd, schemas: 'schemas', out: 'generated' }, io, { debounceMs: 40 });
    expect(io.stdout).toHaveLength(1);
    expect(io.stdout[0]).toMatch(/^schemantic watch: 7 files written, 0 unchanged, 0 removed \(\d+ ms\)$/);
    const lines = () => io.stdout.length;

    // Edit.
    const defs = path.join(cwd, 'schemas/defs.yaml');
    const original = await readFile(defs, 'utf8');
    await writeFile(defs, original.replace('Help {{customer.name}}', 'Assist {{customer.name}}'));
    await waitFor(() => io.stdout.slice(1).some((l) => /^schemantic watch: 1 file written, 6 unchanged, 0 removed \(\d+ ms\)$/.test(l)), 'the edit');
    expect((await tree())['agents/support.ts']).toContain('Assist ');

    // An invalid edit: problems printed, output untouched.
    const before = await tree();
    await writeFile(defs, original.replace('tools: [lookup_user]', 'tools: [lookup_usr]'));
    const seen = lines();
    await waitFor(() => io.stdout.slice(seen).some((l) => /^schemantic watch: 1 error; generated\/ left as it was/.test(l)), 'the invalid edit');
    expect(io.stderr.join('\n')).toContain('schemas/defs.yaml:31:13 error unknown-tool /agents/support/tools/0');
    expect(await tree()).toEqual(before);

    // Fixed again, then a new file.
    await writeFile(defs, original);
    await waitFor(async () => (await tree())['agents/support.ts'] === before['agents/support.ts']!.replace('Assist ', 'Help '), 'the fix');
    await writeFile(path.join(cwd, 'schemas/extra.yaml'), 'spec: schemantic/v1\ntypes:\n  Extra: { type: string }\n');
    await waitFor(async () => 'types/extra.ts' in (await tree()), 'the new file');

    // Rename it: the old module goes, the new one comes.
    await rename(path.join(cwd, 'schemas/extra.yaml'), path.join(cwd, 'schemas/renamed.yaml'));
    await waitFor(async () => {
      const t = await tree();
      return 'types/renamed.ts' in t && !('types/extra.ts' in t);
    }, 'the rename');

    // Delete it.
    await rm(path.join(cwd, 'schemas/renamed.yaml'));
    await waitFor(async () => !('types/renamed.ts' in (await tree())), 'the delete');
    expect(io.stderr.filter((l) => l.includes('internal'))).toEqual([]);
  });
});
