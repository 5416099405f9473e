/** A request's JSON body, for the example servers: size-bounded, and refused with an HttpError. */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** Options of {@link readJsonBody}. */
export interface ReadJsonBodyOptions {
  /** The largest body read, in bytes: a 413 beyond it. */
  maxBytes: number;
  /**
   * Refuse a body not sent as `application/json` (415). A cross-site form can post text/plain
   * without asking the server first, but not JSON: a page elsewhere then cannot post here.
   */
  requireJsonType?: boolean;
}

/** Reads the body as JSON: a 413 past `maxBytes`, a 400 when it does not parse. */
export async function readJsonBody(req: IncomingMessage, options: ReadJsonBodyOptions): Promise<unknown> {
  const tooLarge = () => new HttpError(413, `the body is larger than ${options.maxBytes} bytes`);
  if (options.requireJsonType) {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') throw new HttpError(415, 'send the body as JSON (content-type: application/json)');
    if (Number(req.headers['content-length']) > options.maxBytes) throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > options.maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}
