/**
 * The "call tools" step: read a model response, find the final output if it holds one, run the
 * function tools it calls, and build the next request (tool returns and retry prompts).
 *
 * Rules, as in the reference (PydanticAI 2.x):
 * - End strategies, for a response that calls output tools and function tools:
 *   - `graceful` (the default): the calls are handled in the order the model made them. Output
 *     tool calls are read one at a time, the function tools called before one having run (those
 *     between two output tool calls run concurrently); the first valid output is the final output,
 *     later output tool calls are not read ("Output tool not used"); function tools called after
 *     it still run.
 *   - `exhaustive`: every call runs at once, output tool calls included (each is read and its
 *     output validators run); the first valid output in call order is the final output, the other
 *     valid ones are answered "Output tool processed, but ...".
 *   - `early`: output tool calls are read first; once one is valid, the function tools (and
 *     unknown tools) are not run ("Tool not executed"); when none is, they run. A valid native or
 *     prompted output given as text beside function tool calls ends the run the same way.
 *   Under `graceful` and `exhaustive`, a function tool that asks for a retry (arguments that fail
 *   its schema, a ModelRetry) sets the output aside: the model addresses the retry first.
 * - Anything the model got wrong (malformed JSON, arguments or output that fail their schema, an
 *   unknown tool, a handler or output validator throwing ModelRetry) goes back as a retry prompt,
 *   within the tool's or the output's retry budget; past it, UnexpectedModelBehavior carries the
 *   offending response. A handler never sees arguments that fail its schema.
 * - Tool calls run concurrently; their returns keep the order of the calls. Only calls whose
 *   handler returned count as tool calls (usage and the `toolCalls` limit); the limit is checked
 *   before a response's function tools run, for all of them at once.
 */
import { ModelRetry, UnexpectedModelBehavior } from '../contract/errors.js';
import { detailsText, responseText, toolCalls, type ModelResponse, type RequestPart, type RetryDetail, type ToolCallPart } from '../contract/messages.js';
import type { OutputReading } from '../agent/output.js';
import { checkToolCalls } from '../agent/usage.js';
import { takeParsedArgs } from './parsed-args.js';
import {
  countToolRetries,
  retryPart,
  runConcurrently,
  runTool,
  toolReturn,
  unknownTool,
  type CallPreset,
  type Deferral,
  type Emit,
  type ToolOutcome,
} from './run-tool.js';
import { DeferredToolRequests } from '../agent/deferred.js';
import type { RuntimeTool } from '../agent/tools.js';
import { runContext, type RunSetup, type RunState } from './setup.js';

/**
 * What a response leads to: the end of the run, another request, or a pause at deferred calls
 * (`parts` then answers the calls that did run, in call order; the deferred ones are answered when
 * the run resumes).
 */
export type StepOutcome =
  | { kind: 'end'; output: unknown; outputToolCall?: ToolCallPart; parts: RequestPart[] }
  | { kind: 'continue'; parts: RequestPart[] }
  | { kind: 'deferred'; requests: DeferredToolRequests; parts: RequestPart[] };

const FINAL_PROCESSED = 'Final result processed.';
const OUTPUT_NOT_USED = 'Output tool not used - a final result was already processed.';
const OUTPUT_NOT_FINAL = 'Output tool processed, but its value will not be the final result of the agent run.';
const TOOL_NOT_EXECUTED = 'Tool not executed - a final result was already processed.';
const RETRY_FIRST = 'Output not used as the final result - addressing tool retries from this round first.';

/**
 * Processes one model response. `presets` answer some of its calls already (a resumed run: the
 * calls that ran before it paused, and the caller's decisions and results).
 */
export async function callTools(
  setup: RunSetup,
  state: RunState,
  response: ModelResponse,
  emit?: Emit,
  presets?: ReadonlyMap<string, CallPreset>,
): Promise<StepOutcome> {
  const calls = toolCalls(response);
  if (calls.length === 0) return textOutcome(setup, state, response, emit);
  if (setup.endStrategy === 'early' && !presets) {
    const ended = await textBesideTools(setup, state, response, calls, emit);
    if (ended) return ended;
  }
  return new ToolStep(setup, state, response, calls, emit, presets).run();
}

