/**
 * The graph examples as `npm run example:question-graph` and `npm run example:vending-machine` run
 * them: child processes (`node --import tsx examples/<name>.ts`) with their answers scripted on
 * stdin, each transcript and exit code asserted. The question graph is also persisted with the
 * file store and with PostgreSQL (the suite's server), and its answers given in separate
 * processes, each resuming the run from what the store holds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questionGraphMermaid } from '../../generated/graphs/question.js';
import { vendingMachineGraphMermaid } from '../../generated/graphs/vending-machine.js';
import { freshDatabase, type TestDatabase } from '../helpers/postgres.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs an example with `input` on its stdin, without provider keys (so that its agents run on their scripted models). */
function runExample(example: string, args: readonly string[], input: string, env: Record<string, string> = {}): Promise<Ran> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|_BASE_URL$|^SCHEMANTIC_MODEL$|^DATABASE_URL$/.test(k)));
  return new Promise((resolve, reject) => {
    // From the repository root, so that tsx finds tsconfig.json's paths (`schemantic` -> sources).
    const child = spawn(process.execPath, ['--import', 'tsx', `examples/${example}.ts`, ...args], { cwd: root, env: { ...clean, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const SCRIPTED = 'The agents run on scripted models (set OPENAI_API_KEY or ANTHROPIC_API_KEY to use a provider).\nAnswers come from stdin, one a line.\n';

const HISTORY = [
  'History:',
  '  1. ask',
  '  2. answer {"question":"What is the capital of France?"} <- "Vichy"',
  '  3. evaluate {"answer":"Vichy"}',
  '  4. reprimand {"comment":"Vichy is not the capital of France."}',
  '  5. ask',
  '  6. answer {"question":"What is 1 + 1?"} <- "2"',
  '  7. evaluate {"answer":"2"}',
];

describe('npm run example:question-graph', () => {
  it('asks, reads each answer from stdin, reprimands a wrong one and asks again, and ends on a right one', async () => {
    const { code, stdout, stderr } = await runExample('question-graph', [], 'Vichy\n\n2\n');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        SCRIPTED + 'Question: What is the capital of France?',
        '> Vichy',
        'Comment: Vichy is not the capital of France.',
        'Question: What is 1 + 1?',
        // A blank line is no answer: the example reads the next one.
        '> ',
        '> 2',
        'Correct answer! Well done, 1 + 1 = 2',
        ...HISTORY,
        '',
      ].join('\n'),
    );
  });

  it('exits 0 at the end of the input, saying the run waits for an answer', async () => {
    const { code, stdout, stderr } = await runExample('question-graph', [], '');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      SCRIPTED +
        'Question: What is the capital of France?\n' +
        'End of input: the run waits for an answer, and ends with this process (--store file:DIR keeps it for a later answer).\n',
    );
  });

  it('prints the generated mermaid diagram with --mermaid', async () => {
    const { code, stdout } = await runExample('question-graph', ['--mermaid'], '');
    expect(code).toBe(0);
    expect(stdout).toBe(`${questionGraphMermaid}\n`);
  });

  it('refuses --resume without a store', async () => {
    const { code, stdout, stderr } = await runExample('question-graph', ['--resume', 'r1'], '');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('--resume needs --store: a run kept in memory ends with its process\n');
  });
});

describe('the question graph, one answer per process', () => {
  let dir = '';
  let db: TestDatabase;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'schemantic-question-graph-'));
    db = await freshDatabase('question_example');
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  /** Starts a run in one process, answers wrong in a second and right in a third, each resuming from the store alone. */
  async function acrossProcesses(store: string, runId: string, env: Record<string, string> = {}): Promise<void> {
    const first = await runExample('question-graph', ['--store', store, '--run-id', runId], '', env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      SCRIPTED +
        `Run ${runId}: kept with --store ${store}.\n` +
        'Question: What is the capital of France?\n' +
        `End of input: run ${runId} waits for the answer. Answer it later with: npm run example:question-graph -- --store ${store} --resume ${runId}\n`,
    );

    const second = await runExample('question-graph', ['--store', store, '--resume', runId], 'Vichy\n', env);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(
      SCRIPTED +
        `Run ${runId}: resumed from --store ${store}.\n` +
        'Question: What is the capital of France?\n' +
        '> Vichy\n' +
        'Comment: Vichy is not the capital of France.\n' +
        // The ask agent's conversation came back with the state: it asks its next question.
        'Question: What is 1 + 1?\n' +
        `End of input: run ${runId} waits for the answer. Answer it later with: npm run example:question-graph -- --store ${store} --resume ${runId}\n`,
    );

    const third = await runExample('question-graph', ['--store', store, '--resume', runId], '2\n', env);
    expect(third.stderr).toBe('');
    expect(third.code).toBe(0);
    expect(third.stdout).toBe(
      [
        SCRIPTED + `Run ${runId}: resumed from --store ${store}.`,
        'Question: What is 1 + 1?',
        '> 2',
        'Correct answer! Well done, 1 + 1 = 2',
        ...HISTORY,
        '',
      ].join('\n'),
    );

    // An ended run has nothing left to answer.
    const fourth = await runExample('question-graph', ['--store', store, '--resume', runId], '4\n', env);
    expect(fourth.code).toBe(0);
    expect(fourth.stdout).toContain(`Run ${runId} has ended: no question is left to answer.\nCorrect answer! Well done, 1 + 1 = 2\n`);
  }

  it('with the file store (--store file:DIR)', async () => {
    const runs = path.join(dir, 'runs');
    await acrossProcesses(`file:${runs}`, 'quiz-1');
    const snapshot = JSON.parse(readFileSync(path.join(runs, 'quiz-1.json'), 'utf8')) as Record<string, unknown>;
    expect(snapshot).toMatchObject({ format: 'schemantic.graph-run', graph: 'question', runId: 'quiz-1', status: 'ended', output: 'Well done, 1 + 1 = 2' });
  });

  it('with the PostgreSQL store (--store postgres, DATABASE_URL)', async () => {
    await acrossProcesses('postgres', 'quiz-2', { DATABASE_URL: db.url });
  });

  it('says so when the run to resume is not in the store', async () => {
    const { code, stderr } = await runExample('question-graph', ['--store', `file:${path.join(dir, 'none')}`, '--resume', 'missing'], '');
    expect(code).toBe(1);
    expect(stderr).toBe(`there is no run missing in --store file:${path.join(dir, 'none')}\n`);
  });
});

