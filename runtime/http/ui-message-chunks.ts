/**
 * A run's events as the chunks of the Vercel AI SDK's UI message stream (protocol v1), whatever
 * carries them (ui-message-stream.ts frames them as Server-Sent Events).
 *
 * The mapping, event by event:
 * - the run: `start` (with `messageId` when given) ... `finish`; each model response is a step,
 *   `start-step` ... `finish-step`, the step's tool results included;
 * - text parts: `text-start`, `text-delta`, `text-end`; thinking: `reasoning-start`,
 *   `reasoning-delta`, `reasoning-end` (redacted thinking, opaque data, is left out);
 * - function tool calls: `tool-input-start` and `tool-input-delta` as the arguments stream,
 *   `tool-input-available` with the validated arguments when the tool is about to run
 *   (`function-tool-call`), then `tool-output-available` with its return, or `tool-output-error`
 *   with the retry prompt when the handler asked for a retry. Arguments that never got to the
 *   handler (malformed, against the schema, an unknown tool) give `tool-input-error`; a call the
 *   run never executed (a final result came first) ends as `tool-output-error` too, so that no
 *   tool part is left spinning;
 * - output tools (`final_result`, `final_result_<Member>`: names the generator reserves) are not
 *   shown as tool calls; the output itself comes as `data-output` (id `output`): partial while it
 *   streams (`partial-output` events, throttled by `partialOutputMs`), then the final value at the
 *   end, unless it is plain text, which the text parts already hold (and no partial was sent, which
 *   the client would otherwise keep);
 * - a run that stops at deferred calls (`deferred-tool-requests`): each call waiting for approval
 *   gets `tool-approval-request` (AI SDK 6: its tool part goes to `approval-requested`; the approval
 *   id is the tool call id), each call the caller runs stays at `tool-input-available` (the client
 *   runs it: `onToolCall`, then `addToolOutput`); none is settled as an error. The output, the
 *   DeferredToolRequests, is not `data-output`: it comes as `data-deferred` (id `deferred`),
 *   `{ approvals, calls }`, each call `{ toolCallId, toolName }` (their inputs are in the tool
 *   parts; a call's `metadata` stays on the server), so a client can tell a paused run from an
 *   answer without reading tool parts; a resumed run (`resumedWith`) sends it again when it pauses
 *   again, or empty when it ends (the client replaces a data part of the same id: the message
 *   waits on nothing);
 * - a resumed run (`agent.resumeStreamEvents`, streamed with `resumedWith`: the answers it was
 *   resumed with) begins with those answers, before any model response: they continue the tool
 *   parts of the message the client already shows (the AI SDK client continues its last
 *   assistant message), so only their outcome is sent, with no new step and no second
 *   `tool-input-available` (which would run a client tool again): `tool-output-available`,
 *   `tool-output-error` (an external call's `{ retry }`), or `tool-output-denied` for a denied
 *   call. Without `resumedWith` the stream is read as a new message, whose tool parts the AI SDK
 *   client would not find. Don't send a new `messageId` with a resume: the client would start
 *   another message;
 * - an error of the run: `error` with a generic text (`The run failed.`; the error is logged on the
 *   server) or the one `errorMessage` chooses, never a stack, and the stream ends.
 *
 * `tool-approval-request` and `tool-output-denied` need AI SDK 6: AI SDK 5's client rejects chunks
 * it does not know. An app on AI SDK 5 sets `approvalChunks: false`: approvals are then only in
 * `data-deferred` (their tool parts stay at `input-available`; the app shows its own buttons and
 * posts the decisions its own way), and a denied call ends as `tool-output-error` with the text
 * the model read.
 *
 * Ids are deterministic: `text-<step>-<index>` and `reasoning-<step>-<index>`, step counted from 1
 * and index the part's index in that response; tool parts use the model's tool call ids.
 */
import { detailsText, type ResponsePart, type RetryPromptPart, type ToolCallPart } from '../contract/messages.js';
import type { AgentRunEvent, FunctionToolResultEvent } from '../stream/events.js';
import { DeferredToolRequests, type DeferredCall, type DeferredToolResults } from '../agent/deferred.js';
import { OUTPUT_TOOL_NAME } from '../contract/client-history.js';
import { jsonTextOf, jsonTextTooDeep, jsonValueTooDeep } from '../stream/json-depth.js';
import { partialOutputGate } from './partial-output-gate.js';
import { errorText } from './sse.js';
import type { DeferredPartData, UIMessageChunk, UIMessageStreamOptions } from './ui-message-chunk.js';

export type { DeferredPartData, UIMessageChunk, UIMessageStreamOptions } from './ui-message-chunk.js';

