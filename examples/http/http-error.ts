/**
 * How the example servers refuse a request: throw an {@link HttpError} anywhere in a route, and
 * {@link failRequest} answers `{ "error": message }` with its status. Any other error is logged
 * and answered with a bare 500, never its message or stack (they can name internals or keys).
 */
import type { ServerResponse } from 'node:http';

/** A request the server refuses: the status and the message the client reads. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Options of {@link failRequest}. */
export interface FailOptions {
  /** Gets every error that is not an HttpError (default `console.error`). */
  logError?: (error: unknown) => void;
  /** Headers sent with the error besides its content type (a server's own security headers). */
  headers?: Record<string, string>;
}

/** Answers a failed request with JSON, or drops the connection when a stream had already begun (its status line is gone). */
export function failRequest(res: ServerResponse, err: unknown, options: FailOptions = {}): void {
  if (!(err instanceof HttpError)) (options.logError ?? console.error)(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // An unread body (too large, or refused before reading) is not waited for.
  if (err instanceof HttpError && err.status >= 413) res.setHeader('connection', 'close');
  const status = err instanceof HttpError ? err.status : 500;
  const message = err instanceof HttpError ? err.message : 'internal error';
  res.writeHead(status, { ...options.headers, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: message }));
}
