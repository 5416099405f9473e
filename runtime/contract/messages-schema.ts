/**
 * The JSON Schema of a serialised message history (`messagesToJson`), versioned with the format.
 * `npm run build:messages-validator` compiles it into messages-validator.js (a test keeps that current).
 */
import { MESSAGES_FORMAT_VERSION } from './messages.js';

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
      properties: { kind: { const: 'request' }, parts: { type: 'array', items: { $ref: '#/$defs/requestPart' } }, instructions: text },
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
        { type: 'object', required: ['kind', 'url'], additionalProperties: false, properties: { kind: { const: 'audio-url' }, url: text, mediaType: text } },
        { type: 'object', required: ['kind', 'url'], additionalProperties: false, properties: { kind: { const: 'video-url' }, url: text, mediaType: text } },
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
        warnings: { type: 'array', items: text },
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
