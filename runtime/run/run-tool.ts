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

/** What one function tool call gave: a tool return, or a retry prompt (with why). */
export interface ToolOutcome {
  part: RequestPart;
  failed: boolean;
  cause?: unknown;
}

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
export function runTool(setup: RunSetup, state: RunState, call: ToolCallPart, emit: Emit | undefined): Promise<ToolOutcome> {
  const trace = setup.trace?.tool(call, state.toolRetries.get(call.toolName) ?? 0);
  return trace ? runTraced(setup, state, call, emit, trace) : runCall(setup, state, call, emit, undefined);
}

/** A tool call of a traced run: its span ends with the return, the retry prompt or the error. */
async function runTraced(setup: RunSetup, state: RunState, call: ToolCallPart, emit: Emit | undefined, trace: ToolTrace): Promise<ToolOutcome> {
  let outcome: ToolOutcome;
  try {
    outcome = await runCall(setup, state, call, emit, trace);
  } catch (error) {
    trace.end({ error, cancelled: setup.signal?.aborted === true });
    throw error;
  }
  const part = outcome.part;
  if (part.kind === 'retry-prompt') trace.end({ retry: typeof part.content === 'string' ? part.content : detailsText(part.content), cause: outcome.cause });
  else if (part.kind === 'tool-return') trace.end({ result: part.content });
  return outcome;
}

async function runCall(setup: RunSetup, state: RunState, call: ToolCallPart, emit: Emit | undefined, trace: ToolTrace | undefined): Promise<ToolOutcome> {
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

  emit?.({ kind: 'function-tool-call', toolName: call.toolName, part: call, args });
  let value: unknown;
  try {
    const ctx = runContext(setup, state, { retry: state.toolRetries.get(call.toolName) ?? 0, toolName: call.toolName, toolCallId: call.toolCallId });
    // Traced: the handler runs inside the tool's span, so a delegate's run (or the handler's own spans) nest under it.
    value = await (trace || setup.detached ? callInScope(trace, tool, ctx, args) : tool.call(ctx, args));
  } catch (err) {
    // Any other error is the handler's own: it stops the run and reaches the caller unchanged.
    if (ModelRetry.isInstance(err)) return failed(err.message, err);
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

/**
 * A handler called inside its tool call's span (traced: a delegate's run, or the handler's own
 * spans, nest under it), or outside any (a detached run). Apart from runCall: a closure there
 * would cost every call.
 */
function callInScope(trace: ToolTrace | undefined, tool: RuntimeTool, ctx: RunContext<unknown, unknown>, args: unknown): Promise<unknown> | unknown {
  return trace ? inTraceNode(trace, () => tool.call(ctx, args)) : outsideTrace(() => tool.call(ctx, args));
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
