/**
 * Issue 10, "`schemantic diff --rules | head` dies with an EPIPE stack": every command's output
 * tolerates a reader that closes it. The built command runs with its stdout piped into a reader
 * that closes the pipe after the first line (or before anything is written): it stops writing,
 * finishes, and exits with its own exit code, with nothing on stderr.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempProject } from '../helpers/fs.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const bin = path.join(root, 'codegen/bin/schemantic.js');
const fixture = path.join(root, 'test/codegen/fixtures/basic');

let cwd: string;
useTempProject('schemantic-pipe-', fixture, (dir) => (cwd = dir));

interface Run {
  /** What the reader read before it closed the pipe. */
  read: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs the built command with stdout piped into a reader that closes the pipe as soon as it has
 * a whole line (`after: 'first-line'`), or at once (`after: 'start'`).
 */
function runClosingStdout(args: readonly string[], after: 'first-line' | 'start'): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let read = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    if (after === 'start') child.stdout.destroy();
    else
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        read += chunk;
        if (read.includes('\n')) child.stdout.destroy();
      });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ read, code, signal, stderr }));
  });
}

/** A definitions folder whose diff against an empty one is a long report (far more than a pipe holds). */
async function manyTools(): Promise<void> {
  const lines = ['spec: schemantic/v1', 'tools:'];
  for (let i = 0; i < 1500; i++)
    lines.push(`  tool_${i}:`, `    description: Tool ${i}.`, '    parameters: { type: object, properties: { a: { type: string } } }');
  await writeFile(path.join(cwd, 'schemas/many.yaml'), lines.join('\n') + '\n');
  mkdirSync(path.join(cwd, 'empty'));
  await writeFile(path.join(cwd, 'empty/defs.yaml'), 'spec: schemantic/v1\n');
}

describe('a closed stdout', () => {
  it('`schemantic diff --rules | head -1`: exits 0 quietly', async () => {
    const run = await runClosingStdout(['diff', '--rules'], 'first-line');
    expect(run.read.split('\n')[0]).toMatch(/^rule +parameters, context +returns, output +what it detects$/);
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ code: 0, signal: null });
  });

  it('a long diff report read up to its first line: exits with the diff exit code, quietly', async () => {
    await manyTools();
    const run = await runClosingStdout(['diff', '--against', 'empty'], 'first-line');
    expect(run.read.split('\n')[0]).toBe('agent support');
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ code: 0, signal: null });
  });

  it.each([
    [['--help'], 0],
    [['--version'], 0],
    [['diff', '--rules'], 0],
    [['generate', '--help'], 0],
    [['generate'], 0],
    [['validate'], 0],
    [['export'], 0],
    [['docs'], 0],
    [['generate', '--check'], 1],
  ])('closed before anything is written: %j exits %i, quietly', async (args, code) => {
    const run = await runClosingStdout(args, 'start');
    expect(run.stderr.split('\n').filter((l) => /EPIPE|Error|at /.test(l))).toEqual([]);
    expect(run).toMatchObject({ code, signal: null });
  });
});
