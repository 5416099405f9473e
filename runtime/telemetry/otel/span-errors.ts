/**
 * An error on a span: status ERROR, `error.type`, and an `exception` event, each message and stack
 * redacted (an error a tool handler throws may quote anything, a key included).
 */
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { redactText } from '../../contract/redact.js';
import { errorType } from './genai-attributes.js';
import { describe } from './genai-messages.js';

/** Records `error` on `span`; `type` overrides the error's class name for `error.type`. */
export function recordError(span: Span, error: unknown, type = errorType(error)): void {
  const message = redactText(error instanceof Error ? error.message : error === undefined ? 'failed' : describe(error));
  const stack = error instanceof Error && error.stack !== undefined ? redactText(error.stack) : undefined;
  span.recordException({ name: type, message, ...(stack !== undefined ? { stack } : {}) });
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.setAttribute('error.type', type);
}

/** Records a cancellation: status ERROR, `error.type` `cancelled`, the reason in the status message. */
export function recordCancelled(span: Span, reason: unknown): void {
  const why = reason instanceof Error ? reason.message : reason === undefined ? '' : describe(reason);
  span.setStatus({ code: SpanStatusCode.ERROR, message: redactText(why === '' ? 'cancelled' : `cancelled: ${why}`) });
  span.setAttribute('error.type', 'cancelled');
}
