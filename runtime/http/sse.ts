/**
 * Server-Sent Events of a run (`schemantic/http`): the events of `agent.runStreamEvents`, sent to
 * a browser (`EventSource`) or any HTTP client as they happen, as a web `Response` (fetch-style
 * servers: Hono, Next.js route handlers, Deno, Bun) or written to a Node `ServerResponse`.
 *
 * Why here and not in user code: three things are easy to get wrong. Events carry live values (the
 * `partialArgs` of a tool-call delta is updated in place by later deltas), so each event is
 * serialised the moment it is yielded, never buffered. A client that goes away must stop the run,
 * or it goes on paying for tokens nobody reads. And an error must reach the client as an event
 * (the status line is long gone), without a stack trace.
 *
 * The transport plumbing (a stream of SSE text to a Response or a ServerResponse, with
 * cancellation and back-pressure) is shared with the UI message stream (ui-message-stream.ts).
 */
import type { ServerResponse } from 'node:http';
import type { AgentRunEvent } from '../stream/events.js';

/**
 * The events to send: an iterable (`agent.runStreamEvents(...)`), or a function that starts the
 * run with a signal the helper aborts when the client goes away. Prefer the function: an abort
 * cancels the model request in flight (and reaches tool handlers as `ctx.signal`) at once, while
 * an iterable can only be told to stop (`return()`) at its next event.
 */
export type RunEventSource = AsyncIterable<AgentRunEvent<unknown>> | ((signal: AbortSignal) => AsyncIterable<AgentRunEvent<unknown>>);

/** Options of the SSE helpers. */
export interface EventStreamOptions {
  /**
   * The message sent to the client for an error of the run (default: the error's message). Use it
   * to hide internals from clients, or to log the error where the server logs.
   */
  errorMessage?: (error: unknown) => string;
}

/** Formats one SSE message (`event:` optional, `data:` lines, blank line). */
export function sseMessage(data: string, event?: string): string {
  // A line break would end the field early: the event name loses them, data spans `data:` lines.
  const head = event === undefined ? '' : `event: ${event.replace(/[\r\n]+/g, ' ')}\n`;
  return `${head}${data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('')}\n`;
}

/**
 * A web Response (status 200, `text/event-stream`) streaming the events of a run as SSE: each event
 * as `event: <kind>` with its JSON as data (for `run-result`: `{ output, usage, messages }`), then
 * `event: done` with data `{}`. An error of the run becomes `event: error` with data
 * `{"message": ...}` and ends the stream. Cancelling the body (the client went away) stops the run.
 */
export function eventStreamResponse(events: RunEventSource, init: { headers?: Record<string, string> } & EventStreamOptions = {}): Response {
  return sseResponse((signal) => eventFrames(events, signal, init), withHeaders(SSE_HEADERS, init.headers));
}

/**
 * {@link eventStreamResponse} for Node's http: writes the head and the stream to `res`, and
 * resolves when done. Stops (and cancels the run) if `res` closes early.
 */
export function writeEventStream(res: ServerResponse, events: RunEventSource, options: EventStreamOptions = {}): Promise<void> {
  return writeSse(res, (signal) => eventFrames(events, signal, options), SSE_HEADERS);
}

/** The head of an SSE response; `x-accel-buffering` keeps nginx from holding the stream back. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

/** The SSE text of a run's events. */
async function* eventFrames(source: RunEventSource, signal: AbortSignal, options: EventStreamOptions): AsyncGenerator<string> {
  try {
    // Serialised here, before the run is resumed: a later delta may change a live value.
    for await (const event of runEvents(source, signal)) yield sseMessage(JSON.stringify(eventData(event)), event.kind);
  } catch (err) {
    // After a cancellation the error is the abort itself, and nobody is listening.
    if (signal.aborted) return;
    yield sseMessage(JSON.stringify({ message: errorText(err, options.errorMessage) }), 'error');
    return;
  }
  yield sseMessage('{}', 'done');
}

