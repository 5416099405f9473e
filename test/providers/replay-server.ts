/**
 * A local HTTP server that replays recorded provider traffic (OpenAI, Anthropic, OpenAI-compatible hosts) to the real
 * SDK clients, so adapter tests exercise the SDKs' own HTTP, retry and SSE code against what the services really send,
 * while reaching nothing but 127.0.0.1.
 *
 * Exchanges are served strictly in order. Each request is matched on method and path only (query ignored): the bodies
 * an adapter builds legitimately differ from the recorded ones in key order and optional fields, so a test compares
 * `server.requests[i].body` itself where it matters. Paths are compared exactly, with no `/v1` folding: the recorded path
 * is the one the real host serves, so the SDK's `baseURL` must carry the same prefix (`server.url + '/v1'` for OpenAI,
 * `server.url` for Anthropic, whose SDK adds `/v1/messages` itself, `server.url` for DeepSeek's `/chat/completions`,
 * `server.url + '/api/v1'` for OpenRouter). Folding prefixes would hide exactly the base-URL bugs these tests exist for.
 *
 * Beyond plain replies it can misbehave the ways real connections do: slow first byte, slow streams, truncated streams
 * and connection resets; and it notices clients that hang up mid-reply (aborts, timeouts).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

/** Where `loadCassette` and `loadSse` look up relative file names. */
export const cassettesDir = fileURLToPath(new URL('../fixtures/providers/cassettes/', import.meta.url));
export const sseDir = fileURLToPath(new URL('../fixtures/providers/sse/', import.meta.url));

/** One recorded exchange: what the client should send, and what the server answers. */
export interface Exchange {
  request: {
    method: string;
    /** Path only; a query string here or in the incoming request is ignored. */
    path: string;
    /** The recorded JSON body, for a test to compare with; the server does not match on it. */
    body?: unknown;
  };
  response: Reply;
}

/** What the server does with a matched request. */
export type Reply =
  | { kind: 'json'; status: number; headers?: Record<string, string>; body: unknown }
  | {
      kind: 'sse';
      /** 200 unless given. */
      status?: number;
      /** `content-type: text/event-stream` is set unless these headers name another one. */
      headers?: Record<string, string>;
      /** The body, written byte for byte (UTF-8). */
      text: string;
      /** Split the body after each event (`\n\n`) and pause this long between the pieces. */
      chunkDelayMs?: number;
      /** End the connection abruptly after this many bytes of the body (a truncated stream). */
      cutAfterBytes?: number;
    }
  /**
   * A binary body, written byte for byte (AWS event streams, which Bedrock's ConverseStream answers with: the SDK
   * decodes them, so the bytes must reach it unchanged). `application/octet-stream` unless the headers name a type.
   */
  | { kind: 'bytes'; status?: number; headers?: Record<string, string>; data: Uint8Array }
  /** Destroy the socket without answering (connection reset). */
  | { kind: 'reset' }
  /** Wait before sending anything (slow first byte). */
  | { kind: 'delay'; ms: number; then: Reply };

/** One request as the server received it. */
export interface ReceivedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  /** Names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Parsed JSON; the raw text when it is not JSON; `undefined` when empty. */
  body: unknown;
  /** The client went away before the reply was fully written (an abort or timeout on its side). */
  aborted: boolean;
}

export interface ReplayServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Every request received, in order, matched or not. */
  requests: ReceivedRequest[];
  /** Throws (with a readable message) when some exchange was not requested, or a request came that no exchange was left for. */
  assertConsumed(): void;
  /**
   * Resolves once every request received so far has been answered to the end, cut, reset or abandoned by the client.
   * The server learns of an abort a moment after the client does; await this before asserting `aborted`.
   */
  settled(): Promise<void>;
  /** Closes every open connection (keep-alive ones included) and the listener. */
  close(): Promise<void>;
}

/**
 * Status for a request that does not fit the script: outside the range real services use, so it cannot be mistaken for
 * a recorded answer. It is sent with `x-should-retry: false`, which both SDKs obey before their own rule (retry every
 * status >= 500); otherwise each mismatch would be retried with backoff and reported two more times.
 */
export const MISMATCH_STATUS = 599;

/** Cassette headers that describe the recorded bytes on the wire rather than the reply, and are recomputed here. */
const wireHeaders = new Set(['content-length', 'content-encoding', 'transfer-encoding']);

