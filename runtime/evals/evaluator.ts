/**
 * What an evaluator is: a function of a finished run (its output, expected output, duration,
 * usage, messages, spans) giving assertions, scores or labels.
 */
import type { ModelMessage } from '../contract/messages.js';
import type { UsageSnapshot } from '../agent/usage.js';
import type { ModelLike } from '../models/registry.js';
import type { UserPrompt } from '../run/setup.js';
import type { Agent } from '../agent/agent.js';
import type { SpanNode } from './span-tree.js';

/** Everything an evaluator may read about a case and its run. */
export interface EvaluatorContext<Context = unknown, Output = unknown> {
  /** The case's name. */
  name: string;
  prompt: UserPrompt;
  context: Context | undefined;
  metadata: Readonly<Record<string, unknown>>;
  /** The case's expected output, when it has one. */
  expected: Output | undefined;
  /** The run's output. */
  output: Output;
  /** Wall time of the run, in milliseconds. */
  durationMs: number;
  usage: UsageSnapshot;
  /** Every message of the run (its history first). */
  messages: readonly ModelMessage[];
  /** Only the run's own messages (after the case's history): what tool-call assertions read. */
  newMessages: readonly ModelMessage[];
  /**
   * The run's spans, roots first, when they were captured (a dataset with span evaluators
   * captures them; needs `@opentelemetry/api` and `@opentelemetry/sdk-trace-base`).
   */
  spans: readonly SpanNode[] | undefined;
  /** The agent that ran (its spec names the output members). */
  agent: Agent<never, unknown, never>;
  /** The model an LLM judge uses when its spec names none. */
  judgeModel: ModelLike | undefined;
  /** Which repetition this is (0-based; `--repeat K` runs each case K times). */
  repeat: number;
  /** Aborted when the eval run is cancelled. */
  signal: AbortSignal;
}

/** One value an evaluator gives: an assertion (boolean), a score (number) or a label (string). */
export type EvaluationValue = boolean | number | string;

/** A value with the reason for it. */
export interface EvaluationReason {
  value: EvaluationValue;
  reason?: string;
}

/**
 * What an evaluator returns: one value (named after the evaluator), or several by name (an LLM
 * judge gives `pass` and `score`: named `<evaluator>.pass`, `<evaluator>.score`).
 */
export type EvaluatorOutput = EvaluationValue | EvaluationReason | Readonly<Record<string, EvaluationValue | EvaluationReason>>;

/** An evaluator. */
export interface Evaluator<Context = unknown, Output = unknown> {
  /** Names its results in reports; unique within a case (a repeat gets `#2`, `#3`). */
  name: string;
  /** Which kind it is (`contains`, `custom`, ...), shown in reports. */
  kind: string;
  evaluate(ctx: EvaluatorContext<Context, Output>): EvaluatorOutput | Promise<EvaluatorOutput>;
}

/** A custom evaluator of a binding: a function of the run and the arguments its spec gives. */
export type CustomEvaluator<Context = unknown, Output = unknown, Args = unknown> = (
  ctx: EvaluatorContext<Context, Output>,
  args: Args,
) => EvaluatorOutput | Promise<EvaluatorOutput>;
