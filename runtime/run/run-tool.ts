/**
 * Running one function tool call, and what every call of a step shares: the tool return or retry
 * prompt it becomes, the retry counts, running the calls of a step concurrently.
 */
import { ModelRetry, UnexpectedModelBehavior, UserError } from '../contract/errors.js';
import {
  now,
  toolCallArgs,
  detailsText,
  type RequestPart,
  type RetryDetail,
  type RetryPromptPart,
  type ToolCallPart,
  type ToolReturnPart,
  type ModelResponse,
} from '../contract/messages.js';
import { validationDetails } from '../agent/output.js';
import { dropOptionalNulls } from '../schema/optional-nulls.js';
import type { AgentStreamEvent } from '../stream/events.js';
import { checkModelJson } from '../stream/json-depth.js';
import { runContext, type RunSetup, type RunState } from './setup.js';
import { inTraceNode, outsideTrace } from '../telemetry/active-trace.js';
import type { ToolTrace } from '../telemetry/trace-hooks.js';
import type { RuntimeTool } from '../agent/tools.js';
import type { RunContext } from '../agent/run-context.js';
import { ApprovalRequired, CallDeferred, type ApprovalCondition, type DeferredCall } from '../agent/deferred.js';
import { durableToolCall } from './durable-steps.js';

/** Where a tool step reports what it does (streamed runs and event handlers); absent: nowhere. */
export type Emit = (event: AgentStreamEvent) => void;

/** How every retry prompt ends (the reference's RetryPromptPart.model_response()). */
const FIX_ERRORS = '\n\nFix the errors and try again.';

/**
 * Runs tool calls concurrently. Every call finishes before an error is raised, so nothing runs on
 * after the run has failed.
 */
export async function runConcurrently(runs: (() => Promise<ToolOutcome>)[]): Promise<ToolOutcome[]> {
  const settled = await Promise.allSettled(runs.map((run) => run()));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<ToolOutcome>).value);
}

/**
 * What one function tool call gave: a tool return, or a retry prompt (with why); or nothing yet,
 * because the call was deferred (it waits for approval, or for the caller to run it).
 */
export interface ToolOutcome {
  part?: RequestPart;
  failed: boolean;
  cause?: unknown;
  deferred?: Deferral;
}

/** A call the run cannot finish by itself: it waits for a decision (`approval`) or for the caller (`call`). */
export interface Deferral {
  kind: 'approval' | 'call';
  call: DeferredCall;
}

/**
 * How a resumed run answers a call of the response it stopped at: the answer it already had, a
 * decision the caller sent, or an external call's result.
 */
export type CallPreset =
  | { kind: 'answered'; part: RequestPart }
  | { kind: 'approved'; overrideArgs?: unknown }
  | { kind: 'denied'; message: string }
  | { kind: 'external'; value: unknown }
  | { kind: 'retry'; message: string };

/**
 * Updates the retry counts after a step: a tool that failed in the step (however many of its
 * calls failed) uses one retry, past its budget the run stops; a tool whose calls all succeeded
 * starts again from zero. Counting per step keeps a successful call from wiping out a failed
 * call of the same tool in the same response.
 */
export function countToolRetries(
  setup: RunSetup,
  state: RunState,
  calls: readonly ToolCallPart[],
  outcomes: readonly ToolOutcome[],
  response: ModelResponse,
): void {
  const failed = new Map<string, unknown>();
  const succeeded = new Set<string>();
  outcomes.forEach((o, k) => {
    if (o.deferred) return;
    const name = calls[k]!.toolName;
    if (o.failed) failed.set(name, failed.get(name) ?? o.cause);
    else succeeded.add(name);
  });
  for (const [name, cause] of failed) {
    const tool = setup.tools.get(name)!;
    const count = (state.toolRetries.get(name) ?? 0) + 1;
    state.toolRetries.set(name, count);
    if (count > tool.maxRetries) {
      throw new UnexpectedModelBehavior(`tool ${name} exceeded its maximum of ${tool.maxRetries} retries`, { response, cause });
    }
  }
  for (const name of succeeded) if (!failed.has(name)) state.toolRetries.delete(name);
}

/** Runs one function tool call; returns its tool return, or a retry prompt. */
export function runTool(setup: RunSetup, state: RunState, call: ToolCallPart, emit: Emit | undefined, preset?: CallPreset): Promise<ToolOutcome> {
  if (preset?.kind === 'answered') return Promise.resolve({ part: preset.part, failed: false });
  const trace = setup.trace?.tool(call, state.toolRetries.get(call.toolName) ?? 0);
  return trace ? runTraced(setup, state, call, emit, trace, preset) : runCall(setup, state, call, emit, undefined, preset);
}