/**
 * The chunks themselves, for other transports (a WebSocket, a queue). An error becomes an `error`
 * chunk (see `errorMessage`). No chunk carries the system prompt or instructions. Chunks hold the
 * run's live values (a partial `data-output`, tool inputs): serialise each as it comes, before
 * reading the next, or copy it (`structuredClone`) to queue it.
 */
export async function* uiMessageChunks(events: AsyncIterable<AgentRunEvent<unknown>>, options: UIMessageStreamOptions = {}): AsyncGenerator<UIMessageChunk> {
  const mapper = new ChunkMapper(options.approvalChunks ?? true, options.resumedWith, partialOutputGate(options.partialOutputMs));
  yield options.messageId === undefined ? { type: 'start' } : { type: 'start', messageId: options.messageId };
  try {
    for await (const event of events) yield* mapper.map(event);
  } catch (err) {
    yield { type: 'error', errorText: errorText(err, options.errorMessage) };
  }
}

/** What is known of a part of the current response. */
type PartState =
  | { kind: 'text' | 'reasoning'; id: string }
  | { kind: 'skipped' }
  /**
   * A function tool call, shown under `uiId`: at once when it starts with its name and id (as
   * adapters send them), else when it ends, complete (a name may still grow until then).
   */
  | { kind: 'tool'; uiId?: string };

/** A function tool call shown in the current step, by the model's tool call id. */
interface ShownCall {
  /** The id the UI knows the call by (the model's, unless it sent none). */
  uiId: string;
  /** The arguments as the model sent them (for `tool-input-error`). */
  args: string | object;
  inputAvailable: boolean;
  settled: boolean;
}

/** Turns run events into chunks, keeping the state the protocol needs (steps, open parts, tool calls). */
class ChunkMapper {
  private step = 0;
  private stepOpen = false;
  /** Whether the current step reached its tool calls: the next part starts a new response. */
  private toolPhase = false;
  private readonly parts = new Map<number, PartState>();
  private readonly calls = new Map<string, ShownCall>();
  private finalToolName: string | undefined;
  /** Whether the run is a resumed one. */
  private readonly resumed: boolean;
  /**
   * A resumed run, until its first model response: the events answer calls of a response the
   * client already shows, so they continue its tool parts instead of starting new ones.
   */
  private continuing: boolean;
  /** The calls a resumed run's caller denied. */
  private readonly denied: ReadonlySet<string>;
  /** What `data-deferred` says at the end of a run that paused. */
  private deferred: DeferredPartData | undefined;
  /** A partial output went out as `data-output`: the client holds it until the final value replaces it. */
  private partialSent = false;

  constructor(
    private readonly approvalChunks: boolean,
    resumedWith: DeferredToolResults | undefined,
    /** Whether a partial output may be sent now (the throttle). */
    private readonly partialOutputDue: () => boolean,
  ) {
    this.resumed = this.continuing = resumedWith !== undefined;
    this.denied = deniedIds(resumedWith);
  }

  /** The chunks of one event (none for kinds this version does not know). */
  map(event: AgentRunEvent<unknown>): UIMessageChunk[] {
    const out: UIMessageChunk[] = [];
    switch (event.kind) {
      case 'part-start':
        if (this.continuing) this.calls.clear();
        this.continuing = false;
        // Indexes restart with each response: a known index, or tool activity, means a new one.
        if (!this.stepOpen || this.toolPhase || this.parts.has(event.index)) this.newStep(out);
        this.partStart(event.index, event.part, out);
        break;
      case 'part-delta':
        this.partDelta(event, out);
        break;
      case 'part-end':
        this.partEnd(event.index, event.part, out);
        break;
      case 'function-tool-call':
        this.enterToolPhase(out);
        this.inputAvailable(event.part, event.args, out);
        break;
      case 'function-tool-result':
        this.enterToolPhase(out);
        this.toolResult(event, out);
        break;
      case 'partial-output':
        if (this.partialOutputDue()) {
          out.push({ type: 'data-output', id: 'output', data: event.output });
          this.partialSent = true;
        }
        break;
      case 'final-result':
        this.enterToolPhase(out);
        this.finalToolName = event.toolName;
        break;
      case 'deferred-tool-requests':
        this.enterToolPhase(out);
        this.deferredRequests(event.requests, out);
        break;
      case 'run-result': {
        this.closeStep(out, 'Tool not executed - a final result was already processed.');
        const output = event.result.output;
        if (DeferredToolRequests.isInstance(output)) {
          // A paused run: what it waits on, not an answer (see the module comment).
          if (this.deferred) out.push({ type: 'data-deferred', id: 'deferred', data: this.deferred });
          out.push({ type: 'finish' });
          break;
        }
        // A resumed run that ended: the message it continues waits on nothing any more.
        if (this.resumed) out.push({ type: 'data-deferred', id: 'deferred', data: { approvals: [], calls: [] } });
        // Text output is in the text parts already; structured output (or text from an output tool) is data.
        // So is any output once a partial was sent: a string member of a native or prompted output,
        // or text after an output call the run turned down; else the client would keep that partial.
        if (typeof output !== 'string' || this.finalToolName !== undefined || this.partialSent) out.push({ type: 'data-output', id: 'output', data: output });
        out.push({ type: 'finish' });
        break;
      }
      default:
        break;
    }
    return out;
  }

