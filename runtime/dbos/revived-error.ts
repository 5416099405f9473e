/**
 * The error a failed durable run recorded, as a caller reading the run by id gets it back. DBOS
 * stores a workflow's error as JSON (name, message, stack, own fields) and gives it back as a
 * plain Error, whose class and `isInstance` brand are lost: a run read through `durable.handle(id)`
 * or a DBOSClient would throw an `Error` named `ModelHTTPError` that `ModelHTTPError.isInstance`
 * refuses, while the process that started it got the real one. Schemantic's own error classes are
 * made again from the record, so both read the same error.
 */
import {
  ModelAPIError,
  ModelHTTPError,
  SchemanticError,
  UnexpectedModelBehavior,
  UnsupportedContentError,
  UsageLimitExceeded,
  UserError,
} from '../contract/errors.js';
import { MessageHistoryError } from '../contract/messages-json.js';
import { PausedRunError } from '../agent/paused-run.js';
import { ContractChangedError } from '../agent/resume-check.js';
import { FallbackExhaustedError } from '../models/fallback-model.js';
import { ToolReturnError } from '../run/run-tool.js';

/**
 * The classes revived, by name: the errors of the `schemantic` entry point a run can end with.
 * Only these names: a handler's own error class of the same name is not Schemantic's to claim.
 */
const REVIVED: readonly (abstract new (...args: never[]) => SchemanticError)[] = [
  UserError,
  UnsupportedContentError,
  MessageHistoryError,
  PausedRunError,
  ContractChangedError,
  ToolReturnError,
  UnexpectedModelBehavior,
  UsageLimitExceeded,
  ModelAPIError,
  ModelHTTPError,
  FallbackExhaustedError,
];

/**
 * `error` as its class made it, when DBOS gave back the record of one of Schemantic's errors: the
 * same class (`isInstance`, `instanceof`), message, stack, cause and fields (`status`, `body`,
 * `changes`...). Anything else (already typed, a handler's own error, DBOS's) is returned as it is.
 */
export function revivedError(error: unknown): unknown {
  if (!(error instanceof Error) || SchemanticError.isInstance(error)) return error;
  const type = REVIVED.find((t) => t.name === error.name);
  if (!type) return error;
  // SchemanticError's constructor with the class as new.target: the name and the brand of `type`,
  // without its own constructor, whose parameters the record does not hold; its fields are copied.
  const options = error.cause === undefined ? [] : [{ cause: error.cause }];
  const revived = Reflect.construct(SchemanticError, [error.message, ...options], type) as SchemanticError;
  for (const [key, value] of Object.entries(error)) if (key !== 'name' && key !== 'message') Object.assign(revived, { [key]: value });
  if (error.stack !== undefined) revived.stack = error.stack;
  return revived;
}
