/**
 * What tools, instruction functions and output validators receive about the run in progress.
 */
import type { ModelMessage, UserContent } from '../contract/messages.js';
import type { Model } from '../contract/model.js';
import type { UsageLimits } from '../contract/spec.js';
import type { Usage } from './usage.js';

/** The run as a tool handler, instruction function or output validator sees it. */
export interface RunContext<Deps, Context> {
  /** The dependencies passed to `run` (a database, an HTTP client...). */
  readonly deps: Deps;
  /** The context passed to `run` (it fills the instructions' placeholders). */
  readonly context: Context;
  /** Usage so far, shared with delegated runs. */
  readonly usage: Usage;
  /** The limits of the run, the default request limit of 50 included (delegated runs inherit them). */
  readonly usageLimits?: UsageLimits;
  /** How many times the current tool (or the output) has been retried so far. */
  readonly retry: number;
  /** The messages of the conversation so far. */
  readonly messages: readonly ModelMessage[];
  /** The model of the run. */
  readonly model: Model;
  /** The user prompt of the run. */
  readonly prompt: string | readonly UserContent[];
  /** The tool being called, in a tool handler or a prepare hook. */
  readonly toolName?: string;
  /** The id of the tool call being handled. */
  readonly toolCallId?: string;
  /** True in a handler called after a person approved this call (see ApprovalRequired). */
  readonly toolCallApproved?: boolean;
  /**
   * The run's id, when it has one (a durable run's workflow id, or the `runId` run option): with
   * `toolCallId`, a key that stays the same when a crashed run is recovered, for idempotent side effects.
   */
  readonly runId?: string;
  /** Which model request of the run this is (1 for the first). */
  readonly runStep: number;
  /** Aborts the run when signalled; pass it on to your own I/O. */
  readonly signal?: AbortSignal;
}