/**
 * `early` only: a native or prompted output given as text beside function tool calls, when it is
 * valid, is the final output and the tools are not run. Text that is not a valid output is no
 * retry: the tools run, and that is the correction. (Plain text never ends a run this way: the
 * model is not told its text would be final.)
 */
async function textBesideTools(
  setup: RunSetup,
  state: RunState,
  response: ModelResponse,
  calls: readonly ToolCallPart[],
  emit: Emit | undefined,
): Promise<StepOutcome | undefined> {
  // As in the reference, text does not override a call that always waits for a person or for the
  // caller: the run stops at it instead (a conditional approval is only known once its call is read).
  if (calls.some((call) => deferredAlways(setup.tools.get(call.toolName)))) return undefined;
  const text = responseText(response);
  const reading = text === '' ? undefined : setup.output.readStructuredText(text);
  if (!reading?.ok) return undefined;
  const validated = await validatedOutput(setup, state, reading, undefined);
  if (!validated.ok) return undefined;
  emit?.({ kind: 'final-result' });
  return { kind: 'end', output: validated.value, parts: calls.map((call) => toolReturn(call, TOOL_NOT_EXECUTED)) };
}

/** A tool whose every call is deferred: it always needs approval, or the caller runs it. */
function deferredAlways(tool: RuntimeTool | undefined): boolean {
  return tool !== undefined && (tool.external === true || tool.approval === true);
}

/** How a call is handled; `answered`: a resumed run's call that was answered before it paused. */
type CallKind = 'output' | 'function' | 'unknown' | 'answered';

/** One response's tool calls, handled by the agent's end strategy. */
class ToolStep {
  /** The part answering each call, by the call's index. */
  private readonly parts: (RequestPart | undefined)[];
  private readonly kinds: CallKind[];
  /** The final output and the index of its call. */
  private final: { value: unknown; index: number } | undefined;
  /** An output tool call was invalid, or an unknown tool was called. */
  private outputFailed = false;
  private outputRetryCounted = false;
  /** The first invalid output of the step: why it was refused, and by which output tool. */
  private outputFailure: { reason: string | RetryDetail[]; toolName: string } | undefined;
  /** A function tool asked for a retry. */
  private toolRetried = false;
  /** The function tool calls that ran, and what each gave. */
  private readonly ran: { call: ToolCallPart; outcome: ToolOutcome }[] = [];
  /** The calls deferred in this step, by index. */
  private readonly deferred: { index: number; deferral: Deferral }[] = [];

  constructor(
    private readonly setup: RunSetup,
    private readonly state: RunState,
    private readonly response: ModelResponse,
    private readonly calls: readonly ToolCallPart[],
    private readonly emit: Emit | undefined,
    private readonly presets: ReadonlyMap<string, CallPreset> | undefined,
  ) {
    this.parts = calls.map((call) => {
      const preset = presets?.get(call.toolCallId);
      return preset?.kind === 'answered' ? preset.part : undefined;
    });
    this.kinds = calls.map((call, i) =>
      this.parts[i] !== undefined
        ? 'answered'
        : setup.output.isOutputTool(call.toolName)
          ? 'output'
          : // A resumed call is known when the tool is: the step that offered it was before the pause.
            setup.tools.has(call.toolName) && (state.offeredTools.has(call.toolName) || presets !== undefined)
            ? 'function'
            : 'unknown',
    );
  }