  private partStart(index: number, part: ResponsePart, out: UIMessageChunk[]): void {
    switch (part.kind) {
      case 'text':
      case 'thinking': {
        if (part.kind === 'thinking' && part.redacted) {
          this.parts.set(index, { kind: 'skipped' });
          return;
        }
        const kind = part.kind === 'text' ? 'text' : 'reasoning';
        const id = `${kind}-${this.step}-${index}`;
        this.parts.set(index, { kind, id });
        out.push({ type: `${kind}-start`, id });
        if (part.content !== '') out.push({ type: `${kind}-delta`, id, delta: part.content });
        return;
      }
      case 'tool-call': {
        if (OUTPUT_TOOL_NAME.test(part.toolName)) {
          this.parts.set(index, { kind: 'skipped' });
          return;
        }
        const known = part.toolName !== '' && part.toolCallId !== '';
        if (known) this.show(part.toolCallId, part.toolName, argsText(part), out);
        this.parts.set(index, known ? { kind: 'tool', uiId: part.toolCallId } : { kind: 'tool' });
        return;
      }
    }
  }

  private partDelta(event: Extract<AgentRunEvent<unknown>, { kind: 'part-delta' }>, out: UIMessageChunk[]): void {
    const state = this.parts.get(event.index);
    if (!state || state.kind === 'skipped') return;
    const delta = event.delta;
    if ((delta.kind === 'text' || delta.kind === 'thinking') && state.kind !== 'tool') {
      if (delta.content) out.push({ type: `${state.kind}-delta`, id: state.id, delta: delta.content });
    } else if (delta.kind === 'tool-call' && state.kind === 'tool' && state.uiId !== undefined && delta.argsDelta) {
      out.push({ type: 'tool-input-delta', toolCallId: state.uiId, inputTextDelta: delta.argsDelta });
    }
  }

  private partEnd(index: number, part: ResponsePart, out: UIMessageChunk[]): void {
    const state = this.parts.get(index);
    if (!state || state.kind === 'skipped') return;
    if (state.kind !== 'tool') {
      out.push({ type: `${state.kind}-end`, id: state.id });
      return;
    }
    if (part.kind !== 'tool-call') return;
    // Name or id came after the start (or the id never came): the call is shown now, complete.
    if (state.uiId === undefined && OUTPUT_TOOL_NAME.test(part.toolName)) return;
    let uiId = state.uiId;
    if (uiId === undefined) {
      uiId = part.toolCallId || this.fallbackId(index);
      this.show(uiId, part.toolName, argsText(part), out);
    }
    this.calls.set(part.toolCallId, { uiId, args: part.args, inputAvailable: false, settled: false });
  }

  /** Starts a tool part in the UI under `uiId`, with the arguments so far (JSON text). */
  private show(uiId: string, toolName: string, text: string, out: UIMessageChunk[]): void {
    out.push({ type: 'tool-input-start', toolCallId: uiId, toolName });
    if (text !== '') out.push({ type: 'tool-input-delta', toolCallId: uiId, inputTextDelta: text });
  }

  /** The UI id of a call the model sent no id for: `n` tells the step's calls apart. */
  private fallbackId(n: number): string {
    return `tool-${this.step}-${n}`;
  }

  /** The call as the UI knows it, shown now if its arguments never streamed (events of a plain request). */
  private shownCall(call: { toolName: string; toolCallId: string; args?: string | object }, out: UIMessageChunk[]): ShownCall {
    let shown = this.calls.get(call.toolCallId);
    if (!shown) {
      shown = { uiId: call.toolCallId || this.fallbackId(this.calls.size), args: call.args ?? '', inputAvailable: false, settled: false };
      this.calls.set(call.toolCallId, shown);
      // A resumed call's part is in the client's message already, its input known.
      if (this.continuing) shown.inputAvailable = true;
      // The start only: the input comes whole in tool-input-available (or tool-input-error).
      else this.show(shown.uiId, call.toolName, '', out);
    }
    return shown;
  }