describe('npm run example:vending-machine', () => {
  it('takes coins and a product, refuses what it does not sell, asks for more money, sells and gives the change', async () => {
    const { code, stdout, stderr } = await runExample('vending-machine', [], '1\ncake\ncrisps\nfoo\n1\n');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'Prices: water 1.25, soda 1.50, crisps 1.75, chocolate 2.00.',
        'Insert coins: 1',
        'Select product: cake',
        'No such product: cake, try again',
        'Select product: crisps',
        'Not enough money for crisps, need 0.75 more',
        'Insert coins: foo',
        'Not a coin: "foo"',
        // The product was picked already: the coin buys it.
        'Insert coins: 1',
        'purchase successful item=crisps change=0.25',
        '',
      ].join('\n'),
    );
  });

  it('sells at once when the coins cover the price, and ignores what is left of the input', async () => {
    const { code, stdout } = await runExample('vending-machine', [], '2\nwater\n5\n');
    expect(code).toBe(0);
    expect(stdout).toBe(
      'Prices: water 1.25, soda 1.50, crisps 1.75, chocolate 2.00.\nInsert coins: 2\nSelect product: water\npurchase successful item=water change=0.75\n',
    );
  });

  it('exits 0 at the end of the input, returning the coins', async () => {
    const { code, stdout, stderr } = await runExample('vending-machine', [], '0.5\nsoda\n');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      'Prices: water 1.25, soda 1.50, crisps 1.75, chocolate 2.00.\nInsert coins: 0.5\nSelect product: soda\nNot enough money for soda, need 1.00 more\nEnd of input: nothing bought, 0.50 returned.\n',
    );
  });

  it('prints the generated mermaid diagram with --mermaid', async () => {
    const { code, stdout } = await runExample('vending-machine', ['--mermaid'], '');
    expect(code).toBe(0);
    expect(stdout).toBe(`${vendingMachineGraphMermaid}\n`);
  });
});
