/**
 * The "call tools" step: read a model response, find the final output if it holds one, run the
 * function tools it calls, and build the next request (tool returns and retry prompts).
 *
 * Rules, as in the reference:
 * - The first output tool call that validates is the final output. With end strategy `early`, the
 *   function tools of that response are not run (each gets a "not executed" return); with
 *   `exhaustive` they run too.
 * - Anything the model got wrong (malformed JSON, arguments or output that fail their schema, an
 *   unknown tool, a handler or output validator throwing ModelRetry) goes back as a retry prompt,
 *   within the tool's or the output's retry budget; past it, UnexpectedModelBehavior carries the
 *   offending response. A handler never sees arguments that fail its schema.
 * - Tool calls of one response run concurrently; their returns keep the order of the calls.
 */
import { ModelRetry, UnexpectedModelBehavior, UserError } from '../contract/errors.js';
import {
  now,
  responseText,
  toolCallArgs,
  detailsText,
  toolCalls,
  type ModelResponse,
  type RequestPart,
  type RetryDetail,
  type RetryPromptPart,
  type ToolCallPart,
  type ToolReturnPart,
} from '../contract/messages.js';
import { validationDetails, type OutputReading } from '../agent/output.js';
import { checkToolCalls } from '../agent/usage.js';
import { dropOptionalNulls } from '../schema/optional-nulls.js';
import type { AgentStreamEvent } from '../stream/events.js';
import { runContext, type RunSetup, type RunState } from './setup.js';

/** What a response leads to: the end of the run, or another request. */
export type StepOutcome = { kind: 'end'; output: unknown; outputToolCall?: ToolCallPart; parts: RequestPart[] } | { kind: 'continue'; parts: RequestPart[] };

const FINAL_PROCESSED = 'Final result processed.';
const OUTPUT_NOT_USED = 'Output tool not used - a final result was already processed.';
const TOOL_NOT_EXECUTED = 'Tool not executed - a final result was already processed.';

/** Where a tool step reports what it does (streamed runs and event handlers); absent: nowhere. */
export type Emit = (event: AgentStreamEvent) => void;

/** Processes one model response. */
export async function callTools(setup: RunSetup, state: RunState, response: ModelResponse, emit?: Emit): Promise<StepOutcome> {
  const calls = toolCalls(response);
  if (calls.length === 0) return textOutcome(setup, state, response, emit);

  const parts: (RequestPart | undefined)[] = calls.map(() => undefined);
  // An invalid output or an unknown tool costs one output retry per response, however many calls.
  let outputFailed = false;
  let final: { value: unknown; call: ToolCallPart } | undefined;
  for (const [i, call] of calls.entries()) {
    if (!setup.output.isOutputTool(call.toolName)) continue;
    const read = setup.output.readToolCall(call);
    const reading = setup.outputValidators.length === 0 ? read : await validatedOutput(setup, state, read, call);
    if (reading.ok) {
      final = { value: reading.value, call };
      emit?.({ kind: 'final-result', toolName: call.toolName, toolCallId: call.toolCallId });
      break;
    }
    parts[i] = retryPart(reading.retry, call);
    outputFailed = true;
  }

  const toRun: number[] = [];
  for (const [i, call] of calls.entries()) {
    if (parts[i]) continue;
    if (final && call === final.call) parts[i] = toolReturn(call, FINAL_PROCESSED);
    else if (setup.output.isOutputTool(call.toolName)) parts[i] = toolReturn(call, OUTPUT_NOT_USED);
    else if (!setup.tools.has(call.toolName) || !state.offeredTools.has(call.toolName)) {
      const retry = unknownTool(setup, state, call);
      parts[i] = retry;
      emit?.({ kind: 'function-tool-result', toolName: call.toolName, toolCallId: call.toolCallId, result: retry });
      outputFailed = true;
    } else if (final && setup.endStrategy === 'early') parts[i] = toolReturn(call, TOOL_NOT_EXECUTED);
    else toRun.push(i);
  }
  if (outputFailed && !final) countOutputRetry(setup, state, response);

  if (toRun.length > 0) {
    checkToolCalls(state.usage, setup.limits, toRun.length);
    state.usage.toolCalls += toRun.length;
    const outcomes =
      toRun.length === 1
        ? [await runTool(setup, state, calls[toRun[0]!]!, emit)]
        : await runConcurrently(toRun.map((i) => () => runTool(setup, state, calls[i]!, emit)));
    outcomes.forEach((o, k) => (parts[toRun[k]!] = o.part));
    countToolRetries(
      setup,
      state,
      toRun.map((i) => calls[i]!),
      outcomes,
      response,
    );
  }

  const filled = parts as RequestPart[];
  if (final) return { kind: 'end', output: final.value, outputToolCall: final.call, parts: filled };
  return { kind: 'continue', parts: filled };
}

/**
 * Runs tool calls concurrently. Every call finishes before an error is raised, so nothing runs on
 * after the run has failed.
 */
async function runConcurrently(runs: (() => Promise<ToolOutcome>)[]): Promise<ToolOutcome[]> {
  const settled = await Promise.allSettled(runs.map((run) => run()));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<ToolOutcome>).value);
}