/** What an event sends: the event, or for the run's result the data of the RunResult (an object with methods). */
function eventData(event: AgentRunEvent<unknown>): unknown {
  if (event.kind !== 'run-result') return event;
  const { result } = event;
  return { output: result.output, usage: result.usage(), messages: result.allMessages() };
}

/** The events of a source, the run started with `signal` if the source is a function. */
export function runEvents(source: RunEventSource, signal: AbortSignal): AsyncIterable<AgentRunEvent<unknown>> {
  return typeof source === 'function' ? source(signal) : source;
}

/** The text an error shows a client: the caller's choice, else its message (never a stack). */
export function errorText(error: unknown, custom?: (error: unknown) => string): string {
  if (custom) return custom(error);
  return error instanceof Error ? error.message : String(error);
}

/** `defaults` with `extra` set over them (names compared without case, as HTTP does). */
export function withHeaders(defaults: Readonly<Record<string, string>>, extra: Record<string, string> = {}): Headers {
  const headers = new Headers(defaults);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return headers;
}

/** SSE text, made from a signal that aborts when the client has gone. */
export type FrameSource = (signal: AbortSignal) => AsyncIterable<string>;

/**
 * A web Response streaming the text of `frames`. The body pulls, and holds nothing in advance
 * (high-water mark 0): the run starts when the body is first read and goes no faster than the
 * client reads. Cancelling the body aborts the signal and ends the iteration.
 */
export function sseResponse(frames: FrameSource, headers: Headers): Response {
  const controller = new AbortController();
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<string> | undefined;
  const source = {
    async pull(stream: ReadableStreamDefaultController<Uint8Array>) {
      iterator ??= frames(controller.signal)[Symbol.asyncIterator]();
      const step = await untilAborted(iterator.next(), controller.signal);
      // Cancelled while waiting: the stream is closed, and enqueueing would throw.
      if (step === undefined) return;
      if (step.done) stream.close();
      else stream.enqueue(encoder.encode(step.value));
    },
    cancel() {
      stop(controller, iterator);
    },
  };
  return new Response(new ReadableStream<Uint8Array>(source, { highWaterMark: 0 }), { status: 200, headers });
}

/**
 * Writes the text of `frames` to a Node response, waiting for the socket to drain when it is
 * full. Resolves when the frames end, or as soon as the client has gone (the run is cancelled).
 */
export async function writeSse(res: ServerResponse, frames: FrameSource, headers: Readonly<Record<string, string>>): Promise<void> {
  const controller = new AbortController();
  const iterator = frames(controller.signal)[Symbol.asyncIterator]();
  let finished = false;
  // 'close' also follows a normal end; only a close before it means the client went away.
  const onClose = () => {
    if (!finished) stop(controller, iterator);
  };
  res.once('close', onClose);
  if (res.destroyed) onClose();
  try {
    res.writeHead(200, headers);
    // The run may think for a while before its first event: the client learns at once that it streams.
    res.flushHeaders();
    while (!controller.signal.aborted) {
      const step = await untilAborted(iterator.next(), controller.signal);
      if (step === undefined || step.done) break;
      if (!res.write(step.value)) await drained(res, controller.signal);
    }
  } finally {
    finished = true;
    res.off('close', onClose);
    if (!controller.signal.aborted) res.end();
  }
}

/** Aborts the run and ends the iteration (not awaited: a source may settle only at its next event). */
function stop(controller: AbortController, iterator: AsyncIterator<string> | undefined): void {
  controller.abort();
  iterator?.return?.().catch(() => undefined);
}

/** The value of `promise`, or undefined as soon as `signal` aborts (a later rejection is ignored). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.resolve(undefined);
  }
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(signal.aborted ? undefined : value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) resolve(undefined);
        else reject(err);
      },
    );
  });
}

/** Resolves when `res` can take more, or the client has gone. */
function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
