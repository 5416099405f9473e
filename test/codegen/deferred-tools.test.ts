/**
 * Deferred tools in the definitions: `approval: required | conditional` and `external: true` on a
 * tool. Bad combinations are located problems; the tool spec carries the marks; an agent that has
 * such a tool outputs `<Agent>FinalOutput | DeferredToolRequests<...>` (callers must narrow), takes
 * no handler for an external tool and requires a typed `needsApproval` condition for a conditional
 * one, all under strict tsc; agents without them are untouched; `schemantic diff` judges the
 * marks changing, `schemantic docs` shows them, and `schemantic export` titles the output schema
 * by the agent's own output. The fixture's generated tree is snapshotted by e2e.test.ts
 * (`__snapshots__/deferred`).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, createPipelineCache, runPipeline } from '../../codegen/targets/typescript/pipeline.js';
import { memoryReader } from '../../codegen/compiler/load.js';
import { renderDocs } from '../../codegen/targets/docs/render-docs.js';
import { exportContracts } from '../../codegen/targets/contracts/contracts.js';
import { generateFrom, problemLines, yaml } from '../helpers/pipeline.js';
import { brief, diffDocs, type Doc } from './diff/helpers.js';
import { strictTypeErrors } from './support/strict-tsc.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const FIXTURE = readFileSync(path.join(here, 'fixtures/deferred/defs.yaml'), 'utf8');

describe('the definitions', () => {
  it('reject an external tool that also needs approval, at the approval key', async () => {
    const result = await generateFrom({
      'defs.yaml': yaml`
        spec: schemantic/v1
        tools:
          pick_file:
            parameters: { type: object }
            external: true
            approval: required
        agents:
          a: { model: test, tools: [pick_file] }
      `,
    });
    expect(problemLines(result)).toEqual(['invalid-value schemas/defs.yaml:6:5 /tools/pick_file/approval']);
    expect(result.problems[0]!.message).toBe(
      'tool "pick_file" is external, so it cannot also need approval: the caller runs its calls and decides on them itself; remove approval or external',
    );
    expect(result.files.size).toBe(0);
  });

  it('report values of the wrong kind where they are written, and keep the tool (no unknown-tool cascade)', async () => {
    const result = await generateFrom({
      'defs.yaml': yaml`
        spec: schemantic/v1
        tools:
          a_tool: { parameters: { type: object }, approval: always }
          b_tool: { parameters: { type: object }, external: 'yes' }
        agents:
          helper: { model: test, tools: [a_tool, b_tool] }
      `,
    });
    expect(problemLines(result)).toEqual([
      'invalid-value schemas/defs.yaml:3:53 /tools/a_tool/approval',
      'wrong-type schemas/defs.yaml:4:53 /tools/b_tool/external',
    ]);
    expect(result.problems[0]!.message).toBe('must be one of "required", "conditional" (found "always")');
  });

  it("claim the deferred agents' extra names only for agents that declare them", async () => {
    const corpus = (tools: string) => ({
      'defs.yaml': yaml`
        spec: schemantic/v1
        types:
          BankApprovals: { type: object }
        tools:
          pay: { parameters: { type: object }${tools} }
        agents:
          bank: { model: test, tools: [pay] }
      `,
    });
    expect(problemLines(await generateFrom(corpus('')))).toEqual([]);
    const clash = await generateFrom(corpus(', approval: required'));
    expect(problemLines(clash)).toEqual(['name-collision schemas/defs.yaml:7:3 /agents/bank']);
    expect(clash.problems[0]!.message).toContain('agent "bank" becomes "BankApprovals", which type "BankApprovals"');
  });
});

describe('the generated code', () => {
  it('marks the tool specs, types the output as a union, omits external handlers and requires the conditions', async () => {
    const result = await generateFrom({ 'defs.yaml': FIXTURE });
    expect(result.problems).toEqual([]);
    const file = (name: string) => result.files.get(name)!;
    expect(file('tools/send-money.ts')).toContain('  approval: "required",\n};');
    expect(file('tools/close-account.ts')).toContain('  approval: "conditional",\n};');
    expect(file('tools/show-form.ts')).toContain('  external: true,\n};');
    expect(file('tools/balance.ts')).not.toMatch(/approval|external/);

    const bank = file('agents/bank-support.ts');
    expect(bank).toContain(
      'export type BankSupportOutput = BankSupportFinalOutput | schemantic.DeferredToolRequests<BankSupportApprovals, BankSupportExternals>;',
    );
    expect(bank).toContain('export interface BankSupportFinalOutput {');
    expect(bank).toContain('export type BankSupportOutputPartial = schemantic.DeepPartial<BankSupportFinalOutput>;');
    expect(bank).toContain('extends schemantic.AgentOptions<Deps, BankSupportContext, BankSupportFinalOutput> {');
    expect(bank).toContain('    closeAccount: schemantic.ApprovalCondition<Deps, BankSupportContext, CloseAccountArgs>;');
    expect(bank).toMatch(/export interface BankSupportApprovals \{[^}]*send_money: SendMoneyArgs;[^}]*close_account: CloseAccountArgs;\n\}/);
    expect(bank).toMatch(/export interface BankSupportExternals \{[^}]*show_form: ShowFormArgs;\n\}/);
    // The external tool stays in the spec (the runtime needs it) and among the tool arguments, but has no handler.
    expect(bank).toContain('{ key: "showForm", tool: showFormTool },');
    expect(bank).toContain('  show_form: ShowFormArgs;');
    expect(bank).not.toContain('showForm: schemantic.ToolHandler');
    expect(file('validators/agents/bank-support.d.ts')).toContain('Validator<BankSupportFinalOutput>');

    const payments = file('agents/payments.ts');
    expect(payments).toContain('export type PaymentsFinalOutput = PaymentsOutputPaid | PaymentsOutputRefused;');
    expect(payments).toContain('export type PaymentsExternals = Record<never, never>;');
    expect(payments).not.toContain('needsApproval');

    const filler = file('agents/form-filler.ts');
    expect(filler).toContain('export type FormFillerFinalOutput = string;');
    expect(filler).toContain('export type FormFillerApprovals = Record<never, never>;');
    expect(filler).not.toContain('FormFillerTools');
    expect(filler).toContain('(options: FormFillerAgentOptions<Deps> = {})');
    expect(file('index.ts')).toContain(
      'export type { FormFillerAgent, FormFillerAgentOptions, FormFillerApprovals, FormFillerContext, FormFillerExternals, FormFillerFinalOutput, FormFillerOutput, FormFillerOutputPartial, FormFillerToolArgs } from "./agents/form-filler.js";',
    );
  });

  it('compiles under strict tsc, and the compiler holds callers to the contract', async () => {
    const result = await generateFrom({ 'defs.yaml': FIXTURE });
    expect(result.problems).toEqual([]);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'schemantic-deferred-'));
    try {
      writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
      for (const [file, text] of result.files) {
        mkdirSync(path.dirname(path.join(dir, 'out', file)), { recursive: true });
        writeFileSync(path.join(dir, 'out', file), text);
      }
      writeFileSync(path.join(dir, 'usage.ts'), USAGE);
      // Only this program's own files: the runtime is type-checked on its own (typecheck.test.ts).
      const errors = strictTypeErrors([dir]).filter((line) => line.includes(path.basename(dir)));
      expect(errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves agents without deferred tools as they were, and changes only what a mark reaches', async () => {
    const corpus = (marks: string) => ({
      'tools.yaml': yaml`
        spec: schemantic/v1
        tools:
          pay: { parameters: { type: object, properties: { amount: { type: number } } }${marks} }
          look: { parameters: { type: object } }
      `,
      'agents.yaml': yaml`
        spec: schemantic/v1
        agents:
          bank: { model: test, tools: [pay, look], output: { type: object, properties: { ok: { type: boolean } } } }
          other: { model: test, tools: [look] }
      `,
    });
    const before = (await generateFrom(corpus(''))).files;
    // `external: false` is the default, written out.
    expect((await generateFrom(corpus(', external: false'))).files).toEqual(before);
    for (const marks of [', approval: required', ', approval: conditional', ', external: true']) {
      const after = (await generateFrom(corpus(marks))).files;
      const changed = [...after.keys()].filter((f) => after.get(f) !== before.get(f)).sort();
      expect(changed, marks).toEqual(['agents/bank.ts', 'index.ts', 'tools/pay.ts', 'validators/agents/bank.d.ts']);
      expect(after.get('agents/other.ts')).toBe(before.get('agents/other.ts'));
    }
  });

  it('is regenerated in watch mode when only a tool gains or loses a mark', async () => {
    const tools = (marks: string) => `spec: schemantic/v1\ntools:\n  pay: { parameters: { type: object }${marks} }\n`;
    const agents = 'spec: schemantic/v1\nagents:\n  bank: { model: test, tools: [pay], output: { type: object, properties: { ok: { type: boolean } } } }\n';
    const cache = createPipelineCache();
    for (const marks of ['', ', approval: conditional', ', external: true', '']) {
      const files = { 'tools.yaml': tools(marks), 'agents.yaml': agents };
      const warm = await runPipeline({ reader: memoryReader(files), displayPrefix: 'schemas', cache });
      const cold = await runPipeline({ reader: memoryReader(files), displayPrefix: 'schemas' });
      expect(warm.problems).toEqual([]);
      expect(warm.files, marks).toEqual(cold.files);
    }
  });
});

describe('schemantic diff', () => {
  const corpus = (pay: Doc): Doc => ({
    spec: 'schemantic/v1',
    tools: { pay: { parameters: { type: 'object', properties: { amount: { type: 'number' } } }, ...pay } },
    agents: { bank: { model: 'test', tools: ['pay'] } },
  });
  const findings = async (before: Doc, after: Doc) => (await diffDocs({ 'defs.json': corpus(before) }, { 'defs.json': corpus(after) })).map(brief);

  it('judges approval and external marks by what they do to the agents that have the tool', async () => {
    expect(await findings({}, { approval: 'required' })).toEqual(['breaking tool-approval-added tool:pay /approval']);
    expect(await findings({ approval: 'conditional' }, {})).toEqual(['potentially-breaking tool-approval-removed tool:pay /approval']);
    expect(await findings({ approval: 'required' }, { approval: 'conditional' })).toEqual(['breaking tool-approval-changed tool:pay /approval']);
    expect(await findings({}, { external: true })).toEqual(['breaking tool-external-added tool:pay /external']);
    expect(await findings({ external: true }, { external: false })).toEqual(['potentially-breaking tool-external-removed tool:pay /external']);
    expect(await findings({ approval: 'required' }, { approval: 'required' })).toEqual([]);
  });

  it('locates a finding at the mark, and says who it hurts', async () => {
    const [finding] = await diffDocs({ 'defs.json': corpus({}) }, { 'defs.json': corpus({ external: true }) });
    expect(finding!.message).toBe('now external: the caller runs its calls');
    expect(finding!.impact).toContain('handlers are no longer called');
    expect(finding!.after).toEqual({ file: 'new/defs.json', line: 13, col: 7 });
  });
});

describe('schemantic export', () => {
  it("titles a deferred agent's output schema with the type it describes, the agent's own output", async () => {
    const analysis = await analyze({ reader: memoryReader({ 'defs.yaml': FIXTURE }), displayPrefix: 'schemas' });
    const files = exportContracts(analysis.ir).files;
    const title = (agent: string) => (JSON.parse(files.get(`json-schema/agents/${agent}.output.schema.json`)!) as { title: string }).title;
    expect(title('bank_support')).toBe('BankSupportFinalOutput');
    expect(title('payments')).toBe('PaymentsFinalOutput');
  });
});

describe('schemantic docs', () => {
  it("shows a tool's marks on its page and beside it on its agents' pages", async () => {
    const analysis = await analyze({ reader: memoryReader({ 'defs.yaml': FIXTURE }), displayPrefix: 'schemas' });
    expect(analysis.problems).toEqual([]);
    const pages = renderDocs(analysis.ir);
    const page = (name: string) => pages.get(name)!;
    expect(page('tools/send-money.md')).toContain("- **Approval:** `required`: each call waits for a person's approval before the handler runs\n");
    expect(page('tools/close-account.md')).toContain(
      "- **Approval:** `conditional`: a call waits for a person's approval when the agent factory's `needsApproval` condition says so\n",
    );
    expect(page('tools/show-form.md')).toContain('- **External:** yes: the caller runs its calls (it has no handler)');
    expect(page('tools/balance.md')).not.toMatch(/Approval|External/);
    const agent = page('agents/bank-support.md');
    expect(agent).toMatch(/\[`send_money`\]\([^)]*\) \(approval: `required`\)/);
    expect(agent).toMatch(/\[`close_account`\]\([^)]*\) \(approval: `conditional`\)/);
    expect(agent).toMatch(/\[`show_form`\]\([^)]*\) \(external\)/);
    expect(agent).toMatch(/\[`balance`\]\([^)]*\): /);
    expect(agent).toContain('A run may instead end with deferred tool calls (`DeferredToolRequests`)');
  });
});

/**
 * Code written against the fixture's generated tree (in `out/`): what it must be allowed to do,
 * and, on each `@ts-expect-error` line, what the compiler must refuse.
 */
