/**
 * The small HTTP server both stream pages run on (stream whales, stream markdown), with nothing but
 * node:http and Schemantic's SSE writer:
 *
 * - `GET /`: the page, with a Content-Security-Policy that lets only its own inline scripts (by
 *   hash) and same-origin files run: whatever a model writes into the page, an inline event
 *   handler or a `javascript:` link would not run even if it got past the page's sanitising.
 * - `GET /events?prompt=...`: the agent's run as Server-Sent Events (`writeEventStream`):
 *   `part-*` events, `partial-output` for a structured output as it fills in, `run-result`, `done`.
 * - the page's files (`assets`), from disk, at fixed routes.
 *
 * A prompt that is missing, blank or longer than {@link MAX_PROMPT_CHARS} gets a 400 with a message
 * saying what is wrong, a run asked for by another site's page (`Sec-Fetch-Site`) a 403, an unknown
 * route a 404, all as JSON `{ "error": "..." }`.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentRunEvent } from 'schemantic';
import { failRequest, HttpError } from '../http/http-error.js';
import { hostRefusal } from '../http/local-host.js';
import { writeEventStream } from 'schemantic/http/node';

/** The longest prompt accepted (a question, not a document: it also bounds what a run costs). */
export const MAX_PROMPT_CHARS = 2000;

/**
 * The request head the server reads: the prompt travels in the URL, where a character takes up to
 * nine bytes (`語` is `%E8%AA%9E`), so Node's default of 16 KiB would refuse a prompt within the
 * limit with a bare 431; the rest leaves room for the headers.
 */
const MAX_HEADER_BYTES = MAX_PROMPT_CHARS * 9 + 16 * 1024;

/** A file the page loads, served as it is on disk. */
export interface Asset {
  /** The file's path. */
  file: string;
  /** Its content type. */
  type: string;
}

/** What a stream page server serves. */
export interface StreamPageOptions {
  /** The page's HTML (`GET /`). */
  page: string;
  /** Starts a run of the agent for `prompt`; `signal` aborts when the client goes away. */
  run: (prompt: string, signal: AbortSignal) => AsyncIterable<AgentRunEvent<unknown>>;
  /** Files the page loads, by route (`/vendor/marked.esm.js`). */
  assets?: Readonly<Record<string, Asset>>;
  /** The least time between two `partial-output` events sent (see `writeEventStream`; default 100 ms). */
  partialOutputMs?: number | false;
}

/** The prompt of `GET /events`, checked: present, not blank, not too long. */
export function promptOf(url: URL): string {
  const prompt = url.searchParams.get('prompt')?.trim();
  if (!prompt) throw new HttpError(400, 'the query needs a prompt: /events?prompt=...');
  if (prompt.length > MAX_PROMPT_CHARS) throw new HttpError(400, `the prompt is ${prompt.length} characters long; at most ${MAX_PROMPT_CHARS} are accepted`);
  return prompt;
}

/**
 * A Content-Security-Policy for `html`: scripts only from this origin or inline ones of `html`
 * itself (each allowed by its hash, so an inline handler or a script injected later is refused).
 */
export function contentSecurityPolicy(html: string): string {
  const hashes = [...html.matchAll(/<script\b[^>]*>([^]*?)<\/script>/g)]
    .filter((m) => m[1]!.trim() !== '')
    .map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The server, not yet listening. */
export function createStreamPageServer(options: StreamPageOptions): Server {
  const policy = contentSecurityPolicy(options.page);
  return createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    handle(req, res, options, policy).catch((err: unknown) => failRequest(res, err));
  });
}

/** Listens on 127.0.0.1 (port 0: any free port); resolves with the server and its URL. */
export async function listenLocally(server: Server, port: number): Promise<{ server: Server; url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Routes a request. */
async function handle(req: IncomingMessage, res: ServerResponse, options: StreamPageOptions, policy: string): Promise<void> {
  const refused = hostRefusal(req.headers.host);
  if (refused) throw new HttpError(403, refused);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const asset = Object.hasOwn(options.assets ?? {}, url.pathname) ? options.assets![url.pathname] : undefined;
  const known = url.pathname === '/' || url.pathname === '/events' || url.pathname === '/favicon.ico' || asset !== undefined;
  if (!known) throw new HttpError(404, `no route ${url.pathname}: the page is at /, its runs at /events?prompt=...`);
  if (req.method !== 'GET') throw new HttpError(405, `${req.method} is not allowed on ${url.pathname}`);
  if (url.pathname === '/') {
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy, 'x-content-type-options': 'nosniff' })
      .end(options.page);
  } else if (url.pathname === '/favicon.ico') {
    // No icon: answered so that the browser logs no failed request.
    res.writeHead(204).end();
  } else if (asset) {
    const body = await readFile(asset.file);
    res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'max-age=3600', 'x-content-type-options': 'nosniff' }).end(body);
  } else {
    // A run costs tokens: another site's page (an iframe, a no-cors fetch) must not start one. Browsers
    // say where a request comes from; a client that does not (curl, a test) is no web page.
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none')
      throw new HttpError(403, "runs start only from this server's own page (the request came from another site)");
    const prompt = promptOf(url);
    await writeEventStream(
      res,
      (signal) => options.run(prompt, signal),
      options.partialOutputMs === undefined ? {} : { partialOutputMs: options.partialOutputMs },
    );
  }
}