/** A response with no tool calls: text output, JSON output, or a retry. */
async function textOutcome(setup: RunSetup, state: RunState, response: ModelResponse, emit: Emit | undefined): Promise<StepOutcome> {
  const text = responseText(response);
  let retry: string | RetryDetail[];
  if (text === '' && response.parts.every((p) => p.kind !== 'text')) {
    retry =
      setup.output.mode === 'tool' && !setup.output.allowsText
        ? 'Please call one of the output tools to give your answer.'
        : 'Please answer with text or call a tool.';
  } else if (setup.output.mode === 'tool' && !setup.output.allowsText) {
    retry = 'Plain text responses are not permitted, please include your response in a tool call.';
  } else {
    const reading = await validatedOutput(setup, state, setup.output.readText(text), undefined);
    if (reading.ok) {
      emit?.({ kind: 'final-result' });
      return { kind: 'end', output: reading.value, parts: [] };
    }
    retry = reading.retry;
  }
  countOutputRetry(setup, state, response);
  return { kind: 'continue', parts: [retryPart(retry, undefined)] };
}

/** Runs the output validators over a reading that passed its schema. */
async function validatedOutput(setup: RunSetup, state: RunState, reading: OutputReading, call: ToolCallPart | undefined): Promise<OutputReading> {
  if (!reading.ok) return reading;
  let value = reading.value;
  const extra = { retry: state.outputRetries, ...(call ? { toolName: call.toolName, toolCallId: call.toolCallId } : {}) };
  for (const validator of setup.outputValidators) {
    try {
      value = await validator(runContext(setup, state, extra), value);
    } catch (err) {
      if (ModelRetry.isInstance(err)) return { ok: false, retry: err.message };
      throw err;
    }
  }
  return { ok: true, value };
}

function countOutputRetry(setup: RunSetup, state: RunState, response: ModelResponse): void {
  state.outputRetries += 1;
  if (state.outputRetries > setup.maxOutputRetries) {
    throw new UnexpectedModelBehavior(`exceeded the maximum of ${setup.maxOutputRetries} retries for the output of agent ${setup.agentName}`, { response });
  }
}

/** What one function tool call gave: a tool return, or a retry prompt (with why). */
interface ToolOutcome {
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
function countToolRetries(setup: RunSetup, state: RunState, calls: readonly ToolCallPart[], outcomes: readonly ToolOutcome[], response: ModelResponse): void {
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
async function runTool(setup: RunSetup, state: RunState, call: ToolCallPart, emit: Emit | undefined): Promise<ToolOutcome> {
  const tool = setup.tools.get(call.toolName)!;
  const failed = (retry: string | RetryDetail[], cause?: unknown): ToolOutcome => {
    const part = retryPart(retry, call);
    emit?.({ kind: 'function-tool-result', toolName: call.toolName, toolCallId: call.toolCallId, result: part });
    return { part, failed: true, cause };
  };

  let args: unknown;
  try {
    // A null for an optional property means "absent": strict-mode models must send one.
    args = dropOptionalNulls(toolCallArgs(call), tool.definition.parametersJsonSchema);
  } catch (err) {
    return failed(`The arguments are not valid JSON: ${(err as Error).message}`, err);
  }
  if (!tool.validateArgs(args)) return failed(validationDetails(tool.validateArgs));

  emit?.({ kind: 'function-tool-call', toolName: call.toolName, part: call, args });
  let value: unknown;
  try {
    value = await tool.call(
      runContext(setup, state, { retry: state.toolRetries.get(call.toolName) ?? 0, toolName: call.toolName, toolCallId: call.toolCallId }),
      args,
    );
  } catch (err) {
    // Any other error is the handler's own: it stops the run and reaches the caller unchanged.
    if (ModelRetry.isInstance(err)) return failed(err.message, err);
    throw err;
  }
  if (tool.validateReturn && !tool.validateReturn(value)) {
    const problems = detailsText(validationDetails(tool.validateReturn));
    throw new ToolReturnError(`tool ${call.toolName} (${tool.origin}) returned a value that does not match its returns schema: ${problems}`);
  }
  const part = toolReturn(call, value === undefined ? null : value);
  emit?.({ kind: 'function-tool-result', toolName: call.toolName, toolCallId: call.toolCallId, result: part });
  return { part, failed: false };
}

/** A tool handler returned a value that breaks the tool's `returns` schema: a bug in the handler. */
export class ToolReturnError extends UserError {}

function unknownTool(setup: RunSetup, state: RunState, call: ToolCallPart): RetryPromptPart {
  const names = [...state.offeredTools, ...setup.output.outputTools().map((t) => t.name)];
  const available = names.length > 0 ? ` Available tools: ${names.join(', ')}.` : ' No tools are available.';
  return retryPart(`Unknown tool name: ${JSON.stringify(call.toolName)}.${available}`, call);
}

function toolReturn(call: ToolCallPart, content: unknown): ToolReturnPart {
  return { kind: 'tool-return', toolName: call.toolName, toolCallId: call.toolCallId, content, timestamp: now() };
}

function retryPart(content: string | RetryDetail[], call: ToolCallPart | undefined): RetryPromptPart {
  const part: RetryPromptPart = { kind: 'retry-prompt', content, timestamp: now() };
  if (call) {
    part.toolName = call.toolName;
    part.toolCallId = call.toolCallId;
  }
  return part;
}