const USAGE = `import { DeferredToolRequests } from 'schemantic';
import { createBankSupportAgent, createFormFillerAgent, type BankSupportFinalOutput, type BankSupportOutputPartial, type BankSupportTools } from './out/index.js';

const handlers: BankSupportTools<undefined> = {
  sendMoney: async (_ctx, { to, amount }) => \`sent \${amount} to \${to}\`,
  closeAccount: async () => 'closed',
  balance: async () => 12,
};

export const agent = createBankSupportAgent({
  tools: handlers,
  needsApproval: { closeAccount: (_ctx, { reason }) => reason !== 'moving abroad' },
  // Output validators see the agent's own output, never deferred requests.
  outputValidators: [(_ctx, output) => ({ answer: output.answer.trim() })],
});

export async function answer(): Promise<string> {
  const result = await agent.run('Send 10 to Ann', { context: { customer: 'Ann' } });
  // @ts-expect-error the output may be deferred tool requests: narrow it first
  result.output.answer;
  if (result.output instanceof DeferredToolRequests) {
    for (const call of result.output.approvals) {
      if (call.toolName === 'send_money') return \`approve \${call.args.amount} to \${call.args.to}?\`;
      // @ts-expect-error show_form is external: its calls are never among the approvals
      if (call.toolName === 'show_form') return '';
    }
    for (const call of result.output.calls) return \`fill in \${call.args.title}: \${call.args.fields.join(', ')}\`;
    return 'nothing pending';
  }
  const final: BankSupportFinalOutput = result.output;
  return final.answer;
}

export const partial: BankSupportOutputPartial = { answer: 'Hel' };

createBankSupportAgent({
  tools: {
    ...handlers,
    // @ts-expect-error show_form is external: the caller runs it, so it takes no handler
    showForm: async () => ({}),
  },
  needsApproval: { closeAccount: () => true },
});

// @ts-expect-error needsApproval is required: close_account's approval is conditional
createBankSupportAgent({ tools: handlers });

createBankSupportAgent({
  tools: handlers,
  needsApproval: {
    // @ts-expect-error the condition's arguments are close_account's: a reason, no amount
    closeAccount: (_ctx, args) => args.amount > 0,
  },
});

// An agent whose only tool is external takes no handler, and so no options at all.
export const filler = createFormFillerAgent();
// @ts-expect-error form_filler's only tool is external: there is no handler to give
createFormFillerAgent({ tools: { showForm: async () => ({}) } });
`;
