/**
 * A dataset of eval cases, as data: what `schemantic generate` emits from `evals/<name>.yaml`
 * (generated/evals/<name>.ts), and what TypeScript cases are written as. Typed by the agent's
 * context and output, the keys of the deps it selects and the custom evaluators it names.
 */
import type { ModelMessage } from '../contract/messages.js';
import type { JsonSchema, UsageLimits } from '../contract/spec.js';
import type { UserPrompt } from '../run/setup.js';
import type { Evaluator } from './evaluator.js';

/** One case: a prompt to run the agent on, and what to check about the run. */
export interface EvalCase<Context = unknown, Output = unknown, DepsKey extends string = string, Custom extends string = string> {
  /** Unique in its dataset; names the case in reports and baselines. */
  name: string;
  /** The user prompt of the run. */
  prompt: UserPrompt;
  /** The run's context (the agent's context schema). */
  context?: Context;
  /** Which of the binding's `deps` the run gets, by key (default: the binding's `defaultDeps`). */
  deps?: DepsKey;
  /** Earlier messages of the conversation, in the runtime's message form. */
  history?: readonly ModelMessage[];
  /** The output the run should produce (typed by the agent's output schema). */
  expected?: Output;
  /** Anything to keep beside the case (shown in reports, read by evaluators). */
  metadata?: Readonly<Record<string, unknown>>;
  /** Evaluators of this case only, run after the dataset's. */
  evaluators?: readonly EvaluatorEntry<Context, Output, Custom>[];
}

/** A dataset: the cases of one agent. */
export interface EvalDataset<Context = unknown, Output = unknown, DepsKey extends string = string, Custom extends string = string> {
  /** The dataset's name: its file's stem (`bank-support`), unique across datasets. */
  name: string;
  /** The agent it evaluates, by its definitions name (`bank_support`). */
  agent: string;
  /** The file it was generated from (`evals/bank-support.yaml`), when it was. */
  source?: string;
  /** A hash of that file's text when it was generated: `schemantic eval` refuses a stale dataset. */
  sourceHash?: string;
  /** Evaluators of every case. */
  evaluators?: readonly EvaluatorEntry<Context, Output, Custom>[];
  /** Usage limits of every run (merged over the agent's own). */
  usageLimits?: UsageLimits;
  cases: readonly EvalCase<Context, Output, DepsKey, Custom>[];
}

/** An evaluator of a case: a built-in one as data, or a function-backed one written in TypeScript. */
export type EvaluatorEntry<Context = unknown, Output = unknown, Custom extends string = string> = EvaluatorSpec<Custom> | Evaluator<Context, Output>;

/** Fields every evaluator spec may set. */
interface SpecBase {
  /** Names its results in reports (default: derived from the evaluator, as `pointer /risk`). */
  name?: string;
}

/**
 * The built-in evaluators, as data (the YAML form `- contains: refund` becomes
 * `{ evaluator: 'contains', value: 'refund' }`). Each gives an assertion (pass or fail) unless said otherwise.
 */
export type EvaluatorSpec<Custom extends string = string> =
  /** The output deep-equals the case's `expected`. */
  | (SpecBase & { evaluator: 'equalsExpected' })
  /** The output deep-equals `value`. */
  | (SpecBase & { evaluator: 'equals'; value: unknown })
  /**
   * Every property present in `value` (default: the case's `expected`) equals the output's, recursively;
   * properties the output has beyond them are ignored. Arrays compare element by element, same length.
   */
  | (SpecBase & { evaluator: 'partialEquals'; value?: unknown })
  /**
   * The value at a JSON pointer into the output: it exists (default), or equals `equals`, or fits
   * `schema`; `exists: false` asserts it is absent.
   */
  | (SpecBase & { evaluator: 'pointer'; pointer: string; equals?: unknown; schema?: JsonSchema; exists?: boolean })
  /** The output is this member of the agent's output union (its name in the definitions: `Success`). */
  | (SpecBase & { evaluator: 'isInstance'; member: string })
  /**
   * The output contains `value`: a substring of a text output (or of the JSON of a structured one),
   * or, for an object or array `value`, a subset of the output.
   */
  | (SpecBase & { evaluator: 'contains'; value: unknown; caseSensitive?: boolean })
  /** A text output (or the JSON of a structured one) matches a regular expression. */
  | (SpecBase & { evaluator: 'regex'; pattern: string; flags?: string })
  /** The run took at most this many seconds. */
  | (SpecBase & { evaluator: 'maxDuration'; seconds: number })
  /** The run used at most these tokens (each limit optional). */
  | (SpecBase & { evaluator: 'maxTokens'; total?: number; input?: number; output?: number })
  /** The run cost at most `usd`, at the given prices per million tokens (also gives the cost as a score). */
  | (SpecBase & { evaluator: 'maxCost'; usd: number; inputPerMillion: number; outputPerMillion: number })
  /**
   * The run called `tool`: at least once (or `times` between `min` and `max`), with arguments that
   * fit `args` when given (at least one call does).
   */
  | (SpecBase & { evaluator: 'toolCalled'; tool: string; args?: JsonSchema; times?: { min?: number; max?: number } })
  /** The run never called `tool`. */
  | (SpecBase & { evaluator: 'toolNotCalled'; tool: string })
  /**
   * Another model judges the output against a rubric. Its verdict has the schema `verdict`
   * (default `{ pass: boolean, score?: number 0..1, reason: string }`): `pass` becomes an
   * assertion, `score` a score, the reason is kept. `model` is its model id (default: the
   * binding's `judgeModel`, else `--judge-model`).
   */
  | (SpecBase & {
      evaluator: 'llmJudge';
      rubric: string;
      model?: string;
      verdict?: JsonSchema;
      includePrompt?: boolean;
      includeExpected?: boolean;
    })
  /**
   * A span of the run's OpenTelemetry trace matches: by `span` (its name, exact) or `spanPattern` (a regular
   * expression), with these attribute values, within `maxSeconds`; `count` bounds how many match
   * (default: at least one); `absent: true` asserts none does.
   */
  | (SpecBase & {
      evaluator: 'hasMatchingSpan';
      span?: string;
      spanPattern?: string;
      attributes?: Readonly<Record<string, string | number | boolean>>;
      maxSeconds?: number;
      count?: { min?: number; max?: number };
      absent?: boolean;
    })
  /** A custom evaluator of the binding, by name, with its arguments. */
  | (SpecBase & { evaluator: 'custom'; custom: Custom; args?: unknown });

/** The name of a built-in evaluator. */
export type EvaluatorKind = EvaluatorSpec['evaluator'];
