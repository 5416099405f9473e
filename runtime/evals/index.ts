/**
 * `schemantic/evals`: datasets of cases for an agent, evaluators that check its runs, a runner
 * with concurrency, repeats and retries, and reports that compare with a baseline. `schemantic
 * eval` runs the datasets of `evals/` through it; apps and tests can call it directly.
 */
export type { EvalCase, EvalDataset, EvaluatorEntry, EvaluatorKind, EvaluatorSpec } from './eval-case.js';
export type { CustomEvaluator, EvaluationReason, EvaluationValue, Evaluator, EvaluatorContext, EvaluatorOutput } from './evaluator.js';
export type { SpanNode } from './span-tree.js';
export { EVAL_REPORT_FORMAT } from './eval-report.js';
export type { EvalCaseReport, EvalReport, EvalRunRecord, EvalStatus, EvalSummary, EvaluationResult, Spread } from './eval-report.js';
export type { ReportChange, ReportComparison } from './report-comparison.js';
export { defineEvals } from './eval-binding.js';
export type { EvalAgentTypes, EvalBinding, EvalBindings, Made, UntypedEvals } from './eval-binding.js';
// evaluators (built-ins, spec -> evaluator, applying them)
export { equals, equalsExpected, partialEquals } from './evaluators/equality.js';
export { pointer } from './evaluators/pointer.js';
export type { PointerOptions } from './evaluators/pointer.js';
export { isInstance } from './evaluators/is-instance.js';
export { contains, regex } from './evaluators/text.js';
export type { ContainsOptions, RegexOptions } from './evaluators/text.js';
export { maxCost, maxDuration, maxTokens } from './evaluators/limits.js';
export type { CostLimit, TokenLimits } from './evaluators/limits.js';
export { toolCalled, toolNotCalled } from './evaluators/tool-calls.js';
export type { ToolCalledOptions } from './evaluators/tool-calls.js';
export { DEFAULT_VERDICT, llmJudge } from './evaluators/llm-judge.js';
export type { LlmJudgeOptions } from './evaluators/llm-judge.js';
export { hasMatchingSpan } from './evaluators/matching-span.js';
export type { SpanQuery } from './evaluators/matching-span.js';
export type { EvaluatorOptions } from './evaluators/options.js';
export { evaluatorFromSpec } from './evaluator-from-spec.js';
export { applyEvaluators, runPassed } from './apply-evaluators.js';
export { startSpanCapture } from './span-capture.js';
export type { SpanCapture } from './span-capture.js';

// runner
export { evaluateDataset, runEvals } from './run-evals.js';
export type { EvalTarget, RunEvalsOptions } from './run-evals.js';
export type { EvalProgress } from './eval-progress.js';
export { compareReports } from './compare-reports.js';
export type { CompareOptions } from './compare-reports.js';
export { EvalReportError, readEvalReport } from './read-eval-report.js';
export { isTransportError } from './transport-errors.js';
