/**
 * What an SDK call can throw, as Schemantic's errors. Both official SDKs (OpenAI, Anthropic) raise
 * the same family of errors: an HTTP error with `status` and the parsed `error` body, connection
 * failures and timeouts, and an abort error. They are recognised by shape and class name, so this
 * module needs neither SDK.
 *
 * Secrets never survive the translation: the body and message are scrubbed of the API key in use
 * and of anything shaped like a key (providers echo a masked key in 401 bodies), and neither the
 * SDK error (which holds response headers) nor its cause is attached.
 */
import { ModelAPIError, ModelHTTPError, SchemanticError } from '../../contract/errors.js';

/** Key-shaped strings: `sk-...`, `sk-ant-...`, `sk-proj-...`, and masked forms with `*`. */
const KEY_SHAPED = /\b(?:sk|pk|rk)-[A-Za-z0-9_*-]{6,}/g;

/** Replaces every secret (and anything key-shaped) in a string. */
function redactString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out.replace(KEY_SHAPED, '[redacted]');
}

/** A deep copy of JSON-like data with every string redacted. */
function redact(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactString(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, k, { value: redact(v, secrets), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** Which SDK raised an error: they keep different parts of an error body. */
export type ErrorShape = 'openai' | 'anthropic';

/**
 * The provider's error body, whole: the raw body when the client was made here (it keeps it),
 * else what the SDK kept (OpenAI's SDK keeps only the `error` member: it is put back in one).
 */
function errorBody(err: Error, shape: ErrorShape, raw: string | undefined): unknown {
  if (raw !== undefined && raw !== '') {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  const kept = (err as { error?: unknown }).error;
  if (kept === undefined || kept === null) return null;
  return shape === 'openai' ? { error: kept } : kept;
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.constructor.name || err.name : '';
}

/** The provider's own message in an error body (`{error: {message}}` or `{message}`), if any. */
function bodyMessage(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return typeof body === 'string' ? body : undefined;
  const nested = (body as { error?: unknown }).error;
  if (nested && typeof nested === 'object' && typeof (nested as { message?: unknown }).message === 'string') return (nested as { message: string }).message;
  const message = (body as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}

/**
 * Translates an error thrown by an SDK call (or while reading its stream). Returns what to throw:
 * the run's abort reason when the signal fired, a ModelHTTPError for an HTTP error, a
 * ModelAPIError for a connection failure or timeout, and anything else unchanged.
 */
export function providerError(
  err: unknown,
  modelName: string,
  signal: AbortSignal | undefined,
  secrets: readonly string[],
  options: { duringStream?: boolean; shape: ErrorShape; rawBody?: string | undefined },
): unknown {
  if (signal?.aborted) return signal.reason;
  const name = errorName(err);
  if (name === 'APIUserAbortError') return new DOMException('The model request was aborted', 'AbortError');
  if (err instanceof Error && typeof (err as { status?: unknown }).status === 'number') {
    const status = (err as unknown as { status: number }).status;
    const body = redact(errorBody(err, options.shape, options.rawBody), secrets);
    const message = bodyMessage(body);
    return new ModelHTTPError(status, modelName, body, message !== undefined ? { message: redactString(message, secrets) } : {});
  }
  if (name === 'APIConnectionTimeoutError') return new ModelAPIError(modelName, `the request to model ${modelName} timed out`);
  if (name === 'APIConnectionError') {
    const cause = (err as Error & { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `: ${redactString(cause.message, secrets)}` : '';
    return new ModelAPIError(modelName, `the connection to model ${modelName} failed${detail}`);
  }
  // Reading a stream, the body itself can fail (`TypeError: terminated` when the socket closes).
  if (options.duringStream && err instanceof Error && !SchemanticError.isInstance(err)) {
    return new ModelAPIError(modelName, `the stream from model ${modelName} broke off: ${redactString(err.message, secrets)}`);
  }
  return err;
}
