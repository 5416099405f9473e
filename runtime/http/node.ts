/**
 * `schemantic/http/node`: the run's event streams written to Node's `http.ServerResponse`. Kept
 * apart from `schemantic/http` so that the web-standard helpers bundle for edge runtimes and
 * browsers, where nothing may import `node:*`.
 */
import type { ServerResponse } from 'node:http';
import { eventFrames, SSE_HEADERS, type EventStreamOptions, type RunEventSource } from './sse.js';
import { uiFrames, UI_MESSAGE_STREAM_HEADERS } from './ui-message-stream.js';
import type { UIMessageStreamOptions } from './ui-message-chunks.js';
import { stop, untilAborted, type FrameSource } from './web-stream.js';

/**
 * `eventStreamResponse` (`schemantic/http`) for Node's http: writes the head and the stream to `res`, and
 * resolves when done. Stops (and cancels the run) if `res` closes early.
 */
export function writeEventStream(res: ServerResponse, events: RunEventSource, options: EventStreamOptions = {}): Promise<void> {
  return writeSse(res, (signal) => eventFrames(events, signal, options), SSE_HEADERS);
}

/**
 * `uiMessageStreamResponse` (`schemantic/http`) for Node's http: writes the head and the stream to `res`, and
 * resolves when done. Stops (and cancels the run) if `res` closes early.
 */
export function writeUIMessageStream(res: ServerResponse, events: RunEventSource, options: UIMessageStreamOptions = {}): Promise<void> {
  return writeSse(res, uiFrames(events, options), UI_MESSAGE_STREAM_HEADERS);
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
