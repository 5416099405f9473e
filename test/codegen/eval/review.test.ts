/**
 * Review of `schemantic eval` under unusual input: report destinations that cannot be written
 * (an --html folder that is a file, an --out file that is a folder) and case names holding
 * terminal escapes in the progress lines.
 */
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, root, run, type Finished } from '../serve/cli-process.js';

const evalCli = (args: readonly string[]): Promise<Finished> => run(process.execPath, [bin, 'eval', ...args]);
const fixture = (name: string) => path.relative(root, path.join(root, 'test/codegen/eval/fixtures', name));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'schemantic-eval-review-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('schemantic eval review', () => {
  it('--html naming an existing file is a clear error with exit code 1, not an internal error', async () => {
    const file = path.join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const done = await evalCli(['--agent', 'weather', '--html', file]);
    expect(done.stderr).not.toContain('internal error');
    expect(done.code, done.stderr).toBe(1);
    expect(done.stderr).toContain('cannot write the HTML report');
    // The report itself was still printed.
    expect(done.stdout).toContain('two-places');
  });

  it('--html into a folder whose index.html is a folder fails clearly and leaves no temporary file behind', async () => {
    const folder = path.join(dir, 'html-blocked');
    await mkdir(path.join(folder, 'index.html', 'inner'), { recursive: true });
    const done = await evalCli(['--agent', 'weather', '--html', folder]);
    expect(done.code, done.stderr).toBe(1);
    expect(done.stderr).toContain('cannot write the HTML report');
    expect(await readdir(folder)).toEqual(['index.html']);
  });

  it('--out naming an existing folder is a clear error with exit code 1, not an internal error', async () => {
    const folder = path.join(dir, 'a-folder');
    await mkdir(folder, { recursive: true });
    const done = await evalCli(['--agent', 'weather', '--format', 'json', '--out', folder]);
    expect(done.stderr).not.toContain('internal error');
    expect(done.code, done.stderr).toBe(1);
    expect(done.stderr).toContain('cannot write');
  });

  it('progress lines show a case name with escapes and line ends as visible text', async () => {
    const done = await evalCli(['--agent', 'sql_gen', '--entry', fixture('hostile-names-entry.ts'), '--fail-on', 'never']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).not.toContain('\u001b');
    expect(done.stderr).not.toContain('\u0007');
    expect(done.stderr).not.toMatch(/^\[9\/9\] hostile\/forged/m);
    expect(done.stdout).not.toContain('\u001b');
  });
});