/** A tool call of a traced run: its span ends with the return, the retry prompt or the error. */
async function runTraced(
  setup: RunSetup,
  state: RunState,
  call: ToolCallPart,
  emit: Emit | undefined,
  trace: ToolTrace,
  preset: CallPreset | undefined,
): Promise<ToolOutcome> {
  let outcome: ToolOutcome;
  try {
    outcome = await runCall(setup, state, call, emit, trace, preset);
  } catch (error) {
    trace.end({ error, cancelled: setup.signal?.aborted === true });
    throw error;
  }
  const part = outcome.part;
  if (!part) trace.end({ result: { deferred: outcome.deferred!.kind } });
  else if (part.kind === 'retry-prompt')
    trace.end({ retry: typeof part.content === 'string' ? part.content : detailsText(part.content), cause: outcome.cause });
  else if (part.kind === 'tool-return') trace.end({ result: part.content });
  return outcome;
}

async function runCall(
  setup: RunSetup,
  state: RunState,
  call: ToolCallPart,
  emit: Emit | undefined,
  trace: ToolTrace | undefined,
  preset: CallPreset | undefined,
): Promise<ToolOutcome> {
  const tool = setup.tools.get(call.toolName)!;
  const failed = (retry: string | RetryDetail[], cause?: unknown): ToolOutcome => {
    const part = retryPart(retry, call);
    emit?.({ kind: 'function-tool-result', toolName: call.toolName, toolCallId: call.toolCallId, result: part });
    return { part, failed: true, cause };
  };

  let args: unknown;
  try {
    // A null for an optional property means "absent": strict-mode models must send one.
    args = dropOptionalNulls(checkModelJson(toolCallArgs(call)), tool.definition.parametersJsonSchema);
  } catch (err) {
    return failed(`The arguments are not valid JSON: ${(err as Error).message}`, err);
  }
  if (!tool.validateArgs(args)) return failed(validationDetails(tool.validateArgs));
  // Approved with other arguments: checked when the run resumed (resume-step.ts).
  if (preset?.kind === 'approved' && preset.overrideArgs !== undefined) args = preset.overrideArgs;

  emit?.({ kind: 'function-tool-call', toolName: call.toolName, part: call, args });
  if (preset && preset.kind !== 'approved' && preset.kind !== 'answered') return presetOutcome(state, call, preset, emit);
  const approved = preset?.kind === 'approved';
  const ctx = runContext(setup, state, { retry: state.toolRetries.get(call.toolName) ?? 0, toolName: call.toolName, toolCallId: call.toolCallId, approved });
  if (tool.external) return deferral('call', call, args, undefined);
  let value: unknown;
  try {
    const condition = approved || tool.approval === undefined || tool.approval === true ? undefined : tool.approval;
    if (!approved && tool.approval === true) return deferral('approval', call, args, undefined);
    // A durable run decides a condition inside the call's step (durable-steps.ts), so it is not asked here.
    if (condition && !setup.steps && (await condition(ctx, args))) return deferral('approval', call, args, undefined);
    // Traced: the handler runs inside the tool's span, so a delegate's run (or the handler's own spans) nest under it.
    value = await (trace || setup.detached ? callInScope(setup, trace, tool, call, ctx, args, condition) : stepCall(setup, tool, call, ctx, args, condition));
  } catch (err) {
    // Any other error is the handler's own: it stops the run and reaches the caller unchanged.
    if (ModelRetry.isInstance(err)) return failed(err.message, err);
    // Approved, and asking again (a second sign-off): the call waits again, as in the reference.
    if ((ApprovalRequired.isInstance(err) || CallDeferred.isInstance(err)) && tool.cannotDefer)
      throw new UserError(
        `tool ${call.toolName} (${tool.origin}) threw ${err.name}, but its agent declares no tool with approval or external, so its output type has no DeferredToolRequests: declare the tool \`approval: conditional\` in the definitions`,
        { cause: err },
      );
    if (ApprovalRequired.isInstance(err)) return deferral('approval', call, args, err.metadata);
    if (CallDeferred.isInstance(err)) return deferral('call', call, args, err.metadata);
    throw err;
  }
  // A call counts once its handler has returned (a retried or malformed call does not).
  state.usage.toolCalls += 1;
  if (tool.validateReturn && !tool.validateReturn(value)) {
    const problems = detailsText(validationDetails(tool.validateReturn));
    throw new ToolReturnError(`tool ${call.toolName} (${tool.origin}) returned a value that does not match its returns schema: ${problems}`);
  }
  const part = toolReturn(call, value === undefined ? null : value);
  emit?.({ kind: 'function-tool-result', toolName: call.toolName, toolCallId: call.toolCallId, result: part });
  return { part, failed: false };
}