  private inputAvailable(part: ToolCallPart, args: unknown, out: UIMessageChunk[]): void {
    const call = this.shownCall(part, out);
    if (this.continuing) return;
    call.inputAvailable = true;
    out.push({ type: 'tool-input-available', toolCallId: call.uiId, toolName: part.toolName, input: args });
  }

  private toolResult(event: FunctionToolResultEvent, out: UIMessageChunk[]): void {
    const call = this.shownCall(event, out);
    call.settled = true;
    const result = event.result;
    if (this.continuing && this.denied.has(event.toolCallId) && result.kind === 'tool-return') {
      // The caller denied it: AI SDK 6 has a state for that; AI SDK 5 shows the denial as an error.
      if (this.approvalChunks) out.push({ type: 'tool-output-denied', toolCallId: call.uiId });
      else out.push({ type: 'tool-output-error', toolCallId: call.uiId, errorText: textOf(result.content) });
    } else if (result.kind === 'tool-return') out.push({ type: 'tool-output-available', toolCallId: call.uiId, output: result.content });
    else if (call.inputAvailable) out.push({ type: 'tool-output-error', toolCallId: call.uiId, errorText: retryText(result) });
    // The arguments never reached the handler: the input itself was wrong.
    else out.push({ type: 'tool-input-error', toolCallId: call.uiId, toolName: event.toolName, input: parsedArgs(call.args), errorText: retryText(result) });
  }

  /**
   * The calls the run stopped at: an approval request for each call waiting for one (AI SDK 6),
   * nothing more for a call the client runs (its part is at `input-available`). Both are settled:
   * neither is an error, and neither is left to the end of the step to be marked "not executed".
   */
  private deferredRequests(requests: DeferredToolRequests, out: UIMessageChunk[]): void {
    const known = ({ toolName, toolCallId }: DeferredCall) => {
      const shown = this.shownCall({ toolName, toolCallId }, out);
      shown.settled = true;
      return { toolCallId: shown.uiId, toolName };
    };
    const approvals = requests.approvals.map(known);
    const calls = requests.calls.map(known);
    if (this.approvalChunks) for (const { toolCallId } of approvals) out.push({ type: 'tool-approval-request', approvalId: toolCallId, toolCallId });
    this.deferred = { approvals, calls };
  }

  /** A resumed run's first events belong to the step the client shows: no new step for them. */
  private enterToolPhase(out: UIMessageChunk[]): void {
    if (this.continuing) return;
    if (!this.stepOpen) this.newStep(out);
    this.toolPhase = true;
  }

  private newStep(out: UIMessageChunk[]): void {
    this.closeStep(out, 'Tool not executed.');
    this.step += 1;
    this.stepOpen = true;
    out.push({ type: 'start-step' });
  }

  /** Ends the step; a tool call shown but never run is settled, so no tool part stays pending. */
  private closeStep(out: UIMessageChunk[], notExecuted: string): void {
    if (!this.stepOpen) return;
    for (const call of this.calls.values()) if (!call.settled) out.push({ type: 'tool-output-error', toolCallId: call.uiId, errorText: notExecuted });
    out.push({ type: 'finish-step' });
    this.stepOpen = false;
    this.toolPhase = false;
    this.parts.clear();
    this.calls.clear();
  }
}

/**
 * Arguments as a value when they parse, else the text the model sent; also the text when they nest
 * past MAX_JSON_DEPTH (the reason they were sent back), which the chunk's JSON.stringify could not write.
 */
function parsedArgs(args: string | object): unknown {
  if (typeof args !== 'string') return jsonValueTooDeep(args) ? jsonTextOf(args) : args;
  if (jsonTextTooDeep(args)) return args;
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

/** A call's arguments as JSON text, at any depth. */
function argsText(part: ToolCallPart): string {
  return typeof part.args === 'string' ? part.args : jsonTextOf(part.args);
}

/** The ids of the calls a resume's answers deny. */
function deniedIds(results: DeferredToolResults | undefined): Set<string> {
  const denied = new Set<string>();
  for (const [id, decision] of Object.entries(results?.approvals ?? {}))
    if (decision === false || (typeof decision === 'object' && decision !== null && decision.approved === false)) denied.add(id);
  return denied;
}

/** A tool return's content as text (a denial is a string). */
function textOf(content: unknown): string {
  return typeof content === 'string' ? content : jsonTextOf(content);
}

/** What a retry prompt told the model, as one line. */
function retryText(part: RetryPromptPart): string {
  if (typeof part.content === 'string') return part.content;
  return detailsText(part.content);
}
