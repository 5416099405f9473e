/**
 * One GET to a JSON API over `fetch`, shared by the geocoding and weather clients: a time limit,
 * a cap on the body's size, HTTP errors and unparseable bodies turned into an {@link ApiError} that
 * names the service and quotes what it said, with the API key redacted everywhere.
 */
import { ApiError, redact } from './api-error.js';

/** The largest body read (bytes): both APIs answer in a few kilobytes; a bigger body is not theirs. */
export const MAX_BODY_BYTES = 1_000_000;

/** What {@link requestJson} needs. */
export interface JsonRequest {
  /** The service's name, for errors. */
  readonly service: string;
  /** The URL to GET, query string (API key included) and all. */
  readonly url: URL;
  /** The API key in the URL, redacted from every error. */
  readonly secret: string | undefined;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  /** The run's signal: cancelling the run cancels the call. */
  readonly signal?: AbortSignal | undefined;
}

/** GETs `request.url` and parses the body as JSON; throws {@link ApiError} on any failure. */
export async function requestJson(request: JsonRequest): Promise<unknown> {
  const { service, secret } = request;
  const shown = redact(request.url.toString(), secret);
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await request.fetch(request.url, { method: 'GET', headers: { accept: 'application/json' }, signal });
    text = await readCapped(response);
  } catch (err) {
    if (err instanceof BodyTooLarge) throw new ApiError(service, 'malformed', `${err.message} (GET ${shown})`);
    if (request.signal?.aborted) throw request.signal.reason;
    if (timeout.aborted) throw new ApiError(service, 'timeout', `no answer within ${request.timeoutMs} ms (GET ${shown})`);
    // The cause is left out on purpose: a network error's cause can hold the URL, key included.
    throw new ApiError(service, 'network', `could not reach the service (GET ${shown}): ${redact(messageOf(err), secret)}`);
  }
  // Redacted before anything quotes it: a quote is shortened, and a key cut in two would not be found.
  text = redact(text, secret);
  if (!response.ok) {
    const said = redact(serviceMessage(text), secret);
    // The reason phrase is the server's text too.
    const status = `HTTP ${response.status}${response.statusText ? ` ${redact(response.statusText, secret)}` : ''}`;
    throw new ApiError(service, 'http', `${status} for GET ${shown}${said ? `: ${said}` : ''}`, { status: response.status, detail: said });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(service, 'malformed', `the answer to GET ${shown} is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
}

/** A body too big to be an answer of these APIs (turned into an ApiError naming the service). */
class BodyTooLarge extends Error {}

/** The body as text, refusing one past {@link MAX_BODY_BYTES} without reading it all. */
async function readCapped(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) {
    await response.body?.cancel();
    throw new BodyTooLarge(`the body is ${declared} bytes, more than the ${MAX_BODY_BYTES} this client reads`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new BodyTooLarge(`the body is more than the ${MAX_BODY_BYTES} bytes this client reads`);
    }
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * What an error body says, in a line: Tomorrow.io answers `{ code, type, message }`, geocode.maps.co
 * plain text or `{ error }`; anything else is quoted, shortened.
 */
function serviceMessage(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    const body = JSON.parse(trimmed) as unknown;
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      const { type, message, error } = body as Record<string, unknown>;
      const parts = [type, message, error].filter((p): p is string => typeof p === 'string' && p !== '');
      if (parts.length > 0) return shorten(parts.join(': '));
    }
  } catch {
    // Not JSON: quote the text itself.
  }
  return shorten(trimmed);
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.cause instanceof Error ? `${err.message} (${err.cause.message})` : err.message;
  return String(err);
}
