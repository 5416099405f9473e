/**
 * What every rendering shows of a case, worked out once from its runs: each assertion's passes,
 * each score's mean, the median duration, the tokens, and what failed and why. The renderers
 * differ only in how they write these.
 */
import type { EvalCaseReport, EvalReport } from 'schemantic/internal';

/** How often one assertion held in a case's runs. */
export interface AssertionTally {
  /** Runs in which it held. */
  passed: number;
  /** Runs that gave it (an evaluator that threw counts as not holding). */
  total: number;
}

/** One reason a run did not pass. */
export interface FailureNote {
  /** 0-based repetition of the run. */
  repeat: number;
  /** The failed assertion or the evaluator that threw; absent for the run's own error. */
  result?: string;
  /** `assertion`: it did not hold; `evaluator-error`: the evaluator threw; `run-error`: the run failed. */
  kind: 'assertion' | 'evaluator-error' | 'run-error';
  /** The reason given, the error's message, or `` when none was given. */
  reason: string;
  /** The run error's class (`TimeoutError`), for a run error. */
  errorType?: string;
}

/** A case, as the report's rows show it. */
export interface CaseFigures {
  /** `dataset/case`: how reports and comparisons name a case. */
  id: string;
  /** Tallies by assertion name (evaluator errors under the evaluator's name). */
  assertions: Map<string, AssertionTally>;
  /** Each score's mean over the runs that gave it. */
  scores: Map<string, number>;
  /** Labels given, by name, each distinct value once. */
  labels: Map<string, string[]>;
  /** Median duration of the finished runs, in milliseconds; absent when none finished. */
  durationMs?: number;
  /** Tokens of the ended (not cancelled) runs, summed. */
  tokens: number;
  /** Finished runs: every run not cancelled. */
  finishedRuns: number;
  failures: FailureNote[];
}

/** The result columns of a report: assertion names (evaluator errors included) and score names, first seen first. */
export interface ResultColumns {
  assertions: string[];
  scores: string[];
}

/** `dataset/case`. */
export function caseId(c: Pick<EvalCaseReport, 'dataset' | 'name'>): string {
  return `${c.dataset}/${c.name}`;
}

/** Whether cases were run more than once (then cells show pass counts, not marks). */
export function isRepeated(report: EvalReport): boolean {
  return report.repeat > 1 || report.cases.some((c) => c.runs.length > 1);
}

/** The assertion and score names of a report, in the order cases first give them. */
export function resultColumns(report: EvalReport): ResultColumns {
  const assertions = new Set<string>();
  const scores = new Set<string>();
  for (const c of report.cases)
    for (const run of c.runs)
      for (const r of run.results) {
        if (r.kind === 'assertion' || r.kind === 'error') assertions.add(r.name);
        else if (r.kind === 'score') scores.add(r.name);
      }
  // A name that is a score somewhere and an error elsewhere is a score column.
  for (const name of scores) assertions.delete(name);
  return { assertions: [...assertions], scores: [...scores] };
}

/** The median of `values` (which must not be empty). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Works out a case's figures from its runs. */
export function caseFigures(c: EvalCaseReport): CaseFigures {
  const assertions = new Map<string, AssertionTally>();
  const scoreValues = new Map<string, number[]>();
  const labels = new Map<string, string[]>();
  const failures: FailureNote[] = [];
  const durations: number[] = [];
  let tokens = 0;
  for (const run of c.runs) {
    // Only ended runs count, as in the report's summary, so the column adds up to its total.
    if (run.status === 'cancelled') continue;
    tokens += run.usage?.totalTokens ?? 0;
    durations.push(run.durationMs);
    if (run.error) failures.push({ repeat: run.repeat, kind: 'run-error', reason: run.error.message, errorType: run.error.type });
    for (const r of run.results) {
      if (r.kind === 'score' && typeof r.value === 'number') {
        const list = scoreValues.get(r.name) ?? [];
        list.push(r.value);
        scoreValues.set(r.name, list);
      } else if (r.kind === 'label' && r.value !== undefined) {
        const list = labels.get(r.name) ?? [];
        if (!list.includes(String(r.value))) list.push(String(r.value));
        labels.set(r.name, list);
      } else if (r.kind === 'assertion' || r.kind === 'error') {
        const tally = assertions.get(r.name) ?? { passed: 0, total: 0 };
        tally.total += 1;
        if (r.kind === 'assertion' && r.value === true) tally.passed += 1;
        else failures.push({ repeat: run.repeat, result: r.name, kind: r.kind === 'error' ? 'evaluator-error' : 'assertion', reason: r.reason ?? '' });
        assertions.set(r.name, tally);
      }
    }
  }
  const scores = new Map([...scoreValues].map(([name, values]) => [name, values.reduce((a, b) => a + b, 0) / values.length]));
  return {
    id: caseId(c),
    assertions,
    scores,
    labels,
    ...(durations.length > 0 ? { durationMs: median(durations) } : {}),
    tokens,
    finishedRuns: durations.length,
    failures,
  };
}
