/**
 * Settings a provider cannot honour. An unsupported setting is not an error (the run can go on
 * without it) but must not pass silently either: it comes back on the response (`warnings`, kept
 * in the history, shown by run events) and is reported once per provider and setting through
 * Node's warning channel where there is one (`process.on('warning')`, `--no-warnings`).
 */
import type { ModelResponse } from '../../contract/messages.js';
import type { ModelStreamEvent } from '../../contract/stream-events.js';

const warned = new Set<string>();

interface Host {
  process?: { emitWarning?: (message: string, options: { code: string }) => void };
}

/** Records in `into` that `provider` cannot honour `what`, and warns the process once. */
export function warnUnsupported(provider: string, what: string, into: string[]): void {
  const message = `${provider} does not support ${what}; it is ignored`;
  if (!into.includes(message)) into.push(message);
  const key = `${provider}\0${what}`;
  if (warned.has(key)) return;
  warned.add(key);
  (globalThis as Host).process?.emitWarning?.(message, { code: 'SCHEMANTIC_UNSUPPORTED_SETTING' });
}

/** The response with the request's warnings on it. */
export function withWarnings(response: ModelResponse, warnings: readonly string[]): ModelResponse {
  return warnings.length > 0 ? { ...response, warnings: [...(response.warnings ?? []), ...warnings] } : response;
}

/** The stream's events, the request's warnings put on its finish event. */
export async function* streamWithWarnings(events: AsyncIterable<ModelStreamEvent>, warnings: readonly string[]): AsyncIterable<ModelStreamEvent> {
  for await (const event of events)
    yield event.kind === 'finish' && warnings.length > 0 ? { ...event, warnings: [...(event.warnings ?? []), ...warnings] } : event;
}
