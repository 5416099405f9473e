/**
 * Message histories as JSON: the versioned JSON Schema of the format, serialising, and parsing
 * with a precise error for a malformed history.
 */
import { createRequire } from 'node:module';
import { UserError } from './errors.js';
import { fromPointer } from './json-pointer.js';
import { MESSAGES_FORMAT_VERSION, type ModelMessage } from './messages.js';

const timestamp = { type: 'string', minLength: 1 } as const;
const text = { type: 'string' } as const;

/** The JSON Schema (draft 2020-12) of a serialised history. */
export const MESSAGES_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://schemantic.dev/schemas/messages/v1.json',
  title: 'Schemantic message history',
  type: 'object',
  required: ['version', 'messages'],
  additionalProperties: false,
  properties: {
    version: { const: MESSAGES_FORMAT_VERSION },
    messages: { type: 'array', items: { $ref: '#/$defs/message' } },
  },
  $defs: {
    message: {
      type: 'object',
      required: ['kind'],
      properties: { kind: { enum: ['request', 'response'] } },
      if: { properties: { kind: { const: 'request' } } },
      then: { $ref: '#/$defs/request' },
      else: { $ref: '#/$defs/response' },
    },
    request: {
      type: 'object',
      required: ['kind', 'parts'],
      additionalProperties: false,
      properties: { kind: { const: 'request' }, parts: { type: 'array', items: { $ref: '#/$defs/requestPart' } } },
    },
    requestPart: {
      type: 'object',
      required: ['kind'],
      properties: { kind: { enum: ['system-prompt', 'user-prompt', 'tool-return', 'retry-prompt'] } },
      allOf: [
        { if: { properties: { kind: { const: 'system-prompt' } } }, then: { $ref: '#/$defs/systemPrompt' } },
        { if: { properties: { kind: { const: 'user-prompt' } } }, then: { $ref: '#/$defs/userPrompt' } },
        { if: { properties: { kind: { const: 'tool-return' } } }, then: { $ref: '#/$defs/toolReturn' } },
        { if: { properties: { kind: { const: 'retry-prompt' } } }, then: { $ref: '#/$defs/retryPrompt' } },
      ],
    },
    systemPrompt: {
      type: 'object',
      required: ['kind', 'content', 'timestamp'],
      additionalProperties: false,
      properties: { kind: { const: 'system-prompt' }, content: text, dynamicRef: text, timestamp },
    },
    userPrompt: {
      type: 'object',
      required: ['kind', 'content', 'timestamp'],
      additionalProperties: false,
      properties: {
        kind: { const: 'user-prompt' },
        content: { anyOf: [text, { type: 'array', items: { $ref: '#/$defs/userContent' } }] },
        timestamp,
      },
    },
    userContent: {
      anyOf: [
        text,
        { type: 'object', required: ['kind', 'url'], additionalProperties: false, properties: { kind: { const: 'image-url' }, url: text, mediaType: text } },
        { type: 'object', required: ['kind', 'url'], additionalProperties: false, properties: { kind: { const: 'document-url' }, url: text, mediaType: text } },
        {
          type: 'object',
          required: ['kind', 'data', 'mediaType'],
          additionalProperties: false,
          properties: { kind: { const: 'binary' }, data: { type: 'string', contentEncoding: 'base64' }, mediaType: text, identifier: text },
        },
      ],
    },
    toolReturn: {
      type: 'object',
      required: ['kind', 'toolName', 'toolCallId', 'timestamp'],
      additionalProperties: false,
      properties: { kind: { const: 'tool-return' }, toolName: text, toolCallId: text, content: true, timestamp },
    },
    retryPrompt: {
      type: 'object',
      required: ['kind', 'content', 'timestamp'],
      additionalProperties: false,
      properties: {
        kind: { const: 'retry-prompt' },
        content: {
          anyOf: [
            text,
            { type: 'array', items: { type: 'object', required: ['path', 'message'], additionalProperties: false, properties: { path: text, message: text } } },
          ],
        },
        toolName: text,
        toolCallId: text,
        timestamp,
      },
    },
    response: {
      type: 'object',
      required: ['kind', 'parts', 'modelName', 'timestamp', 'usage'],
      additionalProperties: false,
      properties: {
        kind: { const: 'response' },
        parts: { type: 'array', items: { $ref: '#/$defs/responsePart' } },
        modelName: text,
        timestamp,
        usage: {
          type: 'object',
          required: ['inputTokens', 'outputTokens'],
          additionalProperties: false,
          properties: {
            inputTokens: { type: 'integer', minimum: 0 },
            outputTokens: { type: 'integer', minimum: 0 },
            details: { type: 'object', additionalProperties: { type: 'number' } },
          },
        },
        finishReason: { enum: ['stop', 'length', 'tool-call', 'content-filter', 'error'] },
        providerResponseId: text,
        providerDetails: { type: 'object' },
        interrupted: { type: 'boolean' },
      },
    },
    responsePart: {
      type: 'object',
      required: ['kind'],
      properties: { kind: { enum: ['text', 'tool-call', 'thinking'] } },
      allOf: [
        {
          if: { properties: { kind: { const: 'text' } } },
          then: { type: 'object', required: ['kind', 'content'], additionalProperties: false, properties: { kind: true, content: text } },
        },
        {
          if: { properties: { kind: { const: 'tool-call' } } },
          then: {
            type: 'object',
            required: ['kind', 'toolName', 'args', 'toolCallId'],
            additionalProperties: false,
            properties: { kind: true, toolName: text, args: { anyOf: [text, { type: 'object' }] }, toolCallId: text },
          },
        },
        {
          if: { properties: { kind: { const: 'thinking' } } },
          then: {
            type: 'object',
            required: ['kind', 'content'],
            additionalProperties: false,
            properties: { kind: true, content: text, signature: text, redacted: { type: 'boolean' }, provider: text, id: text },
          },
        },
      ],
    },
  },
} as const;

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

/** Thrown for a history that is not valid: says where and why. */
export class MessageHistoryError extends UserError {}

type ValidateFn = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[] | null };
let validator: ValidateFn | undefined;

function historyValidator(): ValidateFn {
  if (!validator) {
    // Loaded on first use: most runs never parse a history, and Ajv costs tens of milliseconds.
    const require = createRequire(import.meta.url);
    const Ajv2020 = (require('ajv/dist/2020') as { default: new (options: object) => { compile(schema: object): ValidateFn } }).default;
    validator = new Ajv2020({ allErrors: true, strict: false }).compile(MESSAGES_JSON_SCHEMA);
  }
  return validator;
}

/**
 * Parses a serialised history (a JSON string, or already-parsed data; a bare array of messages is
 * accepted as version 1). Throws {@link MessageHistoryError} naming the first offending location.
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
  const detail = first.keyword === 'additionalProperties' ? `unknown field "${String(first.params['additionalProperty'])}"` : first.message ?? first.keyword;
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
