/**
 * The one error the weather example's API clients throw: it names the service and says what went
 * wrong (the network, an HTTP status, or a body that is not the documented shape), and it never
 * carries the API key - not in its message, not in the URL it shows, not in the service's own error
 * text it quotes (some services echo the request back).
 */

/** What went wrong talking to a service. */
export type ApiErrorReason = 'network' | 'timeout' | 'http' | 'malformed';

/** A failed call to the geocoding or the weather API. */
export class ApiError extends Error {
  /** The service, as a person would name it (`geocode.maps.co`, `Tomorrow.io`). */
  readonly service: string;
  readonly reason: ApiErrorReason;
  /** The HTTP status, for `http` errors. */
  readonly status: number | undefined;
  /** What the service said about it in its error body, in a line (key redacted), for `http` errors. */
  readonly detail: string | undefined;

  constructor(service: string, reason: ApiErrorReason, message: string, options: { status?: number; detail?: string } = {}) {
    super(`${service}: ${message}`);
    this.name = 'ApiError';
    this.service = service;
    this.reason = reason;
    this.status = options.status;
    this.detail = options.detail;
  }
}

/**
 * `text` with every occurrence of `secret` (as written, and URL-encoded as it sits in a query
 * string) replaced by `***`. Without a secret the text is returned as is.
 */
export function redact(text: string, secret: string | undefined): string {
  if (!secret) return text;
  const forms = new Set([secret, encodeURIComponent(secret), new URLSearchParams({ k: secret }).toString().slice(2)]);
  let out = text;
  for (const form of forms) out = out.split(form).join('***');
  return out;
}
