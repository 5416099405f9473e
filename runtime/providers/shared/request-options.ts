/**
 * Per-request options of the SDK calls, from a model's options and the run's settings: the
 * signal, retries and the timeout go with every request, so they hold for an injected client too.
 */
import type { ModelSettings } from '../../contract/spec.js';
import type { ConnectionOptions } from './provider-profile.js';

/** The SDKs' default: how long an attempt may wait for the response to begin. */
const DEFAULT_TIMEOUT_MS = 600_000;

/** The retry and timeout options of a model's options. */
export function retryOptions(options: ConnectionOptions): { maxRetries?: number; timeoutMs?: number } {
  return {
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };
}

/** What a client is made with (the key stays in the client's private state, never on the model). */
export function connectOptions(options: ConnectionOptions): ConnectionOptions {
  return { ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}), ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : {}) };
}

/** The timeout of a request: the run's `timeout` setting (seconds), else the model's. */
function timeoutMs(settings: ModelSettings | undefined, retries: { timeoutMs?: number }): number | undefined {
  return settings?.timeout !== undefined ? Math.round(settings.timeout * 1000) : retries.timeoutMs;
}

/** The options of one SDK request. */
export function requestOptions(
  settings: ModelSettings | undefined,
  signal: AbortSignal | undefined,
  retries: { maxRetries?: number; timeoutMs?: number },
): { signal?: AbortSignal; timeout?: number; maxRetries?: number; headers?: Record<string, string> } {
  const timeout = timeoutMs(settings, retries);
  return {
    ...(signal ? { signal } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(retries.maxRetries !== undefined ? { maxRetries: retries.maxRetries } : {}),
    // Both SDKs merge per-request headers over their defaults, the same for a client given or made.
    ...(settings?.extraHeaders !== undefined ? { headers: { ...settings.extraHeaders } } : {}),
  };
}

/** How long a stream may go without an event. */
export function idleTimeout(settings: ModelSettings | undefined, retries: { timeoutMs?: number }): number {
  return timeoutMs(settings, retries) ?? DEFAULT_TIMEOUT_MS;
}
