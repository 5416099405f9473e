/**
 * From runs to a report: each case's status and pass rate over its repeats, and the totals.
 */
import type { EvalCaseReport, EvalRunRecord, EvalStatus, EvalSummary } from './eval-report.js';
import { spreadOf } from './spread.js';

/** Whether a run ended (was not cancelled): only ended runs count in pass rates. */
function ended(run: EvalRunRecord): boolean {
  return run.status !== 'cancelled';
}

/**
 * A case's status over its runs: `error` when one failed to run, else `cancelled` when one was
 * left unfinished (or none started), `passed` when all passed, else `failed`.
 */
export function caseStatus(runs: readonly EvalRunRecord[], expectedRuns: number): EvalStatus {
  if (runs.some((r) => r.status === 'error')) return 'error';
  if (runs.length < expectedRuns || runs.some((r) => r.status === 'cancelled')) return 'cancelled';
  return runs.every((r) => r.status === 'passed') ? 'passed' : 'failed';
}

/** Passed runs over ended runs (0 when none ended). */
export function passRateOf(runs: readonly EvalRunRecord[]): number {
  const done = runs.filter(ended);
  return done.length === 0 ? 0 : done.filter((r) => r.status === 'passed').length / done.length;
}

/** The totals of a report's cases. */
export function summarize(cases: readonly EvalCaseReport[], repeat: number): EvalSummary {
  const runs = cases.flatMap((c) => c.runs).filter(ended);
  const byRepeat: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const these = runs.filter((run) => run.repeat === r);
    if (these.length > 0) byRepeat.push(passRateOf(these));
  }
  const scores = new Map<string, number[]>();
  const assertions = new Map<string, number[]>();
  for (const run of runs) {
    for (const result of run.results) {
      if (result.kind === 'score' && typeof result.value === 'number') push(scores, result.name, result.value);
      if (result.kind === 'assertion') push(assertions, result.name, result.value === true ? 1 : 0);
    }
  }
  const count = (status: EvalStatus) => cases.filter((c) => c.status === status).length;
  return {
    cases: cases.length,
    passed: count('passed'),
    failed: count('failed'),
    errored: count('error'),
    cancelled: count('cancelled'),
    passRate: passRateOf(runs),
    passRateByRepeat: spreadOf(byRepeat),
    durationMs: spreadOf(runs.map((r) => r.durationMs)),
    totalTokens: runs.reduce((sum, r) => sum + r.usage.totalTokens, 0),
    scores: meansOf(scores),
    assertions: meansOf(assertions),
  };
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function meansOf(map: Map<string, number[]>): Record<string, number> {
  const out: Record<string, number> = {};
  // Defined, not assigned: a result named `__proto__` would otherwise set the prototype (or vanish).
  for (const key of [...map.keys()].sort())
    Object.defineProperty(out, key, { value: spreadOf(map.get(key)!).mean, enumerable: true, writable: true, configurable: true });
  return out;
}
