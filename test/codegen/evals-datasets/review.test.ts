/**
 * Eval datasets under unusual input, found in review: each test is a case the generator got
 * wrong (a dataset it accepted that cannot run or compile, one it refused that runs, a documented
 * recipe that breaks generate).
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEvalRun } from '../../../codegen/cli/evals/load-eval-run.js';
import { evalsReader } from '../../../codegen/compiler/source-reader.js';
import { yaml } from '../../helpers/pipeline.js';
import { generateWithEvals, root } from './helpers.js';

/** Agents of every output form `isInstance` of `schemantic/evals` names members of. */
const OUTPUTS = {
  'outputs.yaml': yaml`
    spec: schemantic/v1
    types:
      ok_result:
        type: object
        properties: { v: { type: string } }
        required: [v]
        additionalProperties: false
      bad_result:
        type: object
        properties: { e: { type: string } }
        required: [e]
        additionalProperties: false
    agents:
      union_text:
        model: test
        instructions: hi
        output: [{ $ref: '#/types/ok_result' }, { $ref: '#/types/bad_result' }, { type: string }]
      titled:
        model: test
        instructions: hi
        output: { type: object, title: Answer, properties: { a: { type: string } } }
      untitled:
        model: test
        instructions: hi
        output: { type: object, properties: { a: { type: string } } }
      named:
        model: test
        instructions: hi
        output: { $ref: '#/types/ok_result' }
      plain:
        model: test
        instructions: hi
  `,
};

const isInstances = (agent: string, members: string[]) =>
  `spec: schemantic-evals/v1\nagent: ${agent}\nevaluators:\n${members.map((m) => `  - is_instance: ${m}\n`).join('')}cases: []\n`;

describe('eval datasets: review', () => {
  it('is_instance accepts exactly the member names the runtime evaluator knows', async () => {
    // isInstance (runtime/evals/evaluators/is-instance.ts) names a union member by its output
    // tool (`OkResult`), a single output by its $ref, else its title, else `output`, and text `text`.
    const accepted = await generateWithEvals(
      {
        'union-text.yaml': isInstances('union_text', ['OkResult', 'BadResult', 'text']),
        'titled.yaml': isInstances('titled', ['Answer']),
        'untitled.yaml': isInstances('untitled', ['output']),
        'named.yaml': isInstances('named', ['ok_result']),
        'plain.yaml': isInstances('plain', ['text']),
      },
      OUTPUTS,
    );
    expect(accepted.problems.map((p) => `${p.code} ${p.file}:${p.line}:${p.col} ${p.message}`)).toEqual([]);
    // The definitions name of a union member's type is not a member name: the run would throw.
    const refused = await generateWithEvals({ 'union-text.yaml': isInstances('union_text', ['ok_result']) }, OUTPUTS);
    expect(refused.problems.map((p) => `${p.code} ${p.file}:${p.line}:${p.col}`)).toEqual(['eval-unknown-member evals/union-text.yaml:4:18']);
    expect(refused.problems[0]!.message).toBe(
      'agent "union_text" outputs no member "ok_result" (its members: BadResult, OkResult, text) (did you mean "OkResult"?)',
    );
  });

  it('eval-duplicate-dataset: two stems whose modules differ but whose TypeScript names are the same', async () => {
    // `v2` and `v-2` are evals/v2.ts and evals/v-2.ts, but both export `v2Dataset` and `V2Case`:
    // the index would import one name twice and not compile.
    const dataset = 'spec: schemantic-evals/v1\nagent: weather\ncases: []\n';
    const result = await generateWithEvals({ 'v2.yaml': dataset, 'v-2.yaml': dataset });
    expect(result.problems.map((p) => `${p.code} ${p.file}:${p.line}:${p.col}`)).toEqual(['eval-duplicate-dataset evals/v2.yaml:1:1']);
    expect(result.problems[0]!.message).toContain('evals/v-2.yaml');
  });

  it('eval-invalid-context: a case without context for an agent whose runs need one', async () => {
    // The run checks its context against the agent's context schema: with none, every run fails.
    const result = await generateWithEvals({ 'bank-support.yaml': 'spec: schemantic-evals/v1\ncases:\n  - name: a\n    prompt: x\n' });
    expect(result.problems.map((p) => `${p.code} ${p.file}:${p.line}:${p.col} ${p.pointer}`)).toEqual([
      'eval-invalid-context evals/bank-support.yaml:3:5 /cases/0',
    ]);
    expect(result.problems[0]!.message).toContain('customer_name');
  });

  it("the README's CI recipe keeps its baseline report where generate does not read it as a dataset", async () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Evals'), readme.indexOf('## Keeping contracts in sync'));
    const baselines = [...section.matchAll(/--(?:baseline|out) (evals\/\S+\.json)/g)].map((m) => m[1]!);
    expect(baselines.length).toBeGreaterThan(0);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'schemantic-readme-evals-'));
    try {
      for (const file of baselines) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), '{ "format": "schemantic-eval-report/1" }\n');
      }
      expect(await evalsReader(path.join(dir, 'evals')).list()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('schemantic eval counts as datasets the files generate reads: not a dot file, such as an editor lock', async () => {
    // generate skips dot files (`.#bank-support.yaml`, Emacs' lock while the file is being edited);
    // eval refused to run, calling them "not generated yet".
    const dir = mkdtempSync(path.join(os.tmpdir(), 'schemantic-eval-fresh-'));
    try {
      writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
      cpSync(path.join(root, 'generated'), path.join(dir, 'generated'), { recursive: true });
      mkdirSync(path.join(dir, 'evals'));
      for (const f of readdirSync(path.join(root, 'evals')).filter((f) => f.endsWith('.yaml'))) cpSync(path.join(root, 'evals', f), path.join(dir, 'evals', f));
      writeFileSync(path.join(dir, 'evals', '.#bank-support.yaml'), 'user@host.1234:1700000000');
      const run = await loadEvalRun(dir, path.join(root, 'evals/index.ts'), 'generated', 'evals');
      expect(run.datasets.map((d) => d.name).sort()).toEqual(['bank-support', 'sql-gen', 'weather']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('equals: null and contains: null keep their value (the data form requires one), unlike a bare partial_equals', async () => {
    const result = await generateWithEvals({
      'weather.yaml': yaml`
        spec: schemantic-evals/v1
        evaluators:
          - equals: null
          - contains: null
          - partial_equals: null
        cases:
          - { name: a, prompt: x, context: { user_name: A }, expected: hi }
      `,
    });
    expect(result.problems).toEqual([]);
    const lines = result.files
      .get('evals/weather.ts')!
      .split('\n')
      .filter((l) => l.includes('evaluator:'))
      .map((l) => l.trim());
    expect(lines).toEqual(['{ evaluator: "equals", value: null },', '{ evaluator: "contains", value: null },', '{ evaluator: "partialEquals" },']);
  });
});
