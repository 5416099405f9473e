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
 *   shown as tool calls; the output itself comes at the end as `data-output` (id `output`), unless
 *   it is plain text, which the text parts already hold;
 * - an error of the run: `error` with a generic text (`The run failed.`; the error is logged on the
 *   server) or the one `errorMessage` chooses, never a stack, and the stream ends.
 *
 * Ids are deterministic: `text-<step>-<index>` and `reasoning-<step>-<index>`, step counted from 1
 * and index the part's index in that response; tool parts use the model's tool call ids.
 */
import { detailsText, type ResponsePart, type RetryPromptPart, type ToolCallPart } from '../contract/messages.js';
import type { AgentRunEvent, FunctionToolResultEvent } from '../stream/events.js';
import { OUTPUT_TOOL_NAME } from '../contract/client-history.js';
import { jsonTextOf, jsonTextTooDeep, jsonValueTooDeep } from '../stream/json-depth.js';
import { errorText } from './sse.js';

/** A chunk of the UI message stream (the part of the protocol a run produces). */
export type UIMessageChunk =
  | { type: 'start'; messageId?: string }
  | { type: 'start-step' }
  | { type: 'finish-step' }
  | { type: 'finish' }
  | { type: 'error'; errorText: string }
  | { type: 'text-start' | 'text-end' | 'reasoning-start' | 'reasoning-end'; id: string }
  | { type: 'text-delta' | 'reasoning-delta'; id: string; delta: string }
  | { type: 'tool-input-start'; toolCallId: string; toolName: string }
  | { type: 'tool-input-delta'; toolCallId: string; inputTextDelta: string }
  | { type: 'tool-input-available'; toolCallId: string; toolName: string; input: unknown }
  | { type: 'tool-input-error'; toolCallId: string; toolName: string; input: unknown; errorText: string }
  | { type: 'tool-output-available'; toolCallId: string; output: unknown }
  | { type: 'tool-output-error'; toolCallId: string; errorText: string }
  | { type: `data-${string}`; id?: string; data: unknown };

/** Options of the UI message stream. */
export interface UIMessageStreamOptions {
  /** The id of the assistant message (sent in `start`); without it the client makes one. */
  messageId?: string;
  /**
   * Called with an error of the run; what it returns is the text of the `error` chunk. By default
   * the chunk says `The run failed.` and the error is logged (`console.error`): a provider's error
   * can name accounts, keys or internals, so its text stays on the server (as the AI SDK's own
   * servers send 'An error occurred.'). Given, it replaces both: log the error here, and return the
   * text a client may see.
   */
  errorMessage?: (error: unknown) => string;
}

/**
 * The chunks themselves, for other transports (a WebSocket, a queue). An error becomes an `error`
 * chunk (see `errorMessage`). No chunk carries the system prompt or instructions.
 */
export async function* uiMessageChunks(events: AsyncIterable<AgentRunEvent<unknown>>, options: UIMessageStreamOptions = {}): AsyncGenerator<UIMessageChunk> {
  const mapper = new ChunkMapper();
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

  /** The chunks of one event (none for kinds this version does not know). */
  map(event: AgentRunEvent<unknown>): UIMessageChunk[] {
    const out: UIMessageChunk[] = [];
    switch (event.kind) {
      case 'part-start':
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
      case 'final-result':
        this.enterToolPhase(out);
        this.finalToolName = event.toolName;
        break;
      case 'run-result': {
        this.closeStep(out, 'Tool not executed - a final result was already processed.');
        const output = event.result.output;
        // Text output is in the text parts already; structured output (or text from an output tool) is data.
        if (typeof output !== 'string' || this.finalToolName !== undefined) out.push({ type: 'data-output', id: 'output', data: output });
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
      // The start only: the input comes whole in tool-input-available (or tool-input-error).
      this.show(shown.uiId, call.toolName, '', out);
    }
    return shown;
  }

  private inputAvailable(part: ToolCallPart, args: unknown, out: UIMessageChunk[]): void {
    const call = this.shownCall(part, out);
    call.inputAvailable = true;
    out.push({ type: 'tool-input-available', toolCallId: call.uiId, toolName: part.toolName, input: args });
  }

  private toolResult(event: FunctionToolResultEvent, out: UIMessageChunk[]): void {
    const call = this.shownCall(event, out);
    call.settled = true;
    const result = event.result;
    if (result.kind === 'tool-return') out.push({ type: 'tool-output-available', toolCallId: call.uiId, output: result.content });
    else if (call.inputAvailable) out.push({ type: 'tool-output-error', toolCallId: call.uiId, errorText: retryText(result) });
    // The arguments never reached the handler: the input itself was wrong.
    else out.push({ type: 'tool-input-error', toolCallId: call.uiId, toolName: event.toolName, input: parsedArgs(call.args), errorText: retryText(result) });
  }

  private enterToolPhase(out: UIMessageChunk[]): void {
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

/** What a retry prompt told the model, as one line. */
function retryText(part: RetryPromptPart): string {
  if (typeof part.content === 'string') return part.content;
  return detailsText(part.content);
}
