/**
 * Drives a run node by node for one way of reading a streamed run (StreamedRun's `outputStream`,
 * `textStream`, `responses`, `result`), as an async iterator of what that way yields.
 *
 * Why not a chain of async generators (model stream -> request -> node -> run -> reader): each
 * generator a chunk crosses costs it a few promise hops, several times what parsing it costs. Here
 * a model-request node is read through its RequestStream: one await on the model's stream per
 * event, then, synchronously, the event applied to the response and the arguments' parser, and
 * handed to the way of reading (a {@link StepSink}), which says whether there is a value to
 * yield. Tool steps, a few events each, are read from `AgentRun.stream` as they are.
 */
import type { RunResult } from '../agent/result.js';
import type { ModelStreamEvent } from '../contract/stream-events.js';
import { endRunTrace, openRequestStream, type AgentRun } from '../run/agent-run.js';
import type { RequestStream } from '../run/request-stream.js';
import type { AgentStreamEvent } from './events.js';

/** What a {@link StepSink} returns when it has nothing to yield. */
export const NOTHING: unique symbol = Symbol('nothing');

/** A way of reading a run: each step, synchronously, to a value to yield or {@link NOTHING}. */
export interface StepSink<T> {
  /** A model response starts. */
  responseStart(): void;
  /** An event of the model's stream, already applied to `request` (which builds its run event if asked). */
  modelEvent(event: ModelStreamEvent, request: RequestStream): T | typeof NOTHING;
  /** An event of a tool step. */
  runEvent(event: AgentStreamEvent): T | typeof NOTHING;
  /** The run ended: a last value, or NOTHING. */
  end(result: RunResult<unknown>): T | typeof NOTHING;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A run read to its end through a {@link StepSink}. Like an async generator: nothing happens
 * before the first `next()`, calls are served one at a time, and `return()` (a reader leaving
 * early) closes the node in flight, so the model's stream, and the history keeps what arrived.
 */
export class RunReader<T> implements AsyncIterableIterator<T> {
  private request: RequestStream | undefined;
  private events: AsyncGenerator<AgentStreamEvent, unknown> | undefined;
  private finished = false;
  /** This reader drives the run: `begin` (which claims it) succeeded. */
  private driving = false;
  /** Calls of next() not yet served, and the last one's promise (a later call, or return(), waits for it). */
  private calls = 0;
  private last: Promise<unknown> | undefined;

  /**
   * @param begin runs before the first step (its errors end the iteration).
   * @param onEnd receives the run's result when the end node is reached.
   */
  constructor(
    private readonly run: AgentRun<unknown>,
    private readonly sink: StepSink<T>,
    private begin: (() => Promise<void> | void) | undefined,
    private readonly onEnd: (result: RunResult<unknown>) => void,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    // Served one at a time; the usual caller (for-await) never overlaps, and pays no extra hop.
    let step: Promise<IteratorResult<T>>;
    if (this.calls++ > 0) step = this.last!.then(this.stepAfter, this.stepAfter);
    else if (this.request && !this.finished) step = this.pull(this.request);
    else step = this.step();
    this.last = step;
    return step;
  }

  async return(value?: unknown): Promise<IteratorResult<T>> {
    if (this.calls > 0) await this.last!.catch(() => undefined);
    const left = !this.finished && this.driving;
    this.finished = true;
    try {
      await this.closeNode(false);
    } finally {
      // The reader left before the end: the run is cancelled (even if closing the stream failed).
      if (left) endRunTrace(this.run, undefined, true);
    }
    return { done: true, value: value as T };
  }

  private readonly stepAfter = (): Promise<IteratorResult<T>> => this.step();

  /**
   * The hot path, while a model request streams: the model's next event handled in a promise
   * callback, not an async function (whose frame would cost every chunk a few hundred bytes more
   * to allocate and collect). Anything else (the stream's end, another node) goes to `step`.
   */
  private pull(request: RequestStream): Promise<IteratorResult<T>> {
    try {
      return request.next().then(this.onModelEvent, this.onFailure);
    } catch (err) {
      return this.onFailure(err);
    }
  }

  private readonly onModelEvent = (step: IteratorResult<ModelStreamEvent>): IteratorResult<T> | Promise<IteratorResult<T>> => {
    const request = this.request!;
    try {
      if (step.done) {
        this.request = undefined;
        request.complete();
        // On to the next node, along the general path (which counts this call as served).
        return this.step();
      }
      request.apply(step.value);
      const out = this.sink.modelEvent(step.value, request);
      if (out === NOTHING) return request.next().then(this.onModelEvent, this.onFailure);
      this.calls--;
      return { done: false, value: out };
    } catch (err) {
      return this.onFailure(err);
    }
  };

  /** The hot path failed: as in `step`, the node in flight is closed and the error ends the iteration. */
  private readonly onFailure = async (err: unknown): Promise<never> => {
    try {
      this.finished = true;
      await this.closeNode(true, err);
      throw err;
    } finally {
      this.calls--;
    }
  };

  private async step(): Promise<IteratorResult<T>> {
    try {
      if (this.finished) return DONE;
      if (this.begin) {
        const begin = this.begin;
        this.begin = undefined;
        const started = begin();
        if (started) await started;
        this.driving = true;
      }
      for (;;) {
        const request = this.request;
        if (request) {
          // One await per model event, the rest synchronous (from the next call on, `pull` does this).
          const step = await request.next();
          if (step.done) {
            this.request = undefined;
            request.complete();
            continue;
          }
          request.apply(step.value);
          const out = this.sink.modelEvent(step.value, request);
          if (out !== NOTHING) return { done: false, value: out };
          continue;
        }
        const events = this.events;
        if (events) {
          const step = await events.next();
          if (step.done) this.events = undefined;
          else {
            const out = this.sink.runEvent(step.value);
            if (out !== NOTHING) return { done: false, value: out };
          }
          continue;
        }
        const node = this.run.nextNode;
        if (node.kind === 'end') {
          this.finished = true;
          this.onEnd(node.result);
          const out = this.sink.end(node.result);
          return out === NOTHING ? DONE : { done: false, value: out };
        }
        if (node.kind === 'model-request') {
          this.sink.responseStart();
          this.request = await openRequestStream(this.run, node);
        } else this.events = this.run.stream(node);
      }
    } catch (err) {
      this.finished = true;
      await this.closeNode(true, err);
      throw err;
    } finally {
      this.calls--;
    }
  }

  /** Closes the node in flight: the model's stream (the response so far recorded), or the tool step. */
  private async closeNode(failed: boolean, cause?: unknown): Promise<void> {
    const request = this.request;
    const events = this.events;
    this.request = undefined;
    this.events = undefined;
    try {
      if (request) await request.close(failed, cause);
      if (events) await events.return(undefined);
    } finally {
      // The run failed here, outside AgentRun's own methods (a model stream this reader pulled).
      // A reader that never drove the run (a second way of reading it, refused) ends nothing.
      if (failed && this.driving) endRunTrace(this.run, cause);
    }
  }
}
