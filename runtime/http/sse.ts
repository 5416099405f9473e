/**
 * Server-Sent Events of a run (`schemantic/http`): the events of `agent.runStreamEvents`, sent to
 * a browser (`EventSource`) or any HTTP client as they happen, as a web `Response` (fetch-style
 * servers: Hono, Next.js route handlers, Deno, Bun) (Node's `ServerResponse`: `schemantic/http/node`).
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
import { clientMessages, OUTPUT_TOOL_NAME } from '../contract/client-history.js';
import type { AgentRunEvent } from '../stream/events.js';
import { partialOutputGate } from './partial-output-gate.js';
import { sseResponse } from './web-stream.js';

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
   * The `messages` of the `run-result` event. `'client'` (the default): the run's new messages as
   * a client may see them, {@link clientMessages} of `newMessages()`: the user's prompt and the
   * assistant's text, a history the client can post back (read it with `parseClientMessages`).
   * `'all'`: every message of the conversation, `allMessages()`: system prompt and instructions,
   * tool calls and what the tools returned. Only for a client you trust with all of that.
   */
  resultMessages?: 'client' | 'all';
  /**
   * Called with an error of the run; what it returns is the message the client gets. By default
   * the client gets {@link RUN_FAILED_MESSAGE} and the error is logged (`console.error`), since a
   * provider's error can name accounts, keys or internals. Given, it replaces both: log the error
   * here, and return the text a client may see.
   */
  errorMessage?: (error: unknown) => string;
  /**
   * The least time between two `partial-output` events sent (milliseconds; default 100; 0: every
   * change; `false`: none). Each carries the whole output so far; the final output is in
   * `run-result` whatever this says.
   */
  partialOutputMs?: number | false;
}

/** The message a client gets for an error of the run, unless `errorMessage` says otherwise. */
export const RUN_FAILED_MESSAGE = 'The run failed.';

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
 * as `event: <kind>` with its JSON as data (`partial-output` throttled: see `partialOutputMs`; for `run-result`: `{ output, usage, messages }`, the
 * messages being the run's new user prompt and assistant text unless `resultMessages: 'all'`),
 * then `event: done` with data `{}`. An error of the run becomes `event: error` with data
 * `{"message": "The run failed."}` (or what `errorMessage` returns) and ends the stream.
 * Cancelling the body (the client went away) stops the run.
 */
export function eventStreamResponse(events: RunEventSource, init: { headers?: Record<string, string> } & EventStreamOptions = {}): Response {
  return sseResponse((signal) => eventFrames(events, signal, init), withHeaders(SSE_HEADERS, init.headers));
}

/** The head of an SSE response; `x-accel-buffering` keeps nginx from holding the stream back. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

/** The SSE text of a run's events. */
export async function* eventFrames(source: RunEventSource, signal: AbortSignal, options: EventStreamOptions): AsyncGenerator<string> {
  try {
    const partialOutputDue = partialOutputGate(options.partialOutputMs);
    // Serialised here, before the run is resumed: a later delta may change a live value.
    for await (const event of runEvents(source, signal)) {
      if (event.kind === 'partial-output' && !partialOutputDue()) continue;
      yield sseMessage(JSON.stringify(eventData(event, options)), event.kind);
    }
  } catch (err) {
    // After a cancellation the error is the abort itself, and nobody is listening.
    if (signal.aborted) return;
    yield sseMessage(JSON.stringify({ message: errorText(err, options.errorMessage) }), 'error');
    return;
  }
  yield sseMessage('{}', 'done');
}

/**
 * What an event sends: the event, or for the run's result the data of the RunResult (an object
 * with methods). An output tool's argument deltas go without their `partialArgs`: that object is
 * the whole output so far, which `partial-output` already carries (throttled), and sending it with
 * every delta would make the stream grow with the square of the output's size.
 */
function eventData(event: AgentRunEvent<unknown>, options: EventStreamOptions): unknown {
  if (event.kind === 'part-delta' && 'partialArgs' in event && OUTPUT_TOOL_NAME.test(event.toolName)) {
    const { partialArgs: _whole, ...delta } = event;
    return delta;
  }
  if (event.kind !== 'run-result') return event;
  const { result } = event;
  const messages = options.resultMessages === 'all' ? result.allMessages() : clientMessages(result.newMessages());
  return { output: result.output, usage: result.usage(), messages };
}

/** The events of a source, the run started with `signal` if the source is a function. */
export function runEvents(source: RunEventSource, signal: AbortSignal): AsyncIterable<AgentRunEvent<unknown>> {
  return typeof source === 'function' ? source(signal) : source;
}

/**
 * The text an error shows a client: the caller's choice, else {@link RUN_FAILED_MESSAGE}, the
 * error itself logged on the server (never its message or stack to the client).
 */
export function errorText(error: unknown, custom?: (error: unknown) => string): string {
  if (custom) return custom(error);
  console.error(error);
  return RUN_FAILED_MESSAGE;
}

/** `defaults` with `extra` set over them (names compared without case, as HTTP does). */
export function withHeaders(defaults: Readonly<Record<string, string>>, extra: Record<string, string> = {}): Headers {
  const headers = new Headers(defaults);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return headers;
}
