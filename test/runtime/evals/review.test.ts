/**
 * Review of the eval runner under hostile input: an evaluator or deps factory that never settles
 * (cancelling must still end the eval run), a deps key that names a prototype member, secrets in
 * the errors a report keeps, and a baseline whose results are malformed.
 */
import { describe, expect, it } from 'vitest';
import { agent, ModelHTTPError } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { compareReports, readEvalReport, runEvals, type EvalDataset, type EvalProgress, type EvalReport, type Evaluator } from 'schemantic/evals';

const echo = () => agent<undefined, string>({ name: 'echo' });
const said = new FunctionModel(() => 'said');

function dataset(evaluators: EvalDataset['evaluators'] = [], cases = 1): EvalDataset {
  return {
    name: 'echoes',
    agent: 'echo',
    evaluators,
    cases: Array.from({ length: cases }, (_, i) => ({ name: `case-${i}`, prompt: `say ${i}` })),
  };
}

/** Resolves to `value`, or to 'timed out' when `promise` takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> {
  return Promise.race([promise, new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms))]);
}

describe('eval runner review', () => {
  it('a hung evaluator does not hang a cancelled eval run: cancelling ends it with an incomplete report', async () => {
    const controller = new AbortController();
    const hung: Evaluator = { name: 'hung', kind: 'custom', evaluate: () => new Promise<boolean>(() => {}) };
    const running = runEvals([{ dataset: dataset([hung]), binding: { agent: echo, model: said } }], {
      signal: controller.signal,
      onProgress: (p: EvalProgress) => p.kind === 'start' && setTimeout(() => controller.abort(), 50),
    });
    const report = await within(running, 2000);
    expect(report).not.toBe('timed out');
    expect((report as EvalReport).complete).toBe(false);
    expect((report as EvalReport).cases[0]!.status).toBe('cancelled');
  });

  it('a deps factory that never settles does not hang a cancelled eval run', async () => {
    const controller = new AbortController();
    const data: EvalDataset = { ...dataset(), cases: [{ name: 'stuck', prompt: 'x', deps: 'stuck' }] };
    const running = runEvals([{ dataset: data, binding: { agent: echo, model: said, deps: { stuck: () => new Promise(() => {}) } } }], {
      signal: controller.signal,
      onProgress: (p: EvalProgress) => p.kind === 'start' && setTimeout(() => controller.abort(), 50),
    });
    const report = await within(running, 2000);
    expect(report).not.toBe('timed out');
    expect((report as EvalReport).cases[0]!.status).toBe('cancelled');
  });

  it("a case's deps key naming an Object.prototype member is a missing key, not the prototype's function", async () => {
    const seen: unknown[] = [];
    const greeter = agent<unknown, string>({
      name: 'greeter',
      tools: [{ name: 'who', parameters: { type: 'object' }, handler: (ctx) => (seen.push(ctx.deps), 'x') }],
    });
    const model = new FunctionModel((messages) =>
      messages.at(-1)!.kind === 'request' && messages.at(-1)!.parts.some((p) => p.kind === 'tool-return')
        ? 'done'
        : [{ kind: 'tool-call', toolName: 'who', args: {}, toolCallId: 'w' }],
    );
    const data: EvalDataset = { name: 'g', agent: 'greeter', cases: [{ name: 'proto', prompt: 'hi', deps: 'constructor' }] };
    const report = await runEvals([{ dataset: data, binding: { agent: greeter, model, deps: { ann: () => ({ who: 'Ann' }) } } }]);
    expect(report.cases[0]!.status).toBe('error');
    expect(report.cases[0]!.runs[0]!.error!.message).toContain('"constructor"');
    expect(seen).toEqual([]);
  });

  it('keeps API keys out of the report and the retry progress: run errors, evaluator errors, retry messages', async () => {
    const key = 'sk-proj-abcdefghijklmnop1234';
    let calls = 0;
    const model = new FunctionModel(() => {
      calls += 1;
      if (calls === 1) throw new ModelHTTPError(503, 'm', {}, { message: `overloaded for key ${key}` });
      throw new Error(`Authorization: Bearer ${key} was refused`);
    });
    const leaky: Evaluator = {
      name: 'leaky',
      kind: 'custom',
      evaluate: () => {
        throw new Error(`cannot reach the grader with ${key}`);
      },
    };
    const retries: string[] = [];
    const data: EvalDataset = { ...dataset([leaky], 2) };
    const twoModels = (evalCase: { name: string }) => (evalCase.name === 'case-0' ? model : said);
    const report = await runEvals([{ dataset: data, binding: { agent: echo, model: twoModels } }], {
      retryDelayMs: 1,
      concurrency: 1,
      onProgress: (p) => p.kind === 'retry' && retries.push(p.error!),
    });
    expect(report.cases[0]!.runs[0]!.status).toBe('error');
    expect(report.cases[1]!.runs[0]!.results[0]!.kind).toBe('error');
    expect(retries).toHaveLength(1);
    const everything = JSON.stringify(report) + retries.join('\n');
    expect(everything).not.toContain(key);
    expect(everything).toContain('[redacted]');
  });

  it('readEvalReport refuses a baseline whose results are malformed, rather than compareReports failing on it', () => {
    const current = {
      format: 'schemantic-eval-report/1',
      complete: true,
      cases: [
        { dataset: 'd', name: 'c', status: 'passed', passRate: 1, runs: [{ status: 'passed', results: [{ name: 'a', kind: 'assertion', value: true }] }] },
      ],
      summary: { passRate: 1 },
    } as unknown as EvalReport;
    for (const results of [[null], ['a'], [{ name: 7, kind: 'score', value: 1 }], [{ name: 'a' }]]) {
      const text = JSON.stringify({ ...current, cases: [{ ...current.cases[0], runs: [{ status: 'passed', results }] }] });
      let threw: unknown;
      try {
        compareReports(current, readEvalReport(text, 'baseline.json'));
      } catch (error) {
        threw = error;
      }
      expect((threw as Error | undefined)?.name, JSON.stringify(results)).toBe('EvalReportError');
    }
  });

  it('a score or assertion named __proto__ keeps its mean in the summary, and in the JSON report', async () => {
    const proto: Evaluator = { name: '__proto__', kind: 'custom', evaluate: () => 0.5 };
    const held: Evaluator = { name: 'constructor', kind: 'custom', evaluate: () => true };
    const report = await runEvals([{ dataset: dataset([proto, held]), binding: { agent: echo, model: said } }]);
    expect(Object.hasOwn(report.summary.scores, '__proto__')).toBe(true);
    expect(report.summary.scores['__proto__']).toBe(0.5);
    expect(Object.getPrototypeOf(report.summary.scores)).toBe(Object.prototype);
    expect(report.summary.assertions['constructor']).toBe(1);
    expect(JSON.parse(JSON.stringify(report)).summary.scores).toEqual(JSON.parse('{"__proto__":0.5}'));
  });

  it('cancelling during the wait before a retry starts no further attempt: no fresh deps, the attempts as made', async () => {
    const controller = new AbortController();
    let calls = 0;
    let made = 0;
    const down = new FunctionModel(() => {
      calls += 1;
      throw new ModelHTTPError(503, 'm', {});
    });
    const data: EvalDataset = { ...dataset(), cases: [{ name: 'c', prompt: 'p', deps: 'k' }] };
    const report = await runEvals([{ dataset: data, binding: { agent: echo, model: down, deps: { k: () => (made++, {}) } } }], {
      signal: controller.signal,
      retryDelayMs: 200,
      onProgress: (p) => p.kind === 'retry' && setTimeout(() => controller.abort(), 20),
    });
    expect(report.cases[0]!.runs[0]).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(calls).toBe(1);
    expect(made).toBe(1);
  });
});