/** Starts a server on 127.0.0.1 (a free port) that serves `exchanges` in order. */
export function startReplayServer(exchanges: readonly Exchange[]): Promise<ReplayServer> {
  const requests: ReceivedRequest[] = [];
  const problems: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const sleeps = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  let next = 0;

  /** A pause that `close()` cuts short, so no timer outlives the server. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(() => entry.wake(), ms),
        wake() {
          sleeps.delete(entry);
          clearTimeout(entry.timer);
          resolve();
        },
      };
      sleeps.add(entry);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Writes to a connection the client already dropped report through callbacks; an unheard 'error' would crash the run.
    res.on('error', () => {});
    const record: ReceivedRequest = {
      method: req.method ?? '',
      path: (req.url ?? '/').split('?')[0]!,
      headers: flatHeaders(req),
      body: undefined,
      aborted: false,
    };
    requests.push(record);
    // Set when the server itself ends the connection early (reset, cut), which is not the client aborting.
    let endedByServer = false;
    const gone = new Promise<'gone'>((resolve) =>
      res.once('close', () => {
        if (!res.writableFinished && !endedByServer) record.aborted = true;
        resolve('gone');
      }),
    );

    let raw: string;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      raw = Buffer.concat(chunks).toString('utf8');
    } catch {
      record.aborted = true;
      return;
    }
    record.body = parseBody(raw);

    const n = requests.length;
    const exchange = exchanges[next];
    const got = `${record.method} ${record.path}`;
    if (!exchange) {
      return mismatch(res, `request ${n} (${got}) came after all ${exchanges.length} exchanges were served`);
    }
    const wantMethod = exchange.request.method.toUpperCase();
    const wantPath = exchange.request.path.split('?')[0]!;
    if (record.method.toUpperCase() !== wantMethod || record.path !== wantPath) {
      const want = `${wantMethod} ${wantPath}`;
      // The exchange stays next in line, so assertConsumed also reports it as never requested.
      return mismatch(res, `request ${n} (${got}) does not match exchange ${next + 1} of ${exchanges.length}, which expects ${want}`);
    }
    next++;
    await reply(exchange.response);

    async function reply(r: Reply): Promise<void> {
      switch (r.kind) {
        case 'delay':
          if ((await Promise.race([sleep(r.ms), gone])) === 'gone') return;
          return reply(r.then);
        case 'reset':
          endedByServer = true;
          // An RST rather than a FIN: what a client sees when a proxy or the host drops the connection.
          req.socket.resetAndDestroy();
          return;
        case 'json': {
          const body = Buffer.from(JSON.stringify(r.body), 'utf8');
          res.writeHead(r.status, { 'content-type': 'application/json', ...replyHeaders(r.headers), 'content-length': String(body.length) });
          await Promise.race([new Promise<void>((resolve) => res.end(body, resolve)), gone]);
          return;
        }
        case 'sse':
          return stream(r);
        case 'bytes':
          res.writeHead(r.status ?? 200, { 'content-type': 'application/octet-stream', ...replyHeaders(r.headers) });
          await Promise.race([new Promise<void>((resolve) => res.end(Buffer.from(r.data), resolve)), gone]);
          return;
      }
    }

    async function stream(r: Extract<Reply, { kind: 'sse' }>): Promise<void> {
      // No content-length: written chunked, as the services do, so a cut shows up as a body that never ended.
      res.writeHead(r.status ?? 200, { 'content-type': 'text/event-stream', ...replyHeaders(r.headers) });
      const pieces = r.chunkDelayMs === undefined ? [r.text] : splitEvents(r.text);
      let budget = r.cutAfterBytes ?? Infinity;
      for (const [i, piece] of pieces.entries()) {
        if (i > 0 && (await Promise.race([sleep(r.chunkDelayMs ?? 0), gone])) === 'gone') return;
        let bytes = Buffer.from(piece, 'utf8');
        const cut = bytes.length >= budget;
        if (cut) bytes = bytes.subarray(0, budget);
        budget -= bytes.length;
        // Waiting for each write to reach the socket is what makes the pauses real, and lets a cut happen after the bytes left.
        if (bytes.length > 0 && (await Promise.race([written(res, bytes), gone])) === 'gone') return;
        if (cut) {
          if (bytes.length === 0) await headersSent(res);
          endedByServer = true;
          res.socket?.destroy();
          return;
        }
      }
      await Promise.race([new Promise<void>((resolve) => res.end(resolve)), gone]);
    }
  }

  function mismatch(res: ServerResponse, message: string): void {
    problems.push(message);
    const body = JSON.stringify({
      type: 'error',
      message: `replay server: ${message}`,
      error: { type: 'replay_mismatch', message: `replay server: ${message}` },
    });
    res.writeHead(MISMATCH_STATUS, { 'content-type': 'application/json', 'x-should-retry': 'false', 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  }

  const server = createServer((req, res) => {
    // A bug here (say, a header value Node rejects) must fail the test, not leave the client waiting for an answer.
    const n = requests.length + 1;
    const done = handle(req, res).catch((err: unknown) => {
      problems.push(`request ${n}: the replay server failed: ${err instanceof Error ? err.message : String(err)}`);
      res.destroy();
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  });
  // A client that hangs up mid-request is routine here (abort tests), not something to crash on.
  server.on('clientError', (_err, socket) => socket.destroy());

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        assertConsumed() {
          const all = [...problems];
          for (let i = next; i < exchanges.length; i++) {
            const e = exchanges[i]!;
            all.push(`exchange ${i + 1} of ${exchanges.length} (${e.request.method.toUpperCase()} ${e.request.path}) was never requested`);
          }
          if (all.length > 0) throw new Error(`replay server: ${all.length} problem(s):\n${all.map((p) => `- ${p}`).join('\n')}`);
        },
        async settled() {
          while (inFlight.size > 0) await Promise.all(inFlight);
        },
        close() {
          for (const s of [...sleeps]) s.wake();
          server.closeAllConnections();
          return new Promise<void>((done, fail) => server.close((err) => (err ? fail(err) : done())));
        },
      });
    });
  });
}

/**
 * Reads a cassette (pydantic-ai's VCR YAML) into exchanges: JSON bodies re-serialised with `JSON.stringify` (the
 * original bytes were not kept), streaming bodies served as the raw SSE text recorded, binary bodies (`!!binary`) as their
 * bytes. `file` is relative to
 * `test/fixtures/providers/cassettes/`, or absolute.
 */
export function loadCassette(file: string): Exchange[] {
  const full = path.resolve(cassettesDir, file);
  const doc = parseYaml(readFileSync(full, 'utf8')) as { interactions?: CassetteInteraction[] };
  if (!Array.isArray(doc?.interactions)) throw new Error(`${full}: not a cassette (no interactions list)`);
  return doc.interactions.map((it, i) => {
    const where = `${full}, interaction ${i + 1}`;
    const url = new URL(it.request.uri);
    const headers: Record<string, string> = {};
    for (const [name, values] of Object.entries(it.response.headers ?? {})) {
      if (wireHeaders.has(name.toLowerCase())) continue;
      headers[name.toLowerCase()] = Array.isArray(values) ? values.join(', ') : String(values);
    }
    const status = it.response.status.code;
    const request: Exchange['request'] = { method: it.request.method, path: url.pathname };
    if (it.request.parsed_body !== undefined) request.body = it.request.parsed_body;
    const isStream = (headers['content-type'] ?? '').startsWith('text/event-stream');
    if (isStream && typeof it.response.body?.string === 'string') {
      return { request, response: { kind: 'sse', status, headers, text: it.response.body.string } };
    }
    // Binary bodies (Bedrock's AWS event streams) are recorded as `!!binary` (base64), which the YAML parser decodes.
    if (it.response.body?.string instanceof Uint8Array) {
      return { request, response: { kind: 'bytes', status, headers, data: it.response.body.string } };
    }
    if ('parsed_body' in it.response) {
      return { request, response: { kind: 'json', status, headers, body: it.response.parsed_body } };
    }
    throw new Error(`${where}: response has neither parsed_body nor a text/event-stream or binary body.string`);
  });
}

/** Reads a raw `.sse` file (relative to `test/fixtures/providers/sse/`, or absolute), unchanged. */
export function loadSse(file: string): string {
  return readFileSync(path.resolve(sseDir, file), 'utf8');
}

/** The parts of pydantic-ai's cassette format read here. */
interface CassetteInteraction {
  request: { method: string; uri: string; parsed_body?: unknown };
  response: {
    status: { code: number };
    headers?: Record<string, string[] | string>;
    parsed_body?: unknown;
    body?: { string?: unknown };
  };
}

/** Splits SSE text after each blank line, keeping every byte: the pieces concatenate back to `text`. */
function splitEvents(text: string): string[] {
  return text.split(/(?<=\n\n)/);
}

function replyHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (!wireHeaders.has(name.toLowerCase())) out[name.toLowerCase()] = value;
  return out;
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Resolves once `bytes` were handed to the socket (or the write failed because the connection is gone). */
function written(res: ServerResponse, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => res.write(bytes, () => resolve()));
}

/** Sends the status line and headers now and resolves once they reached the socket: a cut at byte 0 still answers. */
function headersSent(res: ServerResponse): Promise<void> {
  res.flushHeaders();
  return new Promise((resolve) => (res.socket ? res.socket.write(Buffer.alloc(0), () => resolve()) : resolve()));
}
