/**
 * Which failures of a run are the transport's (worth another attempt) rather than the agent's:
 * a connection that failed, a timeout, a rate limit, an overloaded or failing server.
 */
import { ModelAPIError, ModelHTTPError } from '../contract/errors.js';

/** HTTP statuses that say "try again later" rather than "this request is wrong". */
const RETRIED_STATUSES = new Set([408, 409, 425, 429]);

/** Whether `error` is a transport failure another attempt may not meet. */
export function isTransportError(error: unknown): boolean {
  if (error instanceof ModelHTTPError) return RETRIED_STATUSES.has(error.status) || error.status >= 500;
  return error instanceof ModelAPIError;
}
