/**
 * A report against its baseline (`--baseline FILE`): cases match by dataset and name, results
 * by name. A case that passed and no longer does, an assertion that holds less often, a score
 * down by more than the tolerance: regressions. The reverse: improvements.
 */
import type { EvalCaseReport, EvalReport } from './eval-report.js';
import type { ReportChange, ReportComparison } from './report-comparison.js';
import { spreadOf } from './spread.js';

/** Options of {@link compareReports}. */
export interface CompareOptions {
  /** How far a score's mean may move before it counts as a change (default 0.05). */
  scoreTolerance?: number;
}

/** Compares `current` with `baseline`. Cancelled cases of the current run are left out: they say nothing. */
export function compareReports(current: EvalReport, baseline: EvalReport, options: CompareOptions = {}): ReportComparison {
  const tolerance = options.scoreTolerance ?? 0.05;
  const before = new Map(baseline.cases.map((c) => [keyOf(c), c]));
  const after = new Map(current.cases.map((c) => [keyOf(c), c]));
  const comparison: ReportComparison = {
    regressions: [],
    improvements: [],
    added: [...after.keys()].filter((k) => !before.has(k)),
    removed: [...before.keys()].filter((k) => !after.has(k)),
    passRate: { before: baseline.summary.passRate, after: current.summary.passRate },
  };
  const note = (change: ReportChange, worse: boolean) => (worse ? comparison.regressions : comparison.improvements).push(change);
  for (const [key, now] of after) {
    const then = before.get(key);
    if (!then || now.status === 'cancelled') continue;
    const where = { dataset: now.dataset, case: now.name };
    const passedThen = then.status === 'passed';
    const passedNow = now.status === 'passed';
    if (passedThen !== passedNow) note({ ...where, what: 'status', before: then.status, after: now.status }, passedThen);
    else if (Math.abs(then.passRate - now.passRate) > 1e-9)
      note({ ...where, what: 'pass-rate', before: then.passRate, after: now.passRate }, now.passRate < then.passRate);
    const assertionsThen = means(then, 'assertion');
    const scoresThen = means(then, 'score');
    for (const [name, rate] of means(now, 'assertion')) {
      const old = assertionsThen.get(name);
      if (old !== undefined && Math.abs(old - rate) > 1e-9) note({ ...where, result: name, what: 'assertion', before: old, after: rate }, rate < old);
    }
    for (const [name, score] of means(now, 'score')) {
      const old = scoresThen.get(name);
      if (old !== undefined && Math.abs(old - score) > tolerance) note({ ...where, result: name, what: 'score', before: old, after: score }, score < old);
    }
  }
  return comparison;
}

function keyOf(c: EvalCaseReport): string {
  return `${c.dataset}/${c.name}`;
}

/** Each assertion's pass rate (or each score's mean) over a case's ended runs, by result name. */
function means(c: EvalCaseReport, kind: 'assertion' | 'score'): Map<string, number> {
  const values = new Map<string, number[]>();
  for (const run of c.runs) {
    if (run.status === 'cancelled') continue;
    for (const result of run.results) {
      if (result.kind !== kind) continue;
      const value = kind === 'assertion' ? (result.value === true ? 1 : 0) : typeof result.value === 'number' ? result.value : undefined;
      if (value === undefined) continue;
      const list = values.get(result.name);
      if (list) list.push(value);
      else values.set(result.name, [value]);
    }
  }
  return new Map([...values].map(([name, list]) => [name, spreadOf(list).mean]));
}
