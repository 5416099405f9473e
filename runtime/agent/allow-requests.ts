/**
 * A switch that stops every real model request: for test suites, which should never reach a
 * provider by accident. As in the reference, the provider adapters ask it before each request
 * (through their shared SDK client), so test models (TestModel, FunctionModel) and models a user
 * writes are not affected, and the Model interface needs no flag for it.
 */
import { UserError } from '../contract/errors.js';

let allowed: boolean | undefined;

/** The environment variable that disallows model requests when set to `false` or `0`. */
export const ALLOW_MODEL_REQUESTS_ENV = 'SCHEMANTIC_ALLOW_MODEL_REQUESTS';

/** Allows or disallows requests to non-test models, for the whole process. */
export function setAllowModelRequests(value: boolean): void {
  allowed = value;
}

/** Whether non-test models may be called: the last setAllowModelRequests, else the environment. */
export function modelRequestsAllowed(): boolean {
  if (allowed !== undefined) return allowed;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[ALLOW_MODEL_REQUESTS_ENV]?.trim().toLowerCase();
  return !(env === 'false' || env === '0' || env === 'no');
}

/** Throws before a request to a provider's model when requests are disallowed. */
export function assertModelRequestAllowed(system: string, modelName: string): void {
  if (modelRequestsAllowed()) return;
  throw new UserError(
    `model requests are disallowed (setAllowModelRequests(false) or ${ALLOW_MODEL_REQUESTS_ENV}=false): refusing to call ${system}:${modelName}`,
  );
}