/** A call the run stops at: what DeferredToolRequests lists for it. */
function deferral(kind: Deferral['kind'], call: ToolCallPart, args: unknown, metadata: unknown): ToolOutcome {
  const deferred: { -readonly [K in keyof DeferredCall]: DeferredCall[K] } = { toolName: call.toolName, toolCallId: call.toolCallId, args };
  if (metadata !== undefined) deferred.metadata = metadata;
  return { failed: false, deferred: { kind, call: deferred } };
}

/** A resumed call the caller answered: denied, or run elsewhere (its result checked when the run resumed). */
function presetOutcome(
  state: RunState,
  call: ToolCallPart,
  preset: Exclude<CallPreset, { kind: 'answered' | 'approved' }>,
  emit: Emit | undefined,
): ToolOutcome {
  let part: RequestPart;
  if (preset.kind === 'retry') part = retryPart(preset.message, call);
  else part = toolReturn(call, preset.kind === 'denied' ? preset.message : preset.value === undefined ? null : preset.value);
  if (preset.kind === 'external') state.usage.toolCalls += 1;
  emit?.({ kind: 'function-tool-result', toolName: call.toolName, toolCallId: call.toolCallId, result: part as ToolReturnPart | RetryPromptPart });
  return { part, failed: preset.kind === 'retry' };
}

/** A handler called directly, or as a step of a durable run (recorded, not repeated on recovery). */
function stepCall(
  setup: RunSetup,
  tool: RuntimeTool,
  call: ToolCallPart,
  ctx: RunContext<unknown, unknown>,
  args: unknown,
  condition: ApprovalCondition | undefined,
): Promise<unknown> {
  return setup.steps ? durableToolCall(setup.steps, tool, call, ctx, args, condition) : tool.call(ctx, args);
}

/**
 * A handler called inside its tool call's span (traced: a delegate's run, or the handler's own
 * spans, nest under it), or outside any (a detached run). Apart from runCall: a closure there
 * would cost every call.
 */
function callInScope(
  setup: RunSetup,
  trace: ToolTrace | undefined,
  tool: RuntimeTool,
  call: ToolCallPart,
  ctx: RunContext<unknown, unknown>,
  args: unknown,
  condition: ApprovalCondition | undefined,
): Promise<unknown> | unknown {
  const run = setup.steps ? () => durableToolCall(setup.steps!, tool, call, ctx, args, condition) : () => tool.call(ctx, args);
  return trace ? inTraceNode(trace, run) : outsideTrace(run);
}

/** A tool handler returned a value that breaks the tool's `returns` schema: a bug in the handler. */
export class ToolReturnError extends UserError {}

export function unknownTool(setup: RunSetup, state: RunState, call: ToolCallPart): RetryPromptPart {
  const names = [...state.offeredTools, ...setup.output.outputTools().map((t) => t.name)];
  const available = names.length > 0 ? ` Available tools: ${names.join(', ')}.` : ' No tools are available.';
  return retryPart(`Unknown tool name: ${JSON.stringify(call.toolName)}.${available}`, call);
}

export function toolReturn(call: ToolCallPart, content: unknown): ToolReturnPart {
  return { kind: 'tool-return', toolName: call.toolName, toolCallId: call.toolCallId, content, timestamp: now() };
}

/**
 * A retry prompt. A message ends as every retry prompt of the reference does, with "Fix the
 * errors and try again." (validation errors get it where they are put into words, retryPromptText).
 */
export function retryPart(content: string | RetryDetail[], call: ToolCallPart | undefined): RetryPromptPart {
  const part: RetryPromptPart = { kind: 'retry-prompt', content: typeof content === 'string' ? content + FIX_ERRORS : content, timestamp: now() };
  if (call) {
    part.toolName = call.toolName;
    part.toolCallId = call.toolCallId;
  }
  return part;
}
