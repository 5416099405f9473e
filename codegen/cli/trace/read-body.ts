/**
 * Reading a request body within a size limit, gunzipped when the exporter compressed it
 * (OTLP/HTTP allows `Content-Encoding: gzip`). The limit holds for what is sent and for what it
 * inflates to, so a small gzip bomb is refused like a large body.
 */
import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';

/** A body that cannot be read as sent; `status` is the HTTP status to answer with. */
export class BodyError extends Error {
  override name = 'BodyError';
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The body of `req`, decompressed, at most `limit` bytes. Past the limit it stops keeping data
 * and rejects with a 413 at once; the rest of the body is read and thrown away, so the answer
 * can still be written to a client that is sending.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip')
    return Promise.reject(new BodyError(415, `Content-Encoding ${encoding} is not supported; send the body as it is, or gzipped`));
  const tooLarge = () => new BodyError(413, `the body is larger than ${limit / (1024 * 1024)} MiB`);
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let sent = 0;
    let kept = 0;
    let done = false;
    const gunzip = encoding === 'gzip' ? createGunzip() : undefined;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      chunks.length = 0;
      if (gunzip) {
        req.unpipe(gunzip);
        gunzip.destroy();
      }
      reject(err);
    };
    // Counts what is sent, and keeps the request flowing after a failure (the rest is dropped).
    req.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (sent > limit) fail(tooLarge());
    });
    const body = gunzip ? req.pipe(gunzip) : req;
    body.on('data', (chunk: Buffer) => {
      if (done) return;
      kept += chunk.length;
      if (kept > limit) return fail(tooLarge());
      chunks.push(chunk);
    });
    body.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    gunzip?.on('error', () => fail(new BodyError(400, 'the body is not valid gzip')));
    req.on('error', fail);
    req.on('close', () => {
      if (!req.complete) fail(new BodyError(400, 'the request ended before its body did'));
    });
  });
}
