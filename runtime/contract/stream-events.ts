/**
 * Streaming responses as flat events: a part starts, grows by deltas, ends; a finish event closes
 * the response. One assembler turns the events into the same ModelResponse a non-streaming
 * request returns, for every adapter.
 */
import { UnexpectedModelBehavior } from './errors.js';
import type { FinishReason, ModelResponse, RequestUsage, ResponsePart } from './messages.js';
import { now } from './messages.js';
import { jsonTextOf, jsonValueTooDeep } from '../stream/json-depth.js';

/** What a delta adds to a part. */
export type PartDelta =
  | { kind: 'text'; content: string }
  | { kind: 'thinking'; content?: string; signature?: string }
  | { kind: 'tool-call'; argsDelta?: string; toolName?: string; toolCallId?: string };

/** One event of a streamed response. */
export type ModelStreamEvent =
  | { kind: 'part-start'; index: number; part: ResponsePart }
  | { kind: 'part-delta'; index: number; delta: PartDelta }
  | { kind: 'part-end'; index: number }
  | {
      kind: 'finish';
      modelName: string;
      usage: RequestUsage;
      finishReason?: FinishReason;
      providerResponseId?: string;
      providerDetails?: Record<string, unknown>;
      /** Settings the provider ignored (becomes the response's `warnings`). */
      warnings?: string[];
    };

/** Builds a ModelResponse from stream events. */
export class ResponseAssembler {
  private readonly parts = new Map<number, ResponsePart>();
  private readonly open = new Set<number>();
  private finish: Extract<ModelStreamEvent, { kind: 'finish' }> | undefined;
  private readonly timestamp = now();

  /** Applies one event. */
  apply(event: ModelStreamEvent): void {
    switch (event.kind) {
      case 'part-start': {
        const part = event.part;
        // Arguments a model of one's own sends as a value nested too deep for structuredClone's
        // recursion are kept as their text: read later, that is malformed JSON, and the model gets
        // a retry prompt instead of the run dying of a RangeError.
        const deep = part.kind === 'tool-call' && typeof part.args !== 'string' && jsonValueTooDeep(part.args);
        this.parts.set(event.index, deep ? { ...part, args: jsonTextOf(part.args) } : structuredClone(part));
        this.open.add(event.index);
        return;
      }
      case 'part-delta': {
        const part = this.parts.get(event.index);
        if (!part) throw new UnexpectedModelBehavior(`stream delta for part ${event.index} before it started`);
        applyDelta(part, event.delta);
        return;
      }
      case 'part-end':
        this.open.delete(event.index);
        return;
      case 'finish':
        this.finish = event;
        return;
    }
  }

  /** The part at `index` as it stands (live: later deltas change it). */
  part(index: number): ResponsePart | undefined {
    return this.parts.get(index);
  }

  /** The parts so far, in index order (a snapshot for streaming consumers). */
  currentParts(): ResponsePart[] {
    return [...this.parts.entries()].sort(([a], [b]) => a - b).map(([, p]) => p);
  }

  /**
   * The assembled response. A stream that ended without its finish event, or with a tool call
   * still open, is an error: a half tool call is never recorded as complete.
   */
  response(): ModelResponse {
    if (!this.finish) throw new UnexpectedModelBehavior('the model stream ended before its finish event');
    const openToolCall = [...this.open].find((i) => this.parts.get(i)?.kind === 'tool-call');
    if (openToolCall !== undefined) throw new UnexpectedModelBehavior('the model stream ended in the middle of a tool call');
    return this.build(this.finish);
  }

  /**
   * What arrived before a stream was cut short, marked interrupted: complete parts only (an open
   * tool call is dropped; open text and thinking keep what arrived).
   */
  interrupted(modelName: string): ModelResponse {
    const parts = new Map(this.parts);
    for (const i of this.open) if (parts.get(i)?.kind === 'tool-call') parts.delete(i);
    const finish = this.finish ?? { kind: 'finish' as const, modelName, usage: { inputTokens: 0, outputTokens: 0 } };
    return { ...this.build(finish, parts), interrupted: true };
  }

  private build(finish: Extract<ModelStreamEvent, { kind: 'finish' }>, parts = this.parts): ModelResponse {
    const response: ModelResponse = {
      kind: 'response',
      parts: [...parts.entries()].sort(([a], [b]) => a - b).map(([, p]) => p),
      modelName: finish.modelName,
      timestamp: this.timestamp,
      usage: finish.usage,
    };
    if (finish.finishReason !== undefined) response.finishReason = finish.finishReason;
    if (finish.providerResponseId !== undefined) response.providerResponseId = finish.providerResponseId;
    if (finish.providerDetails !== undefined) response.providerDetails = finish.providerDetails;
    if (finish.warnings !== undefined && finish.warnings.length > 0) response.warnings = finish.warnings;
    return response;
  }
}

function applyDelta(part: ResponsePart, delta: PartDelta): void {
  if (!applyDeltaIfMatching(part, delta)) throw new UnexpectedModelBehavior(`a ${delta.kind} delta cannot apply to a ${part.kind} part`);
}

/**
 * Applies a delta to a part (in place), as the assembler does: text and thinking appended, tool
 * call arguments and name appended, a call id replaced. Returns false, changing nothing, when the
 * delta is for another kind of part. Shared with the copies `StreamedRun.responses()` keeps, so
 * its snapshots grow exactly as the assembled response does.
 */
export function applyDeltaIfMatching(part: ResponsePart, delta: PartDelta): boolean {
  if (delta.kind === 'text' && part.kind === 'text') {
    part.content += delta.content;
  } else if (delta.kind === 'thinking' && part.kind === 'thinking') {
    if (delta.content) part.content += delta.content;
    if (delta.signature) part.signature = (part.signature ?? '') + delta.signature;
  } else if (delta.kind === 'tool-call' && part.kind === 'tool-call') {
    if (delta.argsDelta) part.args = (typeof part.args === 'string' ? part.args : JSON.stringify(part.args)) + delta.argsDelta;
    if (delta.toolName) part.toolName += delta.toolName;
    if (delta.toolCallId) part.toolCallId = delta.toolCallId;
  } else {
    return false;
  }
  return true;
}

/** Consumes a stream into its response ("stream then collect"). */
export async function collectStream(events: AsyncIterable<ModelStreamEvent>): Promise<ModelResponse> {
  const assembler = new ResponseAssembler();
  for await (const event of events) assembler.apply(event);
  return assembler.response();
}

/** The events that stream a complete response (for models with no native streaming). */
export function* responseEvents(response: ModelResponse): Generator<ModelStreamEvent> {
  for (const [index, part] of response.parts.entries()) {
    yield { kind: 'part-start', index, part };
    yield { kind: 'part-end', index };
  }
  const finish: Extract<ModelStreamEvent, { kind: 'finish' }> = { kind: 'finish', modelName: response.modelName, usage: response.usage };
  if (response.finishReason !== undefined) finish.finishReason = response.finishReason;
  if (response.providerResponseId !== undefined) finish.providerResponseId = response.providerResponseId;
  if (response.providerDetails !== undefined) finish.providerDetails = response.providerDetails;
  yield finish;
}
