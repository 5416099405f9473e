/**
 * What one run works with (fixed when it starts) and what it changes as it goes.
 */
import type { Instruction, SystemPrompt } from '../agent/instructions.js';
import type { ModelMessage, UserContent } from '../contract/messages.js';
import type { Model, ToolDefinition } from '../contract/model.js';
import type { OutputHandler } from '../agent/output.js';
import type { RunContext } from '../agent/run-context.js';
import type { EndStrategy, ModelSettings, UsageLimits } from '../contract/spec.js';
import type { RuntimeTool } from '../agent/tools.js';
import type { ToolsetSession } from '../agent/toolset.js';
import type { Usage } from '../agent/usage.js';
import { inTraceNode, outsideTrace } from '../telemetry/active-trace.js';
import type { RunTrace } from '../telemetry/trace-hooks.js';
import type { DurableSteps } from './durable-steps.js';
import type { DeferredToolResults } from '../agent/deferred.js';

/** Checks (and may transform) an output; may throw ModelRetry to ask the model again. */
export type OutputValidator<Deps, Context, Output> = (ctx: RunContext<Deps, Context>, output: Output) => Output | Promise<Output>;

/** Hides or changes tool definitions for one step (all function tools at once). */
export type PrepareTools<Deps, Context> = (ctx: RunContext<Deps, Context>, tools: ToolDefinition[]) => ToolDefinition[] | Promise<ToolDefinition[]>;

/** A user prompt: text, or text with images and documents. */
export type UserPrompt = string | readonly UserContent[];

/** Everything fixed for the duration of a run. */
export interface RunSetup {
  agentName: string;
  model: Model;
  settings: ModelSettings | undefined;
  limits: UsageLimits | undefined;
  /** Function tools and delegates, by model-facing name. */
  tools: Map<string, RuntimeTool>;
  output: OutputHandler;
  outputValidators: readonly OutputValidator<unknown, unknown, unknown>[];
  maxOutputRetries: number;
  endStrategy: EndStrategy;
  /** Rendered for every request, recorded on it (`ModelRequest.instructions`). */
  instructions: readonly Instruction<unknown, unknown>[];
  /** Stored as system-prompt parts at the start of a new conversation. */
  systemPrompts: readonly SystemPrompt<unknown, unknown>[];
  prepareTools: PrepareTools<unknown, unknown> | undefined;
  deps: unknown;
  context: unknown;
  prompt: UserPrompt;
  signal: AbortSignal | undefined;
  /** The run's trace, when it is traced (absent: nothing is recorded, and nothing paid). */
  trace?: RunTrace;
  /** Untraced, but started inside a traced span: its steps run outside that span (see outsideTrace). */
  detached?: boolean;
  /**
   * The run's toolset sessions, and the tools the run had before them (the definition's, delegates,
   * hand-written): `tools` is rebuilt from both when a session's tools change.
   */
  toolsets?: { sessions: readonly ToolsetSession[]; versions: number[]; own: ReadonlyMap<string, RuntimeTool> } | undefined;
  /** A durable engine's steps: model requests and tool calls are recorded (durable-steps.ts). */
  steps?: DurableSteps;
  /** The run's id (`ctx.runId`), when it has one. */
  runId?: string;
  /** The caller's answers to the calls the run stopped at, and a prompt to add, when it resumes (resume-step.ts). */
  resume?: { results: DeferredToolResults; prompt?: UserPrompt };
}

/** What a run changes as it goes. */
export interface RunState {
  /** The whole conversation: the history given, then this run's messages. */
  messages: ModelMessage[];
  /** Index of this run's first message. */
  newFrom: number;
  usage: Usage;
  /** Consecutive failures per tool (reset when the tool succeeds). */
  toolRetries: Map<string, number>;
  /** Invalid outputs so far. */
  outputRetries: number;
  /** Model requests made by this run. */
  runStep: number;
  /** Function tools offered in the current step (after prepare hooks): others are unknown. */
  offeredTools: ReadonlySet<string>;
}

/** The run context for instructions, tools and validators. */
export function runContext(
  setup: RunSetup,
  state: RunState,
  extra: { retry?: number; toolName?: string; toolCallId?: string; approved?: boolean } = {},
): RunContext<unknown, unknown> {
  const ctx: { -readonly [K in keyof RunContext<unknown, unknown>]: RunContext<unknown, unknown>[K] } = {
    deps: setup.deps,
    context: setup.context,
    usage: state.usage,
    retry: extra.retry ?? 0,
    messages: state.messages,
    model: setup.model,
    prompt: setup.prompt,
    runStep: state.runStep,
  };
  if (extra.toolName !== undefined) ctx.toolName = extra.toolName;
  if (extra.toolCallId !== undefined) ctx.toolCallId = extra.toolCallId;
  if (extra.approved) ctx.toolCallApproved = true;
  if (setup.runId !== undefined) ctx.runId = setup.runId;
  if (setup.signal !== undefined) ctx.signal = setup.signal;
  if (setup.limits !== undefined) ctx.usageLimits = setup.limits;
  return ctx;
}

/**
 * Whether the run's steps need a scope (see {@link inRun}): it is traced, or detached. Checked at
 * each call site before making the closure inRun takes: an untraced run makes none (each closure
 * costs an allocation, and with the bundle's kept names a property definition).
 */
export function scoped(setup: RunSetup): boolean {
  return setup.trace !== undefined || setup.detached === true;
}

/**
 * Runs `fn` (a step of the run: instructions, tool step, output validators) in the run's scope:
 * with its span in effect when it is traced, so that runs started there nest under it; outside
 * any span when it is detached. Only for a {@link scoped} run.
 */
export function inRun<T>(setup: RunSetup, fn: () => T): T {
  return setup.trace ? inTraceNode(setup.trace, fn) : outsideTrace(fn);
}
