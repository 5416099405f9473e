/**
 * The option every built-in evaluator factory takes.
 */

/** Options common to the built-in evaluators. */
export interface EvaluatorOptions {
  /** Names its results in reports (default: the evaluator's kind and what distinguishes it, as `pointer /risk`). */
  name?: string;
}
