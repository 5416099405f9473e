/**
 * `generate --watch`: regenerates on add, edit, delete and rename (of definitions, and of eval
 * datasets in the evals folder), one line per run; an invalid edit prints its problems and leaves
 * the output as it was.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watch, type Watcher } from '../../codegen/cli/commands/generate-watch.js';
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

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, options: { rethrow?: boolean } = {}): Promise<void> {
  const deadline = Date.now() + 20_000;
  // A check may race a run that is removing files; that counts as "not yet" (unless told to rethrow).
  while (
    !(await Promise.resolve()
      .then(condition)
      .catch((err: unknown) => {
        if (options.rethrow) throw err;
        return false;
      }))
  ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits for a line of standard output, from line `from` on, that matches `pattern`. */
async function waitForLine(io: { stdout: string[] }, from: number, pattern: RegExp, what: string): Promise<void> {
  await waitFor(() => io.stdout.slice(from).some((l) => pattern.test(l)), what).catch((err: Error) => {
    throw new Error(`${err.message}; output so far:\n${io.stdout.join('\n')}`);
  });
}

async function tree(): Promise<Record<string, string>> {
  return readTree(path.join(cwd, 'generated'));
}

describe('generate --watch', () => {
  it('regenerates on edit, add, rename and delete, and survives an invalid edit', async () => {
    const io = captureIo();
    watcher = await watch({ cwd, schemas: 'schemas', out: 'generated' }, io, { debounceMs: 40 });
    expect(io.stdout).toHaveLength(1);
    expect(io.stdout[0]).toMatch(/^schemantic watch: 8 files written, 0 unchanged, 0 removed \(\d+ ms\)$/);
    const lines = () => io.stdout.length;

    // Edit.
    const defs = path.join(cwd, 'schemas/defs.yaml');
    const original = await readFile(defs, 'utf8');
    await writeFile(defs, original.replace('Help {{customer.name}}', 'Assist {{customer.name}}'));
    await waitFor(() => io.stdout.slice(1).some((l) => /^schemantic watch: 2 files written, 6 unchanged, 0 removed \(\d+ ms\)$/.test(l)), 'the edit');
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

  it('still notices in-place writes after a rename-style save (as sed -i and most editors do)', async () => {
    const io = captureIo();
    watcher = await watch({ cwd, schemas: 'schemas', out: 'generated' }, io, { debounceMs: 40 });
    const defs = path.join(cwd, 'schemas/defs.yaml');
    const original = await readFile(defs, 'utf8');

    // Saved as `sed -i` saves: a new file beside it, renamed over the original.
    const temp = path.join(cwd, 'schemas/sedR4nd0m');
    await writeFile(temp, original.replace('Help {{customer.name}}', 'Assist {{customer.name}}'));
    await rename(temp, defs);
    await waitForLine(io, 1, /^schemantic watch: 2 files written, 6 unchanged, 0 removed/, 'the rename-style save');
    expect((await tree())['agents/support.ts']).toContain('Assist ');

    // Then written in place, twice: both are noticed.
    await writeFile(defs, original.replace('Help {{customer.name}}', 'Aid {{customer.name}}'));
    await waitFor(async () => (await tree())['agents/support.ts']!.includes('Aid '), 'the first in-place write');
    await writeFile(defs, original);
    await waitFor(async () => (await tree())['agents/support.ts']!.includes('Help '), 'the second in-place write');
  });

  it('waits while the definitions folder is renamed away, and regenerates when it comes back', async () => {
    const io = captureIo();
    watcher = await watch({ cwd, schemas: 'schemas', out: 'generated' }, io, { debounceMs: 40 });
    const before = await tree();
    const away = path.join(cwd, 'schemas-away');

    await rename(path.join(cwd, 'schemas'), away);
    await waitForLine(io, 1, /^schemantic watch: no definitions folder at schemas\/; waiting for it$/, 'the missing folder');
    // Nothing is removed from the output while the definitions are gone.
    expect(await tree()).toEqual(before);

    // Edited while away; renamed back: regenerated with the edit.
    const defs = path.join(away, 'defs.yaml');
    const original = await readFile(defs, 'utf8');
    await writeFile(defs, original.replace('Help {{customer.name}}', 'Assist {{customer.name}}'));
    const seen = io.stdout.length;
    await rename(away, path.join(cwd, 'schemas'));
    await waitForLine(io, seen, /^schemantic watch: 2 files written, 6 unchanged, 0 removed/, 'the folder coming back');
    expect((await tree())['agents/support.ts']).toContain('Assist ');

    // And it is watched again.
    await writeFile(path.join(cwd, 'schemas/defs.yaml'), original);
    await waitFor(async () => (await tree())['agents/support.ts']!.includes('Help '), 'an edit after the return');

    // Replaced by a new folder (a new inode, as `git checkout` or a sync tool may do): the same.
    await rename(path.join(cwd, 'schemas'), away);
    await waitFor(() => io.stdout.filter((l) => l.includes('no definitions folder at schemas/')).length === 2, 'the folder going again');
    await mkdir(path.join(cwd, 'schemas'));
    await writeFile(path.join(cwd, 'schemas/defs.yaml'), original.replace('Help {{customer.name}}', 'Serve {{customer.name}}'));
    await waitFor(async () => (await tree())['agents/support.ts']!.includes('Serve '), 'the new folder');
    expect(io.stderr.filter((l) => l.includes('internal'))).toEqual([]);
  });

  it('keeps running as a command when the definitions folder is renamed away and back', async () => {
    const bin = path.join(root, 'codegen/bin/schemantic.js');
    const child = spawn(process.execPath, [bin, 'generate', '--watch'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: string[] = [];
    let exit: number | null | undefined;
    const exited = new Promise<void>((resolve) => child.on('exit', (code) => ((exit = code), resolve())));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => out.push(...chunk.split('\n').filter(Boolean)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => out.push(...chunk.split('\n').filter(Boolean)));
    const until = (test: (l: string) => boolean, what: string) =>
      waitFor(
        () => {
          if (exit !== undefined) throw new Error(`the watch ended with exit code ${exit} before ${what}:\n${out.join('\n')}`);
          return out.some(test);
        },
        what,
        { rethrow: true },
      );
    try {
      await until((l) => /^schemantic watch: 8 files written/.test(l), 'the first run');
      await rename(path.join(cwd, 'schemas'), path.join(cwd, 'schemas-away'));
      await until((l) => l.includes('no definitions folder at schemas/'), 'the missing folder');
      await rename(path.join(cwd, 'schemas-away'), path.join(cwd, 'schemas'));
      await until((l) => /^schemantic watch: 0 files written, 8 unchanged/.test(l), 'the folder coming back');
      child.kill('SIGTERM');
      await exited;
      expect(exit).toBe(0);
    } finally {
      if (exit === undefined) child.kill('SIGKILL');
    }
  });

  it('reloads schemantic.config.json when it changes, and reports an invalid one without stopping', async () => {
    const config = path.join(cwd, 'schemantic.config.json');
    await writeFile(config, '{ "out": "generated" }\n');
    const io = captureIo();
    watcher = await watch({ cwd, schemas: 'schemas', out: 'generated' }, io, { debounceMs: 40, flags: {} });

    // A new output folder: generated there.
    await writeFile(config, '{ "out": "gen2" }\n');
    await waitForLine(io, 1, /^schemantic watch: settings reloaded from schemantic\.config\.json$/, 'the config edit');
    await waitFor(async () => Object.keys(await readTree(path.join(cwd, 'gen2'))).length === 8, 'the new output folder');

    // Invalid: reported, and the previous settings stay in force.
    await writeFile(config, '{ "out": 5 }\n');
    await waitFor(() => io.stderr.some((l) => l.startsWith('schemantic.config.json:1:') && l.includes('config-error')), 'the invalid config');
    await waitForLine(io, 1, /^schemantic watch: schemantic\.config\.json: 1 error; keeping the previous settings$/, 'the invalid config');
    const defs = path.join(cwd, 'schemas/defs.yaml');
    const original = await readFile(defs, 'utf8');
    await writeFile(defs, original.replace('Help {{customer.name}}', 'Assist {{customer.name}}'));
    await waitFor(async () => (await readTree(path.join(cwd, 'gen2')))['agents/support.ts']!.includes('Assist '), 'an edit under the invalid config');

    // Fixed: in force again.
    await writeFile(config, '{ "out": "generated" }\n');
    await waitFor(async () => (await tree())['agents/support.ts']!.includes('Assist '), 'the fixed config');
  });

  it('reloads the "schemantic" key of package.json; flags still win', async () => {
    const pkg = path.join(cwd, 'package.json');
    await writeFile(pkg, JSON.stringify({ name: 'app', schemantic: { out: 'generated' } }));
    const io = captureIo();
    watcher = await watch({ cwd, schemas: 'schemas', out: 'generated' }, io, { debounceMs: 40, flags: { schemas: 'schemas' } });
    await writeFile(pkg, JSON.stringify({ name: 'app', schemantic: { schemas: 'defs', out: 'gen3' } }));
    await waitForLine(io, 1, /^schemantic watch: settings reloaded from package\.json \(schemantic key\)$/, 'the package.json edit');
    // The output follows the config; --schemas was given, so the definitions stay in schemas/ (there is no defs/).
    await waitFor(async () => Object.keys(await readTree(path.join(cwd, 'gen3'))).length === 8, 'the output in gen3/');
    expect(io.stdout.filter((l) => l.includes('defs/'))).toEqual([]);
  });

  describe('eval datasets', () => {
    /** A dataset of the fixture's `support` agent whose one case expects `expected`. */
    const dataset = (expected: string, name = 'Ann') =>
      `spec: schemantic-evals/v1\ncases:\n  - name: greet\n    prompt: Hello\n    context: { customer: { name: ${name} } }\n    expected: ${expected}\n`;
    const evalsDir = () => path.join(cwd, 'evals');
    const run = /^schemantic watch: \d+ files? written, \d+ unchanged, \d+ removed/;

    /** Waits until nothing has changed for a while and no run is due, then for the runs so made. */
    async function quiet(): Promise<void> {
      await new Promise((r) => setTimeout(r, 400));
      await watcher!.settled();
    }

    it('regenerates a dataset module when its dataset is edited', async () => {
      await mkdir(evalsDir());
      await writeFile(path.join(evalsDir(), 'support.yaml'), dataset('Hi Ann'));
      const io = captureIo();
      watcher = await watch({ cwd, schemas: 'schemas', out: 'generated' }, io, { debounceMs: 40 });
      expect((await tree())['evals/support.ts']).toContain('"Hi Ann"');

      await writeFile(path.join(evalsDir(), 'support.yaml'), dataset('Hello Ann'));
      await waitFor(async () => (await tree())['evals/support.ts']!.includes('"Hello Ann"'), 'the dataset edit');
      // Only the dataset's module and the manifest: the agents are untouched.
      await waitForLine(io, 1, /^schemantic watch: 2 files written, \d+ unchanged, 0 removed/, 'the run line');

      // A second dataset, added then renamed: its module comes, then follows the new name.
      await writeFile(path.join(evalsDir(), 'other.yaml'), `agent: support\n${dataset('Yo')}`);
      await waitFor(async () => 'evals/other.ts' in (await tree()), 'the added dataset');
      await rename(path.join(evalsDir(), 'other.yaml'), path.join(evalsDir(), 'renamed.yaml'));
      await waitFor(async () => {
        const t = await tree();
        return 'evals/renamed.ts' in t && !('evals/other.ts' in t);
      }, 'the renamed dataset');
      await rm(path.join(evalsDir(), 'renamed.yaml'));
      await waitFor(async () => !('evals/renamed.ts' in (await tree())), 'the deleted dataset');
      expect(io.stderr).toEqual([]);
    });

    it('watches an evals folder made after the watch started, and one deleted and made again', async () => {
      const io = captureIo();
      watcher = await watch({ cwd, schemas: 'schemas', out: 'generated' }, io, { debounceMs: 40 });
      expect(Object.keys(await tree()).filter((f) => f.startsWith('evals/'))).toEqual([]);

      await mkdir(evalsDir());
      await writeFile(path.join(evalsDir(), 'support.yaml'), dataset('Hi Ann'));
      await waitFor(async () => (await tree())['evals/support.ts']?.includes('"Hi Ann"') === true, 'the new folder and dataset');
      // Its files are watched from then on.
      await writeFile(path.join(evalsDir(), 'support.yaml'), dataset('Hello Ann'));
      await waitFor(async () => (await tree())['evals/support.ts']!.includes('"Hello Ann"'), 'an edit in the new folder');

      // Deleted: its modules go. Made again (perhaps on the same inode): watched again.
      await rm(evalsDir(), { recursive: true });
      await waitFor(async () => !('evals/support.ts' in (await tree())), 'the folder deleted');
      await mkdir(evalsDir());
      await writeFile(path.join(evalsDir(), 'support.yaml'), dataset('Hey Ann'));
      await waitFor(async () => (await tree())['evals/support.ts']?.includes('"Hey Ann"') === true, 'the folder made again');
      await writeFile(path.join(evalsDir(), 'support.yaml'), dataset('Howdy Ann'));
      await waitFor(async () => (await tree())['evals/support.ts']!.includes('"Howdy Ann"'), 'an edit in the folder made again');
      expect(io.stderr).toEqual([]);
    });

    it('runs nothing on edits of other files of the evals folder (index.ts) or of its subfolders', async () => {
      await mkdir(path.join(evalsDir(), 'fixtures'), { recursive: true });
      await writeFile(path.join(evalsDir(), 'support.yaml'), dataset('Hi Ann'));
      await writeFile(path.join(evalsDir(), 'index.ts'), 'export {};\n');
      const io = captureIo();
      watcher = await watch({ cwd, schemas: 'schemas', out: 'generated' }, io, { debounceMs: 40 });
      expect(io.stdout).toHaveLength(1);

      await writeFile(path.join(evalsDir(), 'index.ts'), 'export const edited = true;\n');
      await writeFile(path.join(evalsDir(), 'helpers.ts'), 'export {};\n');
      await writeFile(path.join(evalsDir(), 'fixtures/data.yaml'), 'a: 1\n');
      await quiet();
      expect(io.stdout).toHaveLength(1);

      // Still watching: a dataset edit is one run.
      await writeFile(path.join(evalsDir(), 'support.yaml'), dataset('Hello Ann'));
      await waitForLine(io, 1, run, 'the dataset edit');
      await quiet();
      expect(io.stdout.slice(1)).toEqual([expect.stringMatching(/^schemantic watch: 2 files written, \d+ unchanged, 0 removed/)]);
    });

    it('prints the located problem of an invalid dataset edit and leaves the output as it was', async () => {
      await mkdir(evalsDir());
      await writeFile(path.join(evalsDir(), 'support.yaml'), dataset('Hi Ann'));
      const io = captureIo();
      watcher = await watch({ cwd, schemas: 'schemas', out: 'generated' }, io, { debounceMs: 40 });
      const before = await tree();
      expect(before['evals/support.ts']).toContain('"Hi Ann"');

      await writeFile(path.join(evalsDir(), 'support.yaml'), dataset('Hi Ann', '7'));
      await waitForLine(io, 1, /^schemantic watch: 1 error; generated\/ left as it was/, 'the invalid edit');
      expect(io.stderr.join('\n')).toContain('evals/support.yaml:5:34 error eval-invalid-context /cases/0/context/customer/name');
      expect(await tree()).toEqual(before);

      // Fixed: regenerated.
      await writeFile(path.join(evalsDir(), 'support.yaml'), dataset('Hello Ann'));
      await waitFor(async () => (await tree())['evals/support.ts']!.includes('"Hello Ann"'), 'the fix');
    });

    it('follows the "evals" setting of a reloaded configuration', async () => {
      const config = path.join(cwd, 'schemantic.config.json');
      await writeFile(config, '{ "out": "generated" }\n');
      await mkdir(path.join(cwd, 'datasets'));
      await writeFile(path.join(cwd, 'datasets/support.yaml'), dataset('From datasets'));
      const io = captureIo();
      watcher = await watch({ cwd, schemas: 'schemas', out: 'generated' }, io, { debounceMs: 40, flags: {} });
      expect('evals/support.ts' in (await tree())).toBe(false);

      await writeFile(config, '{ "out": "generated", "evals": "datasets" }\n');
      await waitFor(async () => (await tree())['evals/support.ts']?.includes('"From datasets"') === true, 'the new evals folder');
      // Its datasets are watched now, and those of the folder left are not.
      await writeFile(path.join(cwd, 'datasets/support.yaml'), dataset('Edited'));
      await waitFor(async () => (await tree())['evals/support.ts']!.includes('"Edited"'), 'an edit in the new evals folder');
      await quiet();
      const seen = io.stdout.length;
      await mkdir(evalsDir());
      await writeFile(path.join(evalsDir(), 'support.yaml'), dataset('Old folder'));
      await quiet();
      expect(io.stdout.slice(seen)).toEqual([]);
    });
  });

  it.skipIf(process.platform === 'win32')('reports a watcher error and keeps watching', async () => {
    const io = captureIo();
    watcher = await watch({ cwd, schemas: 'schemas', out: 'generated' }, io, { debounceMs: 40 });
    // A symbolic link to itself: the watcher cannot stat it (ELOOP); the definitions reader skips it.
    await symlink('loop.yaml', path.join(cwd, 'schemas/loop.yaml'));
    await waitFor(() => io.stderr.some((l) => /^schemantic watch: watcher error: ELOOP\b.*; still watching$/.test(l)), 'the watcher error');
    const defs = path.join(cwd, 'schemas/defs.yaml');
    await writeFile(defs, (await readFile(defs, 'utf8')).replace('Help {{customer.name}}', 'Assist {{customer.name}}'));
    await waitFor(async () => (await tree())['agents/support.ts']!.includes('Assist '), 'an edit after the error');
  });
});