  async run(): Promise<StepOutcome> {
    await this.byStrategy();
    const validOutput = this.final !== undefined;
    // A function tool's retry comes first: the model addresses it, then gives its output again.
    if (this.final && this.toolRetried) {
      this.parts[this.final.index] = toolReturn(this.calls[this.final.index]!, RETRY_FIRST);
      this.final = undefined;
    }
    // One output retry per response, however many calls failed, and none when an output was valid.
    if (this.outputFailed && !validOutput) this.countOutputRetry();
    countToolRetries(
      this.setup,
      this.state,
      this.ran.map((r) => r.call),
      this.ran.map((r) => r.outcome),
      this.response,
    );
    if (this.deferred.length > 0) {
      // A final output ends the run: the deferred calls are not run (as under `early`).
      if (this.final) for (const { index } of this.deferred) this.parts[index] = toolReturn(this.calls[index]!, TOOL_NOT_EXECUTED);
      else return this.pause();
    }
    const parts = this.parts as RequestPart[];
    if (!this.final) return { kind: 'continue', parts };
    const call = this.calls[this.final.index]!;
    this.emit?.({ kind: 'final-result', toolName: call.toolName, toolCallId: call.toolCallId });
    return { kind: 'end', output: this.final.value, outputToolCall: call, parts };
  }

  /** The run stops at the deferred calls; the answers it has so far are kept for the resume. */
  private pause(): StepOutcome {
    // A resume matches each answer to its call by id (as the reference does, refuse ambiguous ids):
    // with two calls of one id, one approval would run both, or a call's answer would answer another.
    const ids = this.calls.map((c) => c.toolCallId);
    const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
    if (repeated.length > 0)
      throw new UnexpectedModelBehavior(
        `the run cannot pause at deferred tool calls: tool call ids must be unique, and the response repeats ${repeated.map((id) => JSON.stringify(id)).join(', ')}`,
        { response: this.response },
      );
    const approvals = this.deferred.filter((d) => d.deferral.kind === 'approval').map((d) => d.deferral.call);
    const calls = this.deferred.filter((d) => d.deferral.kind === 'call').map((d) => d.deferral.call);
    const requests = new DeferredToolRequests(approvals, calls);
    this.emit?.({ kind: 'deferred-tool-requests', requests });
    return { kind: 'deferred', requests, parts: this.parts.filter((p): p is RequestPart => p !== undefined) };
  }

  /** Answers every call as the end strategy says. */
  private async byStrategy(): Promise<void> {
    const indices = (kind: CallKind) => this.calls.flatMap((_, i) => (this.kinds[i] === kind ? [i] : []));
    const functions = indices('function');
    switch (this.setup.endStrategy) {
      case 'early': {
        for (const i of indices('output')) await this.output(i);
        if (this.final) {
          for (const [i, kind] of this.kinds.entries())
            if (kind !== 'output' && kind !== 'answered') this.parts[i] = toolReturn(this.calls[i]!, TOOL_NOT_EXECUTED);
          return;
        }
        // No valid output: the tools run (so the model can correct itself), once the output retry
        // is counted (past the budget, the run stops before any tool runs).
        for (const i of indices('unknown')) this.answerUnknown(i);
        if (this.outputFailed) this.countOutputRetry();
        this.checkToolCallLimit(functions.length);
        await this.runFunctions(functions);
        return;
      }
      case 'graceful': {
        this.checkToolCallLimit(functions.length);
        // In call order: the function tools called before an output tool run before it is read.
        let pending: number[] = [];
        for (const [i, kind] of this.kinds.entries()) {
          if (kind === 'function') pending.push(i);
          else if (kind === 'unknown') this.answerUnknown(i);
          else if (kind === 'output') {
            await this.runFunctions(pending);
            pending = [];
            await this.output(i);
          }
        }
        await this.runFunctions(pending);
        return;
      }
      case 'exhaustive': {
        this.checkToolCallLimit(functions.length);
        for (const i of indices('unknown')) this.answerUnknown(i);
        const outputs = indices('output');
        // Everything at once; every call finishes before an error is raised.
        const [readings, ran] = await Promise.allSettled([Promise.allSettled(outputs.map((i) => this.readOutput(i))), this.runFunctions(functions)]);
        if (ran.status === 'rejected') throw ran.reason;
        const settled = (readings as PromiseFulfilledResult<PromiseSettledResult<OutputReading>[]>).value;
        const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
        if (failure) throw failure.reason;
        // The first valid output in call order wins.
        outputs.forEach((i, k) => this.settleOutput(i, (settled[k] as PromiseFulfilledResult<OutputReading>).value));
        return;
      }
    }
  }

