/**
 * Generated eval dataset modules: their content, that they type-check under `tsc --strict` with
 * the agent modules (and that a TypeScript case of the wrong type does not), that a project
 * without datasets generates exactly what it did, and that editing a dataset alone regenerates it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetSourceHash } from '../../../codegen/compiler/evals/dataset-hash.js';
import { memoryReader } from '../../../codegen/compiler/load.js';
import { createPipelineCache, runPipeline } from '../../../codegen/targets/typescript/pipeline.js';
import { main } from '../../../codegen/cli/main.js';
import { readTreeState } from '../../../codegen/cli/up-to-date.js';
import { yaml } from '../../helpers/pipeline.js';
import { generateWithEvals, root, shippedSchemas } from './helpers.js';

const BANK = yaml`
  # yaml-language-server: $schema=../schemas/meta/eval-dataset.schema.json
  spec: schemantic-evals/v1
  description: Risk levels of support queries.
  usage_limits: { requests: 5, total_tokens: 20000 }
  evaluators:
    - max_duration: 10
  cases:
    - name: balance-query
      prompt: What is my balance?
      context: { customer_name: John }
      deps: john
      expected: { support_advice: "Your balance is $100.", block_card: false, risk: 1 }
      metadata: { difficulty: easy }
      evaluators:
        - equals_expected
        - partial_equals: { block_card: false }
        - pointer: { pointer: /risk, equals: 1 }
        - contains: { value: balance, case_sensitive: false }
        - regex: { pattern: '\\$\\d+', flags: i }
        - max_tokens: 2000
        - max_cost: { usd: 0.01, input_per_million: 2.5, output_per_million: 10 }
        - tool_called: { tool: customer_balance, args: { type: object }, times: { min: 1, max: 2 } }
        - tool_not_called: final_result
        - llm_judge: { rubric: 'Polite.', include_prompt: true }
        - has_matching_span: { span: 'execute_tool customer_balance', max_seconds: 2, count: { min: 1 } }
        - custom: politeness
          args: { level: 2 }
        - { contains: refund, name: mentions-refund }
    - name: lost-card
      prompt: I lost my card!
      context: { customer_name: "Ann */ x" }
      deps: bob
      history:
        - kind: request
          parts: [{ kind: user-prompt, content: Hello, timestamp: '2024-01-01T00:00:00Z' }]
      expected: { support_advice: Blocking it., block_card: true, risk: 8 }
`;

const SQL = yaml`
  spec: schemantic-evals/v1
  cases:
    - name: ok
      prompt: All users
      context: { db_schema: 'CREATE TABLE users (id int)', today: '2024-01-01', examples: [] }
      expected: { sql_query: SELECT * FROM users }
      evaluators: [{ is_instance: Success }]
