/**
 * The eval runner: concurrency bounded and reached, a report ordered by the datasets whatever
 * order runs end in, repeats with their spread, transport retries, usage limits, a missing deps
 * key, a harness mistake caught before any run, and cancellation leaving an incomplete report.
 */
import { describe, expect, it } from 'vitest';
import { agent, ModelHTTPError, type ModelMessage } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { runEvals, type EvalDataset, type EvalProgress, type Evaluator } from 'schemantic/evals';

/** The last user prompt of a run. */
function promptOf(messages: readonly ModelMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.kind === 'request') for (const p of m.parts) if (p.kind === 'user-prompt' && typeof p.content === 'string') return p.content;
  }
  return '';
}

const echo = () => agent<undefined, string>({ name: 'echo' });

function dataset(cases: number, evaluators: EvalDataset['evaluators'] = []): EvalDataset {
  return {
    name: 'echoes',
    agent: 'echo',
    evaluators,
    cases: Array.from({ length: cases }, (_, i) => ({ name: `case-${i}`, prompt: `say ${i}`, expected: `said ${i}` })),
  };
}

/** An evaluator asserting the output is the expected one. */
const matches: Evaluator = { name: 'matches', kind: 'custom', evaluate: ({ output, expected }) => output === expected };

describe('runEvals', () => {
  it('keeps at most `concurrency` runs in flight, reaches it, and orders the report by the dataset', async () => {
    let inFlight = 0;
    let most = 0;
    // Later cases answer sooner, so runs end in the reverse of their order.
    const model = new FunctionModel(async (messages) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      const n = Number(/\d+/.exec(promptOf(messages))![0]);
      await new Promise((resolve) => setTimeout(resolve, 60 - n * 5));
      inFlight -= 1;
      return `said ${n}`;
    });
    const ended: string[] = [];
    const report = await runEvals([{ dataset: dataset(10, [matches]), binding: { agent: echo, model } }], {
      concurrency: 3,
      onProgress: (p: EvalProgress) => {
        expect(p.inFlight).toBeLessThanOrEqual(3);
        if (p.kind === 'end') ended.push(p.case);
      },
    });
    expect(most).toBe(3);
    expect(ended).not.toEqual(ended.slice().sort((a, b) => Number(a.slice(5)) - Number(b.slice(5))));
    expect(report.cases.map((c) => c.name)).toEqual(Array.from({ length: 10 }, (_, i) => `case-${i}`));
    expect(report.complete).toBe(true);
    expect(report.summary).toMatchObject({ cases: 10, passed: 10, failed: 0, passRate: 1 });
    expect(report.cases[4]!.runs[0]!.output).toBe('said 4');
    expect(report.cases[4]!.runs[0]!.messages?.length).toBe(2);
  });

  it('repeats each case and reports pass rates with their spread', async () => {
    let calls = 0;
    // Every third answer is wrong: case pass rates differ between repeats.
    const model = new FunctionModel((messages) => (++calls % 3 === 0 ? 'wrong' : promptOf(messages).replace('say', 'said')));
    const report = await runEvals([{ dataset: dataset(2, [matches]), binding: { agent: echo, model } }], { repeat: 3, concurrency: 1 });
    expect(report.cases.map((c) => c.runs.map((r) => r.repeat))).toEqual([
      [0, 1, 2],
      [0, 1, 2],
    ]);
    // Calls 3 and 6 fail: case-0's third run and case-1's third run.
    expect(report.cases.map((c) => c.passRate)).toEqual([2 / 3, 2 / 3]);
    expect(report.cases.map((c) => c.status)).toEqual(['failed', 'failed']);
    expect(report.summary.passRate).toBeCloseTo(4 / 6);
    expect(report.summary.passRateByRepeat).toMatchObject({ mean: 4 / 6, min: 0, max: 1 });
    expect(report.summary.passRateByRepeat.stddev).toBeGreaterThan(0.4);
    expect(report.summary.assertions['matches']).toBeCloseTo(4 / 6);
  });

  it('retries transport errors, not other failures, and counts the attempts', async () => {
    let calls = 0;
    const model = new FunctionModel(() => {
      calls += 1;
      if (calls <= 2) throw new ModelHTTPError(503, 'flaky', { error: 'overloaded' });
      return 'said 0';
    });
    const retries: string[] = [];
    const report = await runEvals([{ dataset: dataset(1, [matches]), binding: { agent: echo, model } }], {
      retryDelayMs: 1,
      onProgress: (p) => p.kind === 'retry' && retries.push(p.error!),
    });
    expect(report.cases[0]!.runs[0]).toMatchObject({ status: 'passed', attempts: 3 });
    expect(retries).toHaveLength(2);
    expect(retries[0]).toContain('503');

    const refused = new FunctionModel(() => {
      throw new ModelHTTPError(400, 'strict', { error: 'bad request' });
    });
    const once = await runEvals([{ dataset: dataset(1), binding: { agent: echo, model: refused } }], { retryDelayMs: 1 });
    expect(once.cases[0]!.runs[0]).toMatchObject({ status: 'error', attempts: 1, error: { type: 'ModelHTTPError' } });
    expect(once.cases[0]!.status).toBe('error');

    const down = new FunctionModel(() => {
      throw new ModelHTTPError(502, 'down', {});
    });
    const exhausted = await runEvals([{ dataset: dataset(1), binding: { agent: echo, model: down } }], { retries: 1, retryDelayMs: 1 });
    expect(exhausted.cases[0]!.runs[0]).toMatchObject({ status: 'error', attempts: 2 });
  });

  it("respects the dataset's usage limits: a run over them is an error of that case, not of the eval", async () => {
    const looping = agent<undefined, string>({ name: 'looping', tools: [{ name: 'again', parameters: { type: 'object' }, handler: () => 'again' }] });
    const model = new FunctionModel(() => [{ kind: 'tool-call', toolName: 'again', args: {}, toolCallId: `c${Math.random()}` }]);
    const limited: EvalDataset = { ...dataset(2), usageLimits: { requests: 3 } };
    const report = await runEvals([{ dataset: limited, binding: { agent: looping, model } }]);
    expect(report.cases.map((c) => c.status)).toEqual(['error', 'error']);
    expect(report.cases[0]!.runs[0]!.error).toMatchObject({ type: 'UsageLimitExceeded' });
    expect(report.complete).toBe(true);
  });

  it("makes each run's deps from the binding by the case's key, and fails a case whose key is missing", async () => {
    const seen: unknown[] = [];
    const greeter = agent<{ who: string }, string>({
      name: 'greeter',
      tools: [{ name: 'who', parameters: { type: 'object' }, handler: (ctx) => (seen.push(ctx.deps), ctx.deps.who) }],
    });
    const model = new FunctionModel((messages) => {
      const last = messages[messages.length - 1]!;
      const returned = last.kind === 'request' ? last.parts.find((p) => p.kind === 'tool-return') : undefined;
      return returned?.kind === 'tool-return' ? `hello ${String(returned.content)}` : [{ kind: 'tool-call', toolName: 'who', args: {}, toolCallId: 'w' }];
    });
    const data: EvalDataset = {
      name: 'greetings',
      agent: 'greeter',
      evaluators: [matches],
      cases: [
        { name: 'ann', prompt: 'hi', deps: 'ann', expected: 'hello Ann' },
        { name: 'nobody', prompt: 'hi', deps: 'bob', expected: 'hello Bob' },
      ],
    };
    const report = await runEvals([{ dataset: data, binding: { agent: greeter, model, deps: { ann: () => ({ who: 'Ann' }) } } }]);
    expect(report.cases[0]!.status).toBe('passed');
    expect(report.cases[1]!.status).toBe('error');
    expect(report.cases[1]!.runs[0]!.error!.message).toContain('"bob"');
    expect(report.cases[1]!.runs[0]!.error!.message).toContain('ann');
    expect(seen).toEqual([{ who: 'Ann' }]);
  });

  it('refuses a missing custom evaluator before any run starts', async () => {
    let calls = 0;
    const model = new FunctionModel(() => (calls++, 'x'));
    const data = dataset(2, [{ evaluator: 'custom', custom: 'polite' }]);
    await expect(runEvals([{ dataset: data, binding: { agent: echo, model } }])).rejects.toThrow(/polite/);
    expect(calls).toBe(0);
  });

  it('an evaluator that throws fails its case, with the message, and the eval goes on', async () => {
    const model = new FunctionModel((messages) => promptOf(messages).replace('say', 'said'));
    const broken: Evaluator = {
      name: 'broken',
      kind: 'custom',
      evaluate: () => {
        throw new Error('evaluator bug');
      },
    };
    const report = await runEvals([{ dataset: dataset(2, [matches, broken]), binding: { agent: echo, model } }]);
    expect(report.cases.map((c) => c.status)).toEqual(['failed', 'failed']);
    expect(report.cases[0]!.runs[0]!.results).toContainEqual(
      expect.objectContaining({ name: 'broken', kind: 'error', reason: expect.stringContaining('evaluator bug') }),
    );
  });

  it('cancelled: runs in flight end cancelled, the rest never start, and the report says it is incomplete', async () => {
    const controller = new AbortController();
    let started = 0;
    const model = new FunctionModel(async (messages) => {
      started += 1;
      await new Promise((resolve) => setTimeout(resolve, 30));
      return promptOf(messages).replace('say', 'said');
    });
    const report = await runEvals([{ dataset: dataset(8, [matches]), binding: { agent: echo, model } }], {
      concurrency: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.kind === 'end' && p.done === 2) controller.abort();
      },
    });
    expect(report.complete).toBe(false);
    expect(report.cases).toHaveLength(8);
    expect(report.cases.slice(0, 2).map((c) => c.status)).toEqual(['passed', 'passed']);
    expect(report.cases.slice(4).every((c) => c.status === 'cancelled' && c.runs.length === 0)).toBe(true);
    expect(report.summary.cancelled).toBeGreaterThanOrEqual(4);
    expect(started).toBeLessThan(8);
    // Pass rates count only runs that ended.
    expect(report.summary.passRate).toBe(1);
  });

  it("tool-call assertions read the run's own messages, not the case's history", async () => {
    const lookup = agent<undefined, string>({ name: 'lookup', tools: [{ name: 'find', parameters: { type: 'object' }, handler: () => 'found' }] });
    // The model answers at once: the only call of `find` is in the history.
    const model = new FunctionModel(() => 'done');
    const history: ModelMessage[] = [
      { kind: 'request', parts: [{ kind: 'user-prompt', content: 'find it', timestamp: '2026-12-01T00:00:00.000Z' }] },
      {
        kind: 'response',
        parts: [{ kind: 'tool-call', toolName: 'find', args: {}, toolCallId: 'old' }],
        modelName: 'm',
        timestamp: '2026-12-01T00:00:01.000Z',
        usage: { inputTokens: 1, outputTokens: 1 },
      },
      { kind: 'request', parts: [{ kind: 'tool-return', toolName: 'find', toolCallId: 'old', content: 'found', timestamp: '2026-12-01T00:00:02.000Z' }] },
      {
        kind: 'response',
        parts: [{ kind: 'text', content: 'found it' }],
        modelName: 'm',
        timestamp: '2026-12-01T00:00:03.000Z',
        usage: { inputTokens: 1, outputTokens: 1 },
      },
    ];
    const data: EvalDataset = {
      name: 'lookups',
      agent: 'lookup',
      cases: [
        {
          name: 'again',
          prompt: 'and again?',
          history,
          evaluators: [
            { evaluator: 'toolCalled', tool: 'find' },
            { evaluator: 'toolNotCalled', tool: 'find' },
          ],
        },
      ],
    };
    const report = await runEvals([{ dataset: data, binding: { agent: lookup, model } }]);
    const results = report.cases[0]!.runs[0]!.results;
    expect(results.find((r) => r.name === 'toolCalled find')).toMatchObject({ value: false });
    expect(results.find((r) => r.name === 'toolNotCalled find')).toMatchObject({ value: true });
    expect(report.cases[0]!.runs[0]!.messages).toHaveLength(6);
  });

  it('refuses two cases of one name in a dataset, and two datasets of one name, before any run', async () => {
    let calls = 0;
    const model = new FunctionModel(() => (calls++, 'x'));
    const twice: EvalDataset = { ...dataset(1), cases: [dataset(1).cases[0]!, dataset(1).cases[0]!] };
    await expect(runEvals([{ dataset: twice, binding: { agent: echo, model } }])).rejects.toThrow(/two cases named "case-0"/);
    await expect(
      runEvals([
        { dataset: dataset(1), binding: { agent: echo, model } },
        { dataset: dataset(2), binding: { agent: echo, model } },
      ]),
    ).rejects.toThrow(/two datasets are named "echoes"/);
    expect(calls).toBe(0);
  });

  it("times a run by its last attempt: a retry's wait is not the agent's duration", async () => {
    let calls = 0;
    const model = new FunctionModel(() => {
      calls += 1;
      if (calls === 1) throw new ModelHTTPError(503, 'flaky', {});
      return 'said 0';
    });
    const report = await runEvals([{ dataset: dataset(1, [{ evaluator: 'maxDuration', seconds: 0.2 }]), binding: { agent: echo, model } }], {
      retryDelayMs: 400,
    });
    expect(report.cases[0]!.runs[0]).toMatchObject({ status: 'passed', attempts: 2 });
    expect(report.cases[0]!.runs[0]!.durationMs).toBeLessThan(1000);
  });
});
