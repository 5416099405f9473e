/**
 * A provider whose SDK is not installed: the run's promise rejects with a UserError that says
 * what to install, the caller's try/catch gets it, and nothing escapes as an unhandled rejection
 * (which would end the process).
 *
 * In a spawned Node process, as a user's app runs: a project in a temp folder outside the
 * repository whose node_modules holds only the built runtime (a link to runtime/). Node runs with
 * --preserve-symlinks, so the runtime's `import('openai')` resolves from the project, where there
 * is no SDK, rather than from the repository's node_modules. The instructions wait a moment
 * before the first request, as instructions that read a database do: the SDK's failed import has
 * then settled long before the request that would observe it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

const APP = `
import { agent, UserError } from 'schemantic';
import 'schemantic/openai';
import 'schemantic/anthropic';

const unhandled = [];
process.on('unhandledRejection', (reason) => unhandled.push(String(reason)));

let caught = null;
try {
  const a = agent({
    name: 'a',
    model: process.argv[2],
    instructions: async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return 'Be brief.';
    },
  });
  if (process.argv[3] === 'stream') await a.runStream('Hello').output();
  else await a.run('Hello');
} catch (error) {
  caught = { name: error.name, userError: UserError.isInstance(error), message: error.message };
}
// Time for a rejection left unobserved to be reported.
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(JSON.stringify({ caught, unhandled }));
`;

let dir = '';
beforeAll(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'schemantic-missing-sdk-')));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  writeFileSync(path.join(dir, 'app.mjs'), APP);
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(path.join(root, 'runtime'), path.join(dir, 'node_modules', 'schemantic'), 'dir');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runApp(
  model: string,
  how: 'run' | 'stream',
): { status: number | null; stderr: string; report: { caught: Record<string, unknown> | null; unhandled: string[] } | undefined } {
  const child = spawnSync(process.execPath, ['--preserve-symlinks', 'app.mjs', model, how], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', OPENAI_API_KEY: 'sk-test-not-a-real-key', ANTHROPIC_API_KEY: 'sk-ant-test-not-a-real-key' },
    timeout: 20_000,
  });
  const line = child.stdout.trim().split('\n').at(-1);
  return { status: child.status, stderr: child.stderr, report: line ? JSON.parse(line) : undefined };
}

describe('a provider SDK that is not installed', () => {
  it.each([
    ['openai:gpt-4o', 'run', 'npm install openai'],
    ['ollama:llama3', 'run', 'npm install openai'],
    ['openai:gpt-4o', 'stream', 'npm install openai'],
    ['anthropic:claude-sonnet-4-5', 'run', 'npm install @anthropic-ai/sdk'],
  ] as const)('%s (%s): the run rejects with a UserError naming `%s`, and nothing goes unhandled', (model, how, install) => {
    const { status, stderr, report } = runApp(model, how);
    expect(report, stderr).toBeDefined();
    expect(report?.unhandled).toEqual([]);
    expect(report?.caught).toMatchObject({ name: 'UserError', userError: true, message: expect.stringContaining(install) });
    // Nor a warning of a rejection handled late.
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});