`;

describe('generated eval datasets', () => {
  it('emits a typed module per dataset and an index, with every field as data', async () => {
    const result = await generateWithEvals({ 'bank-support.yaml': BANK, 'sql-gen.yaml': SQL });
    expect(result.problems).toEqual([]);
    expect([...result.files.keys()].filter((k) => k.startsWith('evals/'))).toEqual(['evals/bank-support.ts', 'evals/index.ts', 'evals/sql-gen.ts']);
    const bank = result.files.get('evals/bank-support.ts')!;
    expect(bank).toContain('import type * as evals from "schemantic/evals";');
    expect(bank).toContain('import type { BankSupportContext, BankSupportOutput } from "../agents/bank-support.js";');
    expect(bank).toContain('export type BankSupportDepsKey = "bob" | "john";');
    expect(bank).toContain('export type BankSupportCustom = "politeness";');
    expect(bank).toContain('export type BankSupportCase = evals.EvalCase<BankSupportContext, BankSupportOutput, BankSupportDepsKey, BankSupportCustom>;');
    expect(bank).toContain(
      'export const bankSupportDataset: evals.EvalDataset<BankSupportContext, BankSupportOutput, BankSupportDepsKey, BankSupportCustom> = {',
    );
    expect(bank).toContain('source: "evals/bank-support.yaml",');
    expect(bank).toContain(`sourceHash: "${datasetSourceHash(BANK)}",`);
    expect(bank).toContain('usageLimits: { "requests": 5, "totalTokens": 20000 },');
    expect(bank).toContain('{ evaluator: "maxDuration", seconds: 10 },');
    expect(bank).toContain('{ evaluator: "contains", value: "balance", caseSensitive: false },');
    expect(bank).toContain('{ evaluator: "maxCost", usd: 0.01, inputPerMillion: 2.5, outputPerMillion: 10 },');
    expect(bank).toContain('{ evaluator: "llmJudge", rubric: "Polite.", includePrompt: true },');
    expect(bank).toContain('{ evaluator: "custom", custom: "politeness", args: { "level": 2 } },');
    expect(bank).toContain('{ evaluator: "contains", name: "mentions-refund", value: "refund" },');
    expect(bank).toContain('/** balance-query */');
    // Data keeps its keys as written; comment text cannot close its comment.
    expect(bank).toContain('context: { "customer_name": "Ann */ x" },');
    expect(bank).not.toMatch(/Ann \*\/ x[^"]/);
    const sql = result.files.get('evals/sql-gen.ts')!;
    expect(sql).toContain('export type SqlGenDepsKey = never;');
    expect(sql).toContain('import type { SqlGenContext, SqlGenOutput } from "../agents/sql-gen.js";');
    const index = result.files.get('evals/index.ts')!;
    expect(index).toContain('export const datasets = [bankSupportDataset, sqlGenDataset] as const;');
    expect(index).toContain('export type EvalAgents = {');
    expect(index).toMatch(
      /bank_support: \{\n\s+context: BankSupportContext;\n\s+output: BankSupportOutput;\n\s+depsKey: BankSupportDepsKey;\n\s+custom: BankSupportCustom;/,
    );
    await expect(bank).toMatchFileSnapshot('__snapshots__/bank-support.ts.txt');
    await expect(index).toMatchFileSnapshot('__snapshots__/index.ts.txt');
  });

  it('types an agent without context as undefined, and a deferring agent by its own output', async () => {
    const schemas = {
      ...shippedSchemas(),
      'approve.yaml': yaml`
        spec: schemantic/v1
        tools:
          refund: { parameters: { type: object, properties: { amount: { type: number } } }, approval: required }
        agents:
          approver: { model: test, instructions: Refund., tools: [refund], output: { type: string } }
      `,
    };
    const result = await generateWithEvals({ 'approver.yaml': 'spec: schemantic-evals/v1\ncases:\n  - { name: a, prompt: x, expected: ok }\n' }, schemas);
    expect(result.problems).toEqual([]);
    const text = result.files.get('evals/approver.ts')!;
    expect(text).toContain('import type { ApproverFinalOutput } from "../agents/approver.js";');
    expect(text).toContain('evals.EvalCase<undefined, ApproverFinalOutput, ApproverDepsKey, ApproverCustom>');
  });

  describe('under tsc --strict', () => {
    const dir = mkdtempSync(path.join(root, 'test/codegen/evals-datasets/.tmp-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const tsc = (files: string[]) => {
      writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: path.relative(dir, path.join(root, 'tsconfig.json')), include: files }));
      const run = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.json'), '--noEmit'], {
        cwd: root,
        encoding: 'utf8',
      });
      return { status: run.status, output: run.stdout + run.stderr };
    };

    it('compiles the generated tree with its datasets, and rejects a TypeScript case whose expected output has the wrong type', async () => {
      const result = await generateWithEvals({ 'bank-support.yaml': BANK, 'sql-gen.yaml': SQL });
      for (const [rel, text] of result.files) {
        mkdirSync(path.dirname(path.join(dir, 'generated', rel)), { recursive: true });
        writeFileSync(path.join(dir, 'generated', rel), text);
      }
      writeFileSync(
        path.join(dir, 'good-case.ts'),
        [
          "import type { BankSupportCase, EvalAgents } from './generated/evals/index.js';",
          "import { defineEvals } from 'schemantic/evals';",
          "export const ok: BankSupportCase = { name: 'x', prompt: 'y', deps: 'john', expected: { support_advice: 'a', block_card: false, risk: 1 } };",
          'export const bindings = defineEvals<EvalAgents>({});',
          '',
        ].join('\n'),
      );
      writeFileSync(
        path.join(dir, 'bad-case.ts'),
        [
          "import type { BankSupportCase } from './generated/evals/bank-support.js';",
          "export const bad: BankSupportCase = { name: 'x', prompt: 'y', expected: { support_advice: 'a', block_card: 'no', risk: 1 } };",
          '',
        ].join('\n'),
      );
      const good = tsc(['generated/**/*.ts', 'good-case.ts']);
      expect(good.output).toBe('');
      expect(good.status).toBe(0);
      const bad = tsc(['generated/**/*.ts', 'bad-case.ts']);
      expect(bad.status).not.toBe(0);
      expect(bad.output).toMatch(/bad-case\.ts\(2,\d+\): error TS2322: Type 'string' is not assignable to type 'boolean'/);
      expect(bad.output.split('\n').filter((l) => /error TS/.test(l) && !l.includes('bad-case.ts'))).toEqual([]);
    });
  });

  it('changes nothing for a project without datasets', async () => {
    const schemas = shippedSchemas();
    const without = await runPipeline({ reader: memoryReader(schemas), displayPrefix: 'schemas' });
    const empty = await generateWithEvals({}, schemas);
    expect([...empty.files.keys()].some((k) => k.startsWith('evals/'))).toBe(false);
    expect(empty.ir!.evals).toEqual([]);
    expect(empty.files).toEqual(without.files);
    expect(empty.outputs!.fingerprints).toEqual(without.outputs!.fingerprints);
  });

  it('regenerates a dataset edited alone, reusing the rest, as a fresh run would', async () => {
    const schemas = shippedSchemas();
    const cache = createPipelineCache();
    const run = (evals: Record<string, string>, withCache = true) =>
      runPipeline({
        reader: memoryReader(schemas),
        displayPrefix: 'schemas',
        evals: { reader: memoryReader(evals), displayPrefix: 'evals' },
        ...(withCache ? { cache } : {}),
      });
    const first = await run({ 'bank-support.yaml': BANK, 'sql-gen.yaml': SQL });
    const edited = BANK.replace('prompt: I lost my card!', 'prompt: My card is gone!');
    const second = await run({ 'bank-support.yaml': edited, 'sql-gen.yaml': SQL });
    const fresh = await run({ 'bank-support.yaml': edited, 'sql-gen.yaml': SQL }, false);
    expect(second.files).toEqual(fresh.files);
    expect(second.files.get('evals/bank-support.ts')).not.toBe(first.files.get('evals/bank-support.ts'));
    expect(second.files.get('evals/bank-support.ts')).toContain('My card is gone!');
    // Only the edited dataset's module and the evals index were emitted again.
    expect(second.reused).toBe(second.files.size - 2);
  });

  it('keeps the manifest in step: an unchanged tree is up to date, a changed dataset makes it stale', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'schemantic-evals-'));
    try {
      cpSync(path.join(root, 'schemas'), path.join(dir, 'schemas'), { recursive: true });
      mkdirSync(path.join(dir, 'evals'));
      writeFileSync(path.join(dir, 'evals', 'sql-gen.yaml'), SQL);
      const io = { out: () => undefined, err: () => undefined };
      expect(await main(['generate'], io as never, dir)).toBe(0);
      const manifest = readFileSync(path.join(dir, 'generated', 'schemantic.manifest.json'), 'utf8');
      expect(manifest).toContain(`"../evals/sql-gen.yaml": "${datasetSourceHash(SQL)}"`);
      expect(manifest).toContain('"evals/sql-gen.ts": ');
      const state = () => readTreeState(path.join(dir, 'schemas'), path.join(dir, 'generated'), 'schemas', path.join(dir, 'evals'));
      expect((await state()).fresh).toBe(true);
      writeFileSync(path.join(dir, 'evals', 'sql-gen.yaml'), SQL.replace('All users', 'Every user'));
      expect((await state()).fresh).toBe(false);
      expect(await main(['generate'], io as never, dir)).toBe(0);
      expect(readFileSync(path.join(dir, 'generated', 'evals', 'sql-gen.ts'), 'utf8')).toContain('"Every user"');
      expect((await state()).fresh).toBe(true);
      // A dataset removed: its module goes, and with none left, the evals folder of the tree too.
      rmSync(path.join(dir, 'evals', 'sql-gen.yaml'));
      expect((await state()).fresh).toBe(false);
      expect(await main(['generate'], io as never, dir)).toBe(0);
      expect(spawnSync('ls', [path.join(dir, 'generated', 'evals')]).status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
