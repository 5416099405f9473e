/**
 * A run as the Vercel AI SDK's UI message stream (protocol v1, AI SDK 5 and 6), so that a `useChat`
 * front end shows a Schemantic run: its text and reasoning as they stream, its tool calls with
 * their inputs and outputs, and the final structured output as a data part.
 *
 * Written against the protocol, not the `ai` package: the runtime does not depend on it. Chunks
 * carry only fields AI SDK 5 knows too (its client rejects unknown ones; `tool-input-error` needs a
 * 5.0 release from August 2025 on), except the approval chunks of a run that waits for approval,
 * which need AI SDK 6 (`approvalChunks: false` leaves them out: see ui-message-chunks.ts). The
 * framing is the SDK's: `data: <json>` per chunk, `data: [DONE]` at the end, header
 * `x-vercel-ai-ui-message-stream: v1`.
 *
 * This module is the transport (headers, the SSE framing, a web Response; Node's
 * ServerResponse in node.ts); the chunks a run maps to are made in ui-message-chunks.ts.
 */
import { errorText, RUN_FAILED_MESSAGE, runEvents, SSE_HEADERS, sseMessage, withHeaders, type RunEventSource } from './sse.js';
import { sseResponse, type FrameSource } from './web-stream.js';
import { uiMessageChunks, type UIMessageStreamOptions } from './ui-message-chunks.js';

/** The header that tells the AI SDK's client it reads a UI message stream. */
export const UI_MESSAGE_STREAM_HEADERS: Readonly<Record<string, string>> = { ...SSE_HEADERS, 'x-vercel-ai-ui-message-stream': 'v1' };

/**
 * A web Response streaming a run as the UI message stream: what a `useChat` route handler returns.
 * Cancelling the body (the client went away) stops the run.
 */
export function uiMessageStreamResponse(events: RunEventSource, init: { headers?: Record<string, string> } & UIMessageStreamOptions = {}): Response {
  return sseResponse(uiFrames(events, init), withHeaders(UI_MESSAGE_STREAM_HEADERS, init.headers));
}

/** The SSE framing of the chunks, as the AI SDK's JsonToSseTransformStream writes it. */
export function uiFrames(source: RunEventSource, options: UIMessageStreamOptions): FrameSource {
  return async function* (signal) {
    // After a cancellation the error is the abort itself, and nobody is listening: not logged.
    const errorMessage = (err: unknown) => (signal.aborted ? RUN_FAILED_MESSAGE : errorText(err, options.errorMessage));
    // Serialised as soon as mapped: chunks hold values of the run that later events may change.
    for await (const chunk of uiMessageChunks(runEvents(source, signal), { ...options, errorMessage })) yield sseMessage(JSON.stringify(chunk));
    yield sseMessage('[DONE]');
  };
}
