/**
 * What a call of the AWS SDK can throw, as Schemantic's errors. The AWS SDK is not of the family
 * the shared translation knows (OpenAI's and Anthropic's SDKs raise errors with `status` and
 * `error`): its service errors carry `$metadata.httpStatusCode`, the exception's name
 * (`ThrottlingException`, `ValidationException`, from the `x-amzn-errortype` header) and the
 * body's `message`; connection failures carry a Node error code. Those are translated here;
 * everything else (an abort, a malformed answer, a broken stream) goes on to the shared
 * translation, so both paths scrub secrets the same way.
 *
 * Credentials never survive: messages are redacted (the remembered secret key and session token
 * among them), and neither the SDK error (whose `$response` holds the response headers) nor its
 * cause is attached.
 */
import { ModelAPIError, ModelHTTPError, UserError } from '../../contract/errors.js';
import { redactText } from '../../contract/redact.js';
import { providerError } from '../shared/provider-errors.js';

/** Node error codes of a connection that failed or dropped. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ERR_HTTP2_ERROR']);

interface AwsErrorFields {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/**
 * Translates an error of a Bedrock call (or of reading its stream, or mapping its answer): a
 * ModelHTTPError for a service error (status, and a body of the exception's type and message), a
 * ModelAPIError for a connection failure or timeout, a UserError when the SDK found no region or
 * no credentials, and the shared translation for the rest.
 */
export function bedrockError(err: unknown, modelName: string, signal: AbortSignal | undefined, secrets: readonly string[], duringStream = false): unknown {
  if (signal?.aborted) return signal.reason;
  if (!(err instanceof Error)) return err;
  const fields = err as AwsErrorFields;
  const name = typeof fields.name === 'string' ? fields.name : '';
  const message = redactText(typeof fields.message === 'string' ? fields.message : '', secrets);
  const status = fields.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 300) {
    // Bedrock's error body is `{"message": ...}`; its type travels in a header, kept here as `type`
    // ("Unknown" when the service sent none, as the SDK names it).
    const body = { ...(name !== '' && name !== 'Unknown' ? { type: name } : {}), message };
    return new ModelHTTPError(status, modelName, body, message !== '' ? { message: name && name !== 'Unknown' ? `${name}: ${message}` : message } : {});
  }
  if (name === 'AbortError') return new DOMException('The model request was aborted', 'AbortError');
  if (name === 'CredentialsProviderError') return new UserError(`model bedrock:${modelName} found no AWS credentials: ${message}`);
  if (/region is missing/i.test(message)) return new UserError(`model bedrock:${modelName} needs an AWS region: set AWS_REGION, or pass region`);
  if (name === 'TimeoutError' || fields.code === 'ETIMEDOUT') return new ModelAPIError(modelName, `the request to model ${modelName} timed out`);
  if (typeof fields.code === 'string' && CONNECTION_CODES.has(fields.code)) {
    return new ModelAPIError(modelName, `the connection to model ${modelName} failed: ${message}`);
  }
  // An exception event inside a stream (throttlingException, modelStreamErrorException...) comes
  // with a name and no status: the service said what went wrong after the answer began.
  if (duringStream && /Exception$/.test(name)) return new ModelAPIError(modelName, `model ${modelName} answered with an error: ${name}: ${message}`);
  return providerError(err, modelName, signal, secrets, { shape: 'anthropic', duringStream });
}
