/**
 * A report against its baseline: status flips, pass rates, assertion rates and scores beyond the
 * tolerance, added and removed cases, cancelled cases left out; and reading a stored report back.
 */
import { describe, expect, it } from 'vitest';
import { compareReports, EVAL_REPORT_FORMAT, EvalReportError, readEvalReport, type EvalCaseReport, type EvalReport, type EvalStatus } from 'schemantic/evals';

const usage = { requests: 1, toolCalls: 0, inputTokens: 1, outputTokens: 1, totalTokens: 2, details: {} };

function caseOf(name: string, status: EvalStatus, results: { name: string; kind: 'assertion' | 'score'; value: boolean | number }[][]): EvalCaseReport {
  const runs = results.map((r, repeat) => ({
    repeat,
    status: status === 'cancelled' ? ('cancelled' as const) : r.some((x) => x.value === false) ? ('failed' as const) : ('passed' as const),
    durationMs: 1,
    usage,
    attempts: 1,
    results: r.map((x) => ({ ...x, source: 'custom' })),
  }));
  const ended = runs.filter((r) => r.status !== 'cancelled');
  return {
    dataset: 'd',
    agent: 'a',
    name,
    status,
    passRate: ended.length ? ended.filter((r) => r.status === 'passed').length / ended.length : 0,
    prompt: name,
    runs,
  };
}

function report(cases: EvalCaseReport[]): EvalReport {
  const passed = cases.filter((c) => c.status === 'passed').length;
  return {
    format: EVAL_REPORT_FORMAT,
    complete: true,
    startedAt: '2026-12-05T00:00:00.000Z',
    durationMs: 1,
    repeat: 1,
    concurrency: 1,
    cases,
    summary: {
      cases: cases.length,
      passed,
      failed: cases.length - passed,
      errored: 0,
      cancelled: 0,
      passRate: passed / cases.length,
      passRateByRepeat: { mean: 0, stddev: 0, min: 0, max: 0, median: 0 },
      durationMs: { mean: 0, stddev: 0, min: 0, max: 0, median: 0 },
      totalTokens: 0,
      scores: {},
      assertions: {},
    },
  };
}

const ok = (score = 0.9) => [
  [
    { name: 'fits', kind: 'assertion' as const, value: true },
    { name: 'quality', kind: 'score' as const, value: score },
  ],
];
const bad = (score = 0.9) => [
  [
    { name: 'fits', kind: 'assertion' as const, value: false },
    { name: 'quality', kind: 'score' as const, value: score },
  ],
];

describe('compareReports', () => {
  it('finds regressions and improvements by case and result, and added and removed cases', () => {
    const baseline = report([caseOf('a', 'passed', ok()), caseOf('b', 'failed', bad()), caseOf('c', 'passed', ok(0.9)), caseOf('gone', 'passed', ok())]);
    const current = report([caseOf('a', 'failed', bad()), caseOf('b', 'passed', ok()), caseOf('c', 'passed', ok(0.5)), caseOf('new', 'passed', ok())]);
    const comparison = compareReports(current, baseline);
    const said = (changes: typeof comparison.regressions) => changes.map((c) => `${c.case}:${c.what}:${c.result ?? ''}:${c.before}->${c.after}`);
    expect(said(comparison.regressions)).toEqual(['a:status::passed->failed', 'a:assertion:fits:1->0', 'c:score:quality:0.9->0.5']);
    expect(said(comparison.improvements)).toEqual(['b:status::failed->passed', 'b:assertion:fits:0->1']);
    expect(comparison.added).toEqual(['d/new']);
    expect(comparison.removed).toEqual(['d/gone']);
    expect(comparison.passRate).toEqual({ before: 0.75, after: 0.75 });
  });

  it('ignores score moves within the tolerance, and cancelled cases', () => {
    const baseline = report([caseOf('a', 'passed', ok(0.9)), caseOf('b', 'passed', ok())]);
    const current = report([caseOf('a', 'passed', ok(0.87)), caseOf('b', 'cancelled', [[]])]);
    const comparison = compareReports(current, baseline);
    expect(comparison.regressions).toEqual([]);
    expect(comparison.improvements).toEqual([]);
    expect(compareReports(current, baseline, { scoreTolerance: 0.01 }).regressions.map((c) => c.what)).toEqual(['score']);
  });

  it('compares pass rates of repeated cases whose status did not flip', () => {
    const twoOfThree = caseOf('a', 'failed', [ok()[0]!, ok()[0]!, bad()[0]!]);
    const oneOfThree = caseOf('a', 'failed', [ok()[0]!, bad()[0]!, bad()[0]!]);
    const comparison = compareReports(report([oneOfThree]), report([twoOfThree]));
    expect(comparison.regressions.map((c) => [c.what, c.before, c.after])).toEqual([
      ['pass-rate', 2 / 3, 1 / 3],
      ['assertion', 2 / 3, 1 / 3],
    ]);
  });
});

describe('readEvalReport', () => {
  it('reads back what JSON.stringify wrote', () => {
    const stored = report([caseOf('a', 'passed', ok())]);
    expect(readEvalReport(JSON.stringify(stored))).toEqual(stored);
  });

  it('refuses what is not a report of this version, saying why', () => {
    expect(() => readEvalReport('{', 'base.json')).toThrow(/base\.json is not JSON/);
    expect(() => readEvalReport('[]', 'base.json')).toThrow(EvalReportError);
    expect(() => readEvalReport(JSON.stringify({ format: 'schemantic-eval-report/0' }), 'base.json')).toThrow(/its format is "schemantic-eval-report\/0"/);
    const broken = { ...report([caseOf('a', 'passed', ok())]) } as unknown as { cases: unknown[] };
    broken.cases = [{ dataset: 'd', name: 'a', status: 'passed', passRate: 1, runs: [{ status: 'passed' }] }];
    expect(() => readEvalReport(JSON.stringify(broken), 'base.json')).toThrow(/case 0 is malformed/);
  });
});