  /** An output tool call in `early` and `graceful`: read, unless a final output came first. */
  private async output(i: number): Promise<void> {
    if (this.final) this.parts[i] = toolReturn(this.calls[i]!, OUTPUT_NOT_USED);
    else this.settleOutput(i, await this.readOutput(i));
  }

  /** Reads an output tool call (its schema, then the output validators). */
  private async readOutput(i: number): Promise<OutputReading> {
    const call = this.calls[i]!;
    // Arguments the incremental parser read whole while they streamed are not parsed again.
    const read = this.setup.output.readToolCall(call, takeParsedArgs(call));
    return this.setup.outputValidators.length === 0 ? read : validatedOutput(this.setup, this.state, read, call);
  }

  /** Answers an output tool call that was read: the final output, another valid one, or a retry. */
  private settleOutput(i: number, reading: OutputReading): void {
    const call = this.calls[i]!;
    if (!reading.ok) {
      this.parts[i] = retryPart(reading.retry, call);
      // What a trace records if the retry is counted (not when another call's output ends the run).
      this.outputFailure ??= { reason: reading.retry, toolName: call.toolName };
      this.outputFailed = true;
    } else if (this.final) {
      this.parts[i] = toolReturn(call, OUTPUT_NOT_FINAL);
    } else {
      this.final = { value: reading.value, index: i };
      this.parts[i] = toolReturn(call, FINAL_PROCESSED);
    }
  }

  /** Before function tools run: would they exceed the tool call limit, were they all to succeed? */
  private checkToolCallLimit(count: number): void {
    if (count > 0) checkToolCalls(this.state.usage, this.setup.limits, count);
  }

  /** Runs function tool calls concurrently. */
  private async runFunctions(indices: readonly number[]): Promise<void> {
    if (indices.length === 0) return;
    const run = (i: number) => runTool(this.setup, this.state, this.calls[i]!, this.emit, this.presets?.get(this.calls[i]!.toolCallId));
    const outcomes = indices.length === 1 ? [await run(indices[0]!)] : await runConcurrently(indices.map((i) => () => run(i)));
    outcomes.forEach((outcome, k) => {
      const i = indices[k]!;
      if (outcome.deferred) {
        this.deferred.push({ index: i, deferral: outcome.deferred });
        return;
      }
      this.parts[i] = outcome.part;
      this.ran.push({ call: this.calls[i]!, outcome });
      if (outcome.failed) this.toolRetried = true;
    });
  }

  private answerUnknown(i: number): void {
    const call = this.calls[i]!;
    const retry = unknownTool(this.setup, this.state, call);
    this.parts[i] = retry;
    this.emit?.({ kind: 'function-tool-result', toolName: call.toolName, toolCallId: call.toolCallId, result: retry });
    this.outputFailure ??= { reason: retry.content, toolName: call.toolName };
    this.outputFailed = true;
  }

  private countOutputRetry(): void {
    if (this.outputRetryCounted) return;
    this.outputRetryCounted = true;
    if (this.outputFailure) this.setup.trace?.outputRetry(retryText(this.outputFailure.reason), this.outputFailure.toolName);
    countOutputRetry(this.setup, this.state, this.response);
  }
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
  setup.trace?.outputRetry(retryText(retry), undefined);
  countOutputRetry(setup, state, response);
  return { kind: 'continue', parts: [retryPart(retry, undefined)] };
}

/** A retry's reason in one line, for a trace. */
function retryText(retry: string | RetryDetail[]): string {
  return typeof retry === 'string' ? retry : detailsText(retry);
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
