/**
 * How a report compares with a baseline report (`--baseline FILE`): what got worse, what got
 * better, and which cases appeared or went away. Cases match by dataset and name; results by name.
 */

/** One change between the baseline and this run. */
export interface ReportChange {
  dataset: string;
  case: string;
  /** The result that changed (`contains`, `llmJudge.score`); absent for the case's status or pass rate. */
  result?: string;
  /** What changed: the case's status, its pass rate, an assertion's pass rate, or a score's mean. */
  what: 'status' | 'pass-rate' | 'assertion' | 'score';
  /** The value in the baseline, and now (a status, or a number). */
  before: string | number;
  after: string | number;
}

/** A report compared with its baseline. */
export interface ReportComparison {
  /** Things worse than in the baseline (a passing case now failing, a score down by more than the tolerance). */
  regressions: ReportChange[];
  /** Things better than in the baseline. */
  improvements: ReportChange[];
  /** Cases only this run has (`dataset/case`). */
  added: string[];
  /** Cases only the baseline has. */
  removed: string[];
  /** The baseline's overall pass rate, and this run's. */
  passRate: { before: number; after: number };
}
