/**
 * `schemantic/http`: a run's events over HTTP, as Server-Sent Events (`EventSource`, any client) or
 * as the Vercel AI SDK's UI message stream (`useChat`), for fetch-style servers (a web Response),
 * and the answers to a paused run's deferred calls read from what a `useChat` client posts.
 * Node's http (a ServerResponse) is `schemantic/http/node`. No dependencies: the protocols are
 * written here.
 */
export { eventStreamResponse, RUN_FAILED_MESSAGE, sseMessage } from './sse.js';
export type { EventStreamOptions, RunEventSource } from './sse.js';
export { uiMessageChunks } from './ui-message-chunks.js';
export type { DeferredPartData, UIMessageChunk, UIMessageStreamOptions } from './ui-message-chunks.js';
export { deferredResultsFromUIMessages } from './deferred-results-from-ui-messages.js';
export { UI_MESSAGE_STREAM_HEADERS, uiMessageStreamResponse } from './ui-message-stream.js';
export { traceContext } from './trace-context.js';
export type { HeadersLike } from './trace-context.js';
