/**
 * How the trace server answers: JSON with a status, never cached, never sniffed as anything else.
 */
import type { ServerResponse } from 'node:http';

/** Headers every answer carries. */
export const COMMON_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
} as const;

/** Answers `status` with `body` as JSON. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  // A body refused before it was read to its end is read on and dropped by Node after the answer
  // (within the server's request timeout): closing instead could reset the connection before a
  // client still sending had read the answer.
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** The message of each error answered, for the server to report refusals with. */
const errors = new WeakMap<ServerResponse, string>();

/** Answers an error: `{"message": ...}`, the shape of OTLP's `Status` that exporters log. */
export function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  errors.set(res, message);
  sendJson(res, status, { message }, headers);
}

/** The message `res` was answered with by {@link sendError}, if it was. */
export function errorSent(res: ServerResponse): string | undefined {
  return errors.get(res);
}
