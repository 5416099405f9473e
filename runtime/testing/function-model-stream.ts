/**
 * FunctionModel's streaming variant: the chunks a stream function yields (text, tool call deltas,
 * thinking) as model stream events, then the end of every part and the finish event.
 *
 * An async iterator written by hand rather than an async generator: a generator costs every chunk
 * a few promise hops more than the mapping itself, and streamed runs are benchmarked (and tested)
 * on this model, so its overhead should be what a provider adapter's is, not more. It behaves as
 * the generator did: the stream function is called on the first `next()`, calls are served one at
 * a time, and closing early (`return()`, an abort) closes the stream function's iterator.
 */
import type { ModelMessage, ResponsePart } from '../contract/messages.js';
import type { ModelStreamEvent, PartDelta } from '../contract/stream-events.js';
import { estimateUsage } from './estimate-usage.js';

/** Deltas of tool calls, by the index of the call in the response. */
export interface DeltaToolCalls {
  [index: number]: { name?: string; jsonArgs?: string; toolCallId?: string };
}

/** Thinking to stream (text, or a signature). */
export interface DeltaThinking {
  thinking: string;
  signature?: string;
}

/** What a streaming model function yields: text deltas, tool call deltas or thinking. */
export type StreamChunk = string | DeltaToolCalls | DeltaThinking;

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** The events of one streamed answer. */
export class FunctionModelStream implements AsyncIterableIterator<ModelStreamEvent> {
  private source: AsyncIterator<StreamChunk> | undefined;
  /** The chunks are all read (or the stream failed, or was closed). */
  private ended = false;
  /** Events mapped from the last chunk (or the closing events): those from `head` to `tail` are not handed out yet. */
  private readonly queue: ModelStreamEvent[] = [];
  private head = 0;
  private tail = 0;
  private readonly parts: ResponsePart[] = [];
  private textIndex: number | undefined;
  private thinkingIndex: number | undefined;
  private readonly toolIndex = new Map<number, number>();
  /**
   * The arguments that arrive in deltas after a call's first chunk, by part index, joined into the
   * part at the end for the usage estimate: an array keeps no chain of string halves alive while a
   * long stream goes on (each would be copied by every garbage collection of the young generation).
   */
  private readonly laterArgs = new Map<number, string[]>();
  /** Calls of next() not yet served, and the last one's promise (a later call waits for it). */
  private calls = 0;
  private last: Promise<unknown> | undefined;

