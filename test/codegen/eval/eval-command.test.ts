/**
 * `schemantic eval` as a user runs it: the built command on the shipped datasets (evals/) and
 * the shipped entry (evals/index.ts), as a child process, so that progress, exit codes and
 * Ctrl-C behave as in a terminal or a CI job.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, root, run, type Finished } from '../serve/cli-process.js';

const evalCli = (args: readonly string[]): Promise<Finished> => run(process.execPath, [bin, 'eval', ...args]);
const fixture = (name: string) => path.relative(root, path.join(root, 'test/codegen/eval/fixtures', name));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'schemantic-eval-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('schemantic eval', () => {
  it('runs every shipped dataset on its scripted model, prints the report table and passes the gate', async () => {
    const done = await evalCli([]);
    expect(done.stderr).toMatch(/\[\d+\/8\] sql-gen\/vague-request: passed/);
    expect(done.code, done.stderr).toBe(0);
    for (const name of [
      'balance-query',
      'lost-card',
      'stolen-card-follow-up',
      'errors-yesterday',
      'recent-exceptions',
      'vague-request',
      'two-places',
      'one-place',
    ])
      expect(done.stdout).toContain(name);
    // Progress goes to stderr, never into the report.
    expect(done.stdout).not.toMatch(/\[\d+\/8\]/);
  });

  it('--format json writes a report the runner reads back as a baseline; a regression fails --fail-on regressions', async () => {
    const baseline = path.join(dir, 'baseline.json');
    const first = await evalCli(['--agent', 'sql_gen', '--format', 'json', '--out', baseline]);
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(await readFile(baseline, 'utf8'));
    expect(report).toMatchObject({ format: 'schemantic-eval-report/1', complete: true, summary: { cases: 3, passed: 3 } });
    expect(report.cases.map((c: { name: string }) => c.name)).toEqual(['errors-yesterday', 'recent-exceptions', 'vague-request']);

    const worse = await evalCli(['--agent', 'sql_gen', '--entry', fixture('refusing-sql-entry.ts'), '--baseline', baseline, '--fail-on', 'regressions']);
    expect(worse.code).toBe(1);
    expect(worse.stderr).toMatch(/regressions against the baseline/);
    expect(worse.stdout).toContain('errors-yesterday');
    expect(worse.stdout).toMatch(/regress/i);

    const asJson = await evalCli([
      '--agent',
      'sql_gen',
      '--entry',
      fixture('refusing-sql-entry.ts'),
      '--baseline',
      baseline,
      '--format',
      'json',
      '--fail-on',
      'never',
    ]);
    expect(asJson.code).toBe(0);
    const compared = JSON.parse(asJson.stdout);
    expect(compared.comparison.regressions.map((r: { case: string; what: string }) => `${r.case}:${r.what}`)).toEqual(
      expect.arrayContaining(['errors-yesterday:status', 'recent-exceptions:status']),
    );
    expect(compared.comparison.regressions.some((r: { case: string }) => r.case === 'vague-request')).toBe(false);
  });

  it('--dataset runs only the dataset of that file', async () => {
    const done = await evalCli(['--dataset', 'evals/weather.yaml', '--format', 'json']);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout).cases.map((c: { dataset: string; name: string }) => `${c.dataset}/${c.name}`)).toEqual([
      'weather/two-places',
      'weather/one-place',
    ]);
    const none = await evalCli(['--dataset', 'evals/nothing.yaml']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no generated dataset comes from evals/nothing.yaml');
  });

  it('--fail-on with a pass rate gates on the overall rate', async () => {
    const below = await evalCli(['--agent', 'sql_gen', '--entry', fixture('refusing-sql-entry.ts'), '--fail-on', '0.5']);
    expect(below.code).toBe(1);
    expect(below.stderr).toMatch(/pass rate 33\.3% is below 50\.0%/);
    const above = await evalCli(['--agent', 'sql_gen', '--entry', fixture('refusing-sql-entry.ts'), '--fail-on', '0.3']);
    expect(above.code).toBe(0);
  });

  it('--format junit and markdown go to stdout; the human table does not mix in', async () => {
    const junit = await evalCli(['--agent', 'sql_gen', '--format', 'junit']);
    expect(junit.code).toBe(0);
    expect(junit.stdout.trimStart().startsWith('<?xml')).toBe(true);
    expect(junit.stdout).toContain('errors-yesterday');
    const markdown = await evalCli(['--agent', 'sql_gen', '--format', 'markdown']);
    expect(markdown.stdout).toMatch(/^\|.*\|$/m);
  });

  it('bad usage and a missing agent are clear errors', async () => {
    const usage = await evalCli(['--format', 'yaml']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--format must be one of');
    const gate = await evalCli(['--fail-on', 'regressions']);
    expect(gate.code).toBe(2);
    expect(gate.stderr).toContain('needs --baseline');
    const agent = await evalCli(['--agent', 'nobody']);
    expect(agent.code).toBe(1);
    expect(agent.stderr).toMatch(/no dataset is for agent nobody \(datasets exist for bank_support, sql_gen, weather\)/);
    const baseline = await evalCli(['--agent', 'sql_gen', '--baseline', 'package.json']);
    expect(baseline.code).toBe(1);
    expect(baseline.stderr).toMatch(/package\.json is not an eval report/);
  });

  it('Ctrl-C cancels: the report of what finished is written, marked incomplete, and the exit code is 130', async () => {
    const out = path.join(dir, 'partial.json');
    const child = spawn(
      process.execPath,
      [bin, 'eval', '--agent', 'sql_gen', '--entry', fixture('slow-sql-entry.ts'), '--concurrency', '1', '--repeat', '3', '--format', 'json', '--out', out],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let stderr = '';
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (/\[2\/9\]/.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      child.on('close', resolve);
    });
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/cancelled: \d of 3 cases did not finish/);
    const partial = JSON.parse(await readFile(out, 'utf8'));
    expect(partial.complete).toBe(false);
    expect(partial.cases).toHaveLength(3);
    const runs = partial.cases.flatMap((c: { runs: { status: string }[] }) => c.runs);
    expect(runs.filter((r: { status: string }) => r.status === 'passed' || r.status === 'failed').length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThan(9);
    expect(stdout).toMatch(/cancel|incomplete/i);
  });

  it('refuses datasets changed since generate, and dataset files not generated yet, naming the command', async () => {
    // The copy sits outside the repository: its package.json makes its .ts files ES modules, as a project's does.
    await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    const copy = path.join(dir, 'generated');
    await cp(path.join(root, 'generated'), copy, { recursive: true });
    const module = path.join(copy, 'evals/sql-gen.ts');
    await writeFile(module, (await readFile(module, 'utf8')).replace(/sourceHash: "[0-9a-f]+"/, 'sourceHash: "000000000000000000000000"'));
    const changed = await evalCli(['--out-dir', copy]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('datasets changed since the last generate: evals/sql-gen.yaml (changed); run `npx schemantic generate` first');

    const evals = path.join(dir, 'more-evals');
    await mkdir(evals, { recursive: true });
    await writeFile(path.join(evals, 'new-one.yaml'), 'spec: schemantic-evals/v1\ncases: []\n');
    const fresh = await evalCli(['--evals', path.relative(root, evals), '--entry', 'evals/index.ts']);
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toMatch(/new-one\.yaml \(not generated yet\)/);
  });

  it('--html writes a static report with both charts beside the table on stdout', async () => {
    const html = path.join(dir, 'html');
    const done = await evalCli(['--agent', 'weather', '--html', html]);
    expect(done.code, done.stderr).toBe(0);
    const page = await readFile(path.join(html, 'index.html'), 'utf8');
    expect(page).toContain('data-chart="scores"');
    expect(page).toContain('data-chart="latency"');
    expect(page).toContain('two-places');
    expect(done.stdout).toContain('two-places');
    expect(done.stderr).toContain(`wrote the HTML report to ${path.join(html, 'index.html')}`);
  });

  it("never prints a credential an error quotes: key-shaped text and the environment's keys and tokens", async () => {
    const token = 'plain-looking-service-token-1234';
    const key = 'sk-canary-5f0c2a9e7d1b44c8a3e6-do-not-leak';
    const done = await new Promise<Finished>((resolve) => {
      const child = spawn(process.execPath, [bin, 'eval', '--agent', 'sql_gen', '--entry', fixture('throwing-entry.ts')], {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1', SERVICE_TOKEN: token, OPENAI_API_KEY: key },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(done.code).toBe(1);
    expect(done.stderr).toContain('cannot connect with token [redacted] and key [redacted]');
    expect(done.stdout + done.stderr).not.toContain(token);
    expect(done.stdout + done.stderr).not.toContain(key);
  });
});
