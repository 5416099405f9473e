/**
 * The report of an eval run, as plain versioned JSON: what `--format json` writes, what
 * `--baseline` reads back, and what every other format is rendered from.
 */
import type { UsageSnapshot } from '../agent/usage.js';
import type { EvaluationValue } from './evaluator.js';

/** The `format` of reports this version writes and reads. */
export const EVAL_REPORT_FORMAT = 'schemantic-eval-report/1';

/** One named result of one evaluator. */
export interface EvaluationResult {
  /** `<evaluator name>` or `<evaluator name>.<key>` for an evaluator giving several. */
  name: string;
  /** The evaluator's kind (`contains`, `llmJudge`, `custom`, ...). */
  source: string;
  /** `assertion`: passed or failed; `score`: a number; `label`: a string; `error`: the evaluator threw. */
  kind: 'assertion' | 'score' | 'label' | 'error';
  /** The value (absent for an error). */
  value?: EvaluationValue;
  /** Why, when the evaluator said (and the message of an error). */
  reason?: string;
}

/** How a run (or a case over its repeats) ended. */
export type EvalStatus = 'passed' | 'failed' | 'error' | 'cancelled';

/** One run of a case. */
export interface EvalRunRecord {
  /** 0-based repetition. */
  repeat: number;
  /**
   * `passed`: every assertion held; `failed`: one did not (or an evaluator threw); `error`: the run
   * itself failed (its error kept); `cancelled`: the eval run was cancelled before it ended.
   */
  status: EvalStatus;
  /** The run's output (absent when it failed). */
  output?: unknown;
  /** What failed the run: its class and message. */
  error?: { type: string; message: string };
  durationMs: number;
  usage: UsageSnapshot;
  /** Attempts made: above 1 when transport errors were retried. */
  attempts: number;
  results: EvaluationResult[];
  /** The run's messages, in the runtime's JSON form (for the HTML report). */
  messages?: unknown[];
}

/** One case, over its repeats. */
export interface EvalCaseReport {
  dataset: string;
  agent: string;
  name: string;
  /** `passed` when every run passed; `error` when one failed to run; `cancelled` when a run was left unfinished; else `failed`. */
  status: EvalStatus;
  /** Passed runs over finished runs (0 when none finished). */
  passRate: number;
  prompt: unknown;
  expected?: unknown;
  metadata?: Readonly<Record<string, unknown>>;
  runs: EvalRunRecord[];
}

/** A number summarised over runs or repeats. */
export interface Spread {
  mean: number;
  /** Population standard deviation. */
  stddev: number;
  min: number;
  max: number;
  median: number;
}

/** Totals of a report. */
export interface EvalSummary {
  cases: number;
  passed: number;
  failed: number;
  errored: number;
  cancelled: number;
  /** Passed runs over finished runs, across every case and repeat. */
  passRate: number;
  /** The pass rate of each repetition, summarised (with one repeat: that rate, stddev 0). */
  passRateByRepeat: Spread;
  /** Run durations in milliseconds. */
  durationMs: Spread;
  /** Tokens of every run, summed. */
  totalTokens: number;
  /** Each score's mean over the runs that gave it, by result name. */
  scores: Record<string, number>;
  /** Each assertion's pass rate over the runs that gave it, by result name. */
  assertions: Record<string, number>;
}

/** A whole eval run. */
export interface EvalReport {
  format: typeof EVAL_REPORT_FORMAT;
  /** False when the run was cancelled (or stopped by a failure of the harness): some cases did not finish. */
  complete: boolean;
  /** When the eval run started (ISO 8601). */
  startedAt: string;
  /** Wall time of the whole eval run, in milliseconds. */
  durationMs: number;
  /** The model every run used, when one was forced (`--model`). */
  model?: string;
  repeat: number;
  concurrency: number;
  /** Cases in dataset order, then case order: stable whatever order runs finish in. */
  cases: EvalCaseReport[];
  summary: EvalSummary;
}