  /** @param open calls the stream function (on the first `next()`). */
  constructor(
    private open: (() => AsyncIterable<StreamChunk>) | undefined,
    private readonly messages: readonly ModelMessage[],
    private readonly modelName: string,
    private readonly signal: AbortSignal | undefined,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ModelStreamEvent>> {
    let step: Promise<IteratorResult<ModelStreamEvent>>;
    if (this.calls++ > 0) step = this.last!.then(this.stepAfter, this.stepAfter);
    else if (this.head < this.tail) {
      this.calls--;
      step = Promise.resolve({ done: false, value: this.queue[this.head++]! });
    } else if (this.source && !this.ended) step = this.pull(this.source);
    else step = this.step();
    this.last = step;
    return step;
  }

  /** Stops early: the stream function's iterator is closed, as leaving a for-await does. */
  async return(): Promise<IteratorResult<ModelStreamEvent>> {
    if (this.calls > 0) await this.last!.catch(() => undefined);
    this.finish();
    const source = this.source;
    this.source = undefined;
    if (source) await source.return?.();
    return DONE;
  }

  private readonly stepAfter = (): Promise<IteratorResult<ModelStreamEvent>> => this.step();

  /**
   * The hot path, while the stream function's iterator is open: its next chunk mapped in a promise
   * callback, not an async function (whose frame would cost every chunk a few hundred bytes more
   * to allocate and collect). Opening and the end go through `step`.
   */
  private pull(source: AsyncIterator<StreamChunk>): Promise<IteratorResult<ModelStreamEvent>> {
    try {
      return source.next().then(this.onChunk, this.onSourceFailure);
    } catch (err) {
      return this.onSourceFailure(err);
    }
  }

  private readonly onChunk = (chunk: IteratorResult<StreamChunk>): IteratorResult<ModelStreamEvent> | Promise<IteratorResult<ModelStreamEvent>> => {
    const source = this.source!;
    if (chunk.done) {
      this.source = undefined;
      this.end();
    } else {
      this.head = this.tail = 0;
      try {
        this.signal?.throwIfAborted();
        this.map(chunk.value);
      } catch (err) {
        return this.closeFor(source, err);
      }
      // A chunk with no calls in it gives no event: on to the next one.
      if (this.head === this.tail) return this.pull(source);
    }
    this.calls--;
    return { done: false, value: this.queue[this.head++]! };
  };

  /** The stream function's iterator failed: it is over, and not closed again. */
  private readonly onSourceFailure = (err: unknown): Promise<never> => {
    this.source = undefined;
    this.finish();
    this.calls--;
    return Promise.reject(err);
  };

  /** {@link abandon} on the hot path, which counts the call as served. */
  private async closeFor(source: AsyncIterator<StreamChunk>, err: unknown): Promise<never> {
    try {
      await this.abandon(source);
      throw err;
    } finally {
      this.calls--;
    }
  }

  /**
   * A chunk could not be mapped (or the signal aborted): as when a for-await body throws, the
   * stream function's iterator is closed, its own failure to close ignored.
   */
  private async abandon(source: AsyncIterator<StreamChunk>): Promise<void> {
    this.source = undefined;
    this.finish();
    await Promise.resolve(source.return?.()).catch(() => undefined);
  }

  private async step(): Promise<IteratorResult<ModelStreamEvent>> {
    try {
      while (this.head === this.tail) {
        if (this.ended) return DONE;
        if (this.open) {
          const open = this.open;
          this.open = undefined;
          try {
            this.source = open()[Symbol.asyncIterator]();
          } catch (err) {
            this.finish();
            throw err;
          }
        }
        const source = this.source!;
        let chunk: IteratorResult<StreamChunk>;
        try {
          chunk = await source.next();
        } catch (err) {
          // A stream that threw is over, and not closed again.
          this.source = undefined;
          this.finish();
          throw err;
        }
        if (chunk.done) {
          this.source = undefined;
          this.end();
          continue;
        }
        // Reused from the start (truncating an array costs more than mapping a chunk).
        this.head = this.tail = 0;
        try {
          this.signal?.throwIfAborted();
          this.map(chunk.value);
        } catch (err) {
          await this.abandon(source);
          throw err;
        }
      }
      return { done: false, value: this.queue[this.head++]! };
    } finally {
      this.calls--;
    }
  }

  /** Nothing more will be handed out. */
  private finish(): void {
    this.open = undefined;
    this.ended = true;
    this.queue.length = 0;
    this.head = this.tail = 0;
  }

  private push(event: ModelStreamEvent): void {
    this.queue[this.tail++] = event;
  }

  /** The events of one chunk. */
  private map(chunk: StreamChunk): void {
    const parts = this.parts;
    if (typeof chunk === 'string') {
      if (this.textIndex === undefined) {
        this.textIndex = parts.length;
        parts.push({ kind: 'text', content: '' });
        this.push({ kind: 'part-start', index: this.textIndex, part: { kind: 'text', content: '' } });
      }
      (parts[this.textIndex] as { content: string }).content += chunk;
      this.push({ kind: 'part-delta', index: this.textIndex, delta: { kind: 'text', content: chunk } });
    } else if ('thinking' in chunk && typeof chunk.thinking === 'string') {
      if (this.thinkingIndex === undefined) {
        this.thinkingIndex = parts.length;
        parts.push({ kind: 'thinking', content: '' });
        this.push({ kind: 'part-start', index: this.thinkingIndex, part: { kind: 'thinking', content: '' } });
      }
      const delta: PartDelta = { kind: 'thinking', content: chunk.thinking };
      if (chunk.signature) delta.signature = chunk.signature;
      this.push({ kind: 'part-delta', index: this.thinkingIndex, delta });
    } else {
      const calls = chunk as Record<string, DeltaToolCalls[number]>;
      // Integer keys ascending, as Object.entries lists them (Object.keys is the cheapest way to list them).
      const keys = Object.keys(calls);
      for (let i = 0; i < keys.length; i++) this.toolDelta(Number(keys[i]), calls[keys[i]!]!);
    }
  }

  private toolDelta(call: number, delta: DeltaToolCalls[number]): void {
    let index = this.toolIndex.get(call);
    if (index === undefined) {
      index = this.parts.length;
      this.toolIndex.set(call, index);
      const part: ResponsePart = { kind: 'tool-call', toolName: delta.name ?? '', args: '', toolCallId: delta.toolCallId ?? `call-${index}` };
      this.parts.push(part);
      this.push({ kind: 'part-start', index, part: structuredClone(part) });
      // The usage estimate leaves these first arguments out, as it always has (its figures stay put).
      if (delta.jsonArgs) this.push({ kind: 'part-delta', index, delta: { kind: 'tool-call', argsDelta: delta.jsonArgs } });
      return;
    }
    const { jsonArgs, name } = delta;
    if (jsonArgs) {
      let later = this.laterArgs.get(index);
      if (!later) this.laterArgs.set(index, (later = []));
      later.push(jsonArgs);
    }
    if (name) (this.parts[index] as { toolName: string }).toolName += name;
    // One literal per shape (a property added later costs the object a second allocation).
    const out: PartDelta = jsonArgs
      ? name
        ? { kind: 'tool-call', argsDelta: jsonArgs, toolName: name }
        : { kind: 'tool-call', argsDelta: jsonArgs }
      : name
        ? { kind: 'tool-call', toolName: name }
        : { kind: 'tool-call' };
    this.push({ kind: 'part-delta', index, delta: out });
  }

  /** The stream function is done: every part ends, then the finish event. */
  private end(): void {
    this.ended = true;
    this.head = this.tail = 0;
    for (const [index, later] of this.laterArgs) (this.parts[index] as { args: string }).args += later.join('');
    for (let i = 0; i < this.parts.length; i++) this.push({ kind: 'part-end', index: i });
    this.push({
      kind: 'finish',
      modelName: this.modelName,
      usage: estimateUsage(this.messages, this.parts),
      finishReason: this.parts.some((p) => p.kind === 'tool-call') ? 'tool-call' : 'stop',
    });
  }
}
