/**
 * The events of a run, for watching it as it happens (`agent.runStreamEvents`, the `eventHandler`
 * option of `run`, `run.stream(node)` while stepping with `iter`).
 *
 * One discriminated union, on `kind`. Model events (`part-start`, `part-delta`, `part-end`)
 * follow the parts of each response as it streams, indexed like the response's parts; run events
 * say what the run does with them (`function-tool-call`, `function-tool-result`, `final-result`);
 * `runStreamEvents` ends with `run-result`.
 *
 * Events added later: new kinds may appear in minor versions, and existing kinds may gain optional
 * fields, never lose or change one. A consumer must ignore kinds it does not know (a `switch`
 * with a `default` that does nothing), so code written today keeps working.
 */
import type { ResponsePart, RetryPromptPart, ToolCallPart, ToolReturnPart } from '../contract/messages.js';
import type { RunResult } from '../agent/result.js';
import type { PartDelta } from '../contract/stream-events.js';
import type { DeferredToolRequests } from '../agent/deferred.js';

/**
 * A value still arriving: every property optional, at any depth (arrays hold partial elements).
 * A string grows as it streams; a number, boolean or null appears only once complete.
 */
export type DeepPartial<T> = T extends readonly (infer E)[] ? DeepPartial<E>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** A part of the response began (a snapshot of it as it started). */
export interface PartStartEvent {
  kind: 'part-start';
  /** The part's index in the response. */
  index: number;
  part: ResponsePart;
}

/** Text or thinking grew. */
export interface TextPartDeltaEvent {
  kind: 'part-delta';
  index: number;
  delta: Extract<PartDelta, { kind: 'text' | 'thinking' }>;
}

/**
 * The arguments of a tool call grew. `partialArgs` is what the arguments hold so far, parsed as
 * they arrive and typed by the tool (for generated agents): a live value, updated in place by
 * later deltas of the same call.
 */
export type ToolCallDeltaEvent<ToolArgs extends object> = {
  [Name in keyof ToolArgs & string]: {
    kind: 'part-delta';
    index: number;
    delta: Extract<PartDelta, { kind: 'tool-call' }>;
    toolName: Name;
    toolCallId: string;
    partialArgs: DeepPartial<ToolArgs[Name]> | undefined;
  };
}[keyof ToolArgs & string];

/** A part is complete (the part as it ended). */
export interface PartEndEvent {
  kind: 'part-end';
  index: number;
  part: ResponsePart;
}

/** A function tool is about to run, with its validated arguments. */
export type FunctionToolCallEvent<ToolArgs extends object> = {
  [Name in keyof ToolArgs & string]: { kind: 'function-tool-call'; toolName: Name; part: ToolCallPart; args: ToolArgs[Name] };
}[keyof ToolArgs & string];

/** A function tool finished: its result, or the retry prompt its call produced. */
export interface FunctionToolResultEvent {
  kind: 'function-tool-result';
  toolName: string;
  toolCallId: string;
  result: ToolReturnPart | RetryPromptPart;
}

/** The final output was read and accepted (validated, output validators run). */
export interface FinalResultEvent {
  kind: 'final-result';
  /** The output tool that carried it (tool mode), absent for text and JSON-in-text output. */
  toolName?: string;
  toolCallId?: string;
}

/**
 * The run stopped at calls that wait for a person's approval or for the caller to run them: its
 * output is these requests (each call's `function-tool-call` event came before).
 */
export interface DeferredToolRequestsEvent {
  kind: 'deferred-tool-requests';
  requests: DeferredToolRequests;
}

/**
 * The structured output as it fills in (`runStreamEvents` only, not event handlers): sent after
 * the model event that changed it, typed as the deep partial of the output. A live value, like
 * `partialArgs`: later events update it in place (serialise or copy it before reading on). A text
 * output has none (its text parts are the output as it grows); the final, validated output is in
 * `run-result`.
 */
export interface PartialOutputEvent<Output> {
  kind: 'partial-output';
  output: DeepPartial<Output>;
}

/** The last event of `runStreamEvents`: the finished run. */
export interface RunResultEvent<Output> {
  kind: 'run-result';
  result: RunResult<Output>;
}

/** An event of a run in progress. */
export type AgentStreamEvent<ToolArgs extends object = Record<string, unknown>> =
  | PartStartEvent
  | TextPartDeltaEvent
  | ToolCallDeltaEvent<ToolArgs>
  | PartEndEvent
  | FunctionToolCallEvent<ToolArgs>
  | FunctionToolResultEvent
  | FinalResultEvent
  | DeferredToolRequestsEvent;

/** What `runStreamEvents` yields: the run's events (with the partial output), then its result. */
export type AgentRunEvent<Output, ToolArgs extends object = Record<string, unknown>> =
  AgentStreamEvent<ToolArgs> | PartialOutputEvent<Exclude<Output, DeferredToolRequests>> | RunResultEvent<Output>;

/** Receives the events of a run (the `eventHandler` option); awaited before the run goes on. */
export type EventHandler<ToolArgs extends object = Record<string, unknown>> = (event: AgentStreamEvent<ToolArgs>) => void | Promise<void>;
