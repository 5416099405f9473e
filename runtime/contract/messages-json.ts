/**
 * Message histories as JSON: serialising, and parsing with a precise error for a malformed history
 * (checked by a validator precompiled from messages-schema.ts, so parsing works where code cannot
 * be generated at run time, such as edge runtimes).
 */
import { UserError } from './errors.js';
import { fromPointer } from '../schema/json-pointer.js';
import { MESSAGES_FORMAT_VERSION, type ModelMessage } from './messages.js';
import { compileSchema } from '../schema/compile.js';
import type { Validator } from '../validators/validator.js';
import { MESSAGES_JSON_SCHEMA } from './messages-schema.js';
import { clientMessages } from './client-history.js';

/** A serialised history: the messages with the version of their format. */
export interface SerializedMessages {
  version: typeof MESSAGES_FORMAT_VERSION;
  messages: ModelMessage[];
}

/** Serialises messages (lossless: {@link parseMessages} gives back equal messages). */
export function messagesToJson(messages: readonly ModelMessage[]): string {
  const doc: SerializedMessages = { version: MESSAGES_FORMAT_VERSION, messages: [...messages] };
  return JSON.stringify(doc);
}

let precompiled: Validator<unknown> | undefined;

/**
 * The precompiled history validator (messages-validator.js) is large, so it stays off the core's
 * import path: its chunk starts loading as the core loads and is ready a moment later, and runs
 * wait for it (historyValidatorReady). Until then, in Node, the same schema is compiled with the
 * same options, so a script that parses a history on its first line gets the same answer.
 */
const loading: Promise<void> = import('./messages-validator.js').then(
  (module) => {
    precompiled = module.historyValidator();
  },
  () => undefined,
);

/** Resolves when the precompiled history validator is loaded (runs await it before parsing). */
export function historyValidatorReady(): Promise<void> {
  return loading;
}

function historyValidator(): Validator<unknown> {
  return precompiled ?? compileSchema(MESSAGES_JSON_SCHEMA, 'the message history schema');
}

/** Thrown for a history that is not valid: says where and why. */
export class MessageHistoryError extends UserError {}

/**
 * Parses a serialised history that your server wrote (`result.allMessagesJson()`, stored by
 * conversation id): a JSON string, or already-parsed data; a bare array of messages is accepted
 * as version 1. Throws {@link MessageHistoryError} naming the first offending location.
 *
 * **Trusted.** Every message is kept as it is (the inverse of {@link messagesToJson}, lossless):
 * system prompts, tool calls and what the tools returned reach the model as written (a run given
 * a history adds the current agent's instructions, not its system prompt again). A run's `messageHistory` given as a string is
 * read with this function, so it is trusted too. For a history that came from a client (a request
 * body, a browser's storage), use {@link parseClientMessages}.
 */
export function parseMessages(json: string | unknown): ModelMessage[] {
  let data: unknown = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (err) {
      throw new MessageHistoryError(`malformed message history: not JSON (${(err as Error).message})`);
    }
  }
  if (Array.isArray(data)) data = { version: MESSAGES_FORMAT_VERSION, messages: data };
  assertValidHistory(data);
  return (data as SerializedMessages).messages;
}

/**
 * Parses a history a client sent (a request body, a browser's storage), which it may have
 * written itself: validated as {@link parseMessages} validates (same errors), then reduced to what
 * a client may say, {@link clientMessages}: the user's prompts and the assistant's text. Never its
 * system prompts or instructions, tool calls, tool returns, retry prompts or thinking, which only
 * the server may write. What the SSE helpers send a client in `run-result` reads back unchanged.
 *
 * A run given such a history still sends the agent's instructions (they are the current
 * agent's, never read from a history), but not its system prompt, which it expects in a history.
 */
export function parseClientMessages(json: string | unknown): ModelMessage[] {
  return clientMessages(parseMessages(json));
}

/** Checks messages given as objects (for example a `messageHistory` option). */
export function validateMessages(messages: readonly unknown[]): ModelMessage[] {
  assertValidHistory({ version: MESSAGES_FORMAT_VERSION, messages });
  return messages as ModelMessage[];
}

function assertValidHistory(data: unknown): void {
  const validate = historyValidator();
  if (validate(data)) return;
  const errors = validate.errors ?? [];
  // The deepest error is the most specific: `if`/`then` wrappers report at a shallower level.
  const ranked = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf').sort((a, b) => depth(b.instancePath) - depth(a.instancePath));
  const first = ranked[0] ?? errors[0];
  if (!first) throw new MessageHistoryError('malformed message history');
  const detail = first.keyword === 'additionalProperties' ? `unknown field "${String(first.params['additionalProperty'])}"` : (first.message ?? first.keyword);
  const where = readablePath(first.instancePath);
  throw new MessageHistoryError(`malformed message history at ${where}: ${detail}`);
}

function depth(pointer: string): number {
  return pointer.split('/').length;
}

/** `/messages/3/parts/1/toolCallId` -> `messages[3].parts[1].toolCallId`. */
function readablePath(pointer: string): string {
  if (pointer === '') return 'the top level';
  return fromPointer(pointer).reduce((acc, segment) => (/^\d+$/.test(segment) ? `${acc}[${segment}]` : acc === '' ? segment : `${acc}.${segment}`), '');
}
