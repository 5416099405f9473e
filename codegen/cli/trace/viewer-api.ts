/**
 * What the viewer page reads: the page itself, the list of runs, the spans of one run, and a
 * Server-Sent Events stream that says when runs change, so the page refreshes as spans arrive.
 */
import type { ServerResponse } from 'node:http';
import { COMMON_HEADERS, sendError, sendJson } from './http-reply.js';
import type { TraceStore } from './trace-store.js';
import { viewerPage } from './viewer-page.js';

/** `GET /`: the page, under a policy that runs its own script and style and loads nothing else. */
export function sendPage(res: ServerResponse): void {
  const { html, contentSecurityPolicy } = viewerPage();
  res.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(html)),
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Frame-Options': 'DENY',
  });
  res.end(html);
}

/** `GET /api/traces`: the summaries of the runs held, the latest first, and what has been received. */
export function sendTraceList(res: ServerResponse, store: TraceStore): void {
  sendJson(res, 200, { traces: store.summaries(), counts: store.counts() });
}

/** `GET /api/traces/:traceId`: one run's summary and spans (by start time). */
export function sendTrace(res: ServerResponse, store: TraceStore, traceId: string): void {
  const id = traceId.toLowerCase();
  const spans = /^[0-9a-f]{32}$/.test(id) ? store.spans(id) : undefined;
  if (!spans) return sendError(res, 404, `no trace ${JSON.stringify(traceId)} is held (it may have been dropped for newer ones)`);
  sendJson(res, 200, { traceId: id, summary: store.summary(id), spans });
}

/**
 * `GET /api/events`: an event `change` with the ids of the runs a batch changed, for as long as
 * the page is open. Returns the function that ends the stream (the server calls it on close).
 */
export function streamChanges(res: ServerResponse, store: TraceStore): () => void {
  res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
  // A page whose server restarted reconnects after a second.
  res.write('retry: 1000\n\n');
  const unsubscribe = store.onChange((traceIds) => res.write(`event: change\ndata: ${JSON.stringify({ traceIds })}\n\n`));
  const end = () => {
    unsubscribe();
    res.end();
  };
  res.on('close', unsubscribe);
  return end;
}
