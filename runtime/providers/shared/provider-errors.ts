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
import { redactDeep, redactText } from '../../contract/redact.js';

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
 * An answer with status 200 that is not what the API promises (`{}`, `choices: null`, a tool call
 * without its function, or the provider's error object where the answer should be). An adapter's
 * mapping functions throw it, since they are what reads the shape; providerError turns it into a
 * ModelAPIError, scrubbed like every other error, so that a FallbackModel moves on.
 */
export class MalformedAnswer extends Error {
  /**
   * @param problem what is wrong, naming the field (`choices is not an array`).
   * @param providerMessage the provider's own message, when the answer is its error object.
   */
  constructor(
    readonly problem: string,
    readonly providerMessage?: string,
  ) {
    super(problem);
    this.name = 'MalformedAnswer';
  }

  /** The error a body that holds an error object (`{"error": {...}}`) stands for, if it holds one. */
  static errorIn(body: unknown): MalformedAnswer | undefined {
    if (body === null || typeof body !== 'object') return undefined;
    const error = (body as { error?: unknown }).error;
    if (error === undefined || error === null) return undefined;
    const message = typeof error === 'string' ? error : (bodyMessage(body) ?? bodyMessage(error));
    return new MalformedAnswer('an error object', message ?? 'no message');
  }
}

/** Whether a value is a plain object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Throws MalformedAnswer unless `value` is an object; `where` names it (`choices[0].message`). */
export function expectObject(value: unknown, where: string): asserts value is Record<string, unknown> {
  if (!isObject(value)) throw new MalformedAnswer(`${where} is not an object`);
}

/** Throws MalformedAnswer unless `value` is an array. */
export function expectArray(value: unknown, where: string): asserts value is unknown[] {
  if (!Array.isArray(value)) throw new MalformedAnswer(`${where} is not an array`);
}

/** Throws MalformedAnswer unless `value` is an array or absent (null, undefined). */
export function expectOptionalArray(value: unknown, where: string): asserts value is unknown[] | null | undefined {
  if (value !== undefined && value !== null) expectArray(value, where);
}

/** Throws MalformedAnswer unless `value` is a string, or absent (null, undefined). */
export function expectText(value: unknown, where: string): void {
  if (value !== undefined && value !== null && typeof value !== 'string') throw new MalformedAnswer(`${where} is not a string`);
}

/**
 * Translates an error thrown by an SDK call (or while reading its stream, or mapping its answer).
 * Returns what to throw: the run's abort reason when the signal fired, a ModelHTTPError for an
 * HTTP error, a ModelAPIError for a connection failure or timeout and for an answer that is not
 * one (malformed JSON, a malformed shape, an error object with status 200), and anything else
 * unchanged.
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
    const body = redactDeep(errorBody(err, options.shape, options.rawBody), secrets);
    const message = bodyMessage(body);
    return new ModelHTTPError(status, modelName, body, message !== undefined ? { message: redactText(message, secrets) } : {});
  }
  if (err instanceof MalformedAnswer) {
    return new ModelAPIError(
      modelName,
      err.providerMessage !== undefined
        ? `model ${modelName} answered with an error: ${redactText(err.providerMessage, secrets)}`
        : `model ${modelName} answered with a malformed response: ${err.problem}`,
    );
  }
  // The SDKs parse bodies and stream events with JSON.parse: a SyntaxError is the provider's text.
  if (err instanceof SyntaxError) return new ModelAPIError(modelName, `model ${modelName} answered with malformed JSON: ${redactText(err.message, secrets)}`);
  // An error object in a stream (OpenAI's `{"error": ...}` chunk, Anthropic's `event: error`): no status.
  if (name === 'APIError') {
    const kept = (err as { error?: unknown }).error;
    const message = bodyMessage(redactDeep(kept, secrets)) ?? redactText((err as Error).message, secrets);
    return new ModelAPIError(modelName, `model ${modelName} answered with an error: ${message}`);
  }
  if (name === 'APIConnectionTimeoutError') return new ModelAPIError(modelName, `the request to model ${modelName} timed out`);
  if (name === 'APIConnectionError') {
    const cause = (err as Error & { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `: ${redactText(cause.message, secrets)}` : '';
    return new ModelAPIError(modelName, `the connection to model ${modelName} failed${detail}`);
  }
  // Reading a stream, the body itself can fail (`TypeError: terminated` when the socket closes).
  if (options.duringStream && err instanceof Error && !SchemanticError.isInstance(err)) {
    return new ModelAPIError(modelName, `the stream from model ${modelName} broke off: ${redactText(err.message, secrets)}`);
  }
  return err;
}
