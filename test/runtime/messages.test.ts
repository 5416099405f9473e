import { describe, expect, it } from 'vitest';
import { MessageHistoryError, messagesToJson, parseMessages, type ModelMessage } from 'schemantic';

const history: ModelMessage[] = [
  {
    kind: 'request',
    parts: [
      { kind: 'system-prompt', content: 'Be brief.', timestamp: '2026-01-01T00:00:00.000Z' },
      { kind: 'system-prompt', content: 'Today is Monday.', dynamicRef: 'today', timestamp: '2026-01-01T00:00:00.000Z' },
      {
        kind: 'user-prompt',
        content: [
          'What is in these?',
          { kind: 'image-url', url: 'https://example.com/a.png', mediaType: 'image/png' },
          { kind: 'document-url', url: 'https://example.com/a.pdf' },
          { kind: 'binary', data: Buffer.from([0, 1, 2, 255]).toString('base64'), mediaType: 'application/octet-stream', identifier: 'blob' },
        ],
        timestamp: '2026-01-01T00:00:01.000Z',
      },
    ],
  },
  {
    kind: 'response',
    parts: [
      { kind: 'thinking', content: 'Look first.', signature: 'sig==', provider: 'anthropic' },
      { kind: 'thinking', content: 'opaque', redacted: true, provider: 'anthropic' },
      { kind: 'text', content: 'Let me look.' },
      { kind: 'tool-call', toolName: 'look', args: '{"at": "a"}', toolCallId: 'c1' },
      { kind: 'tool-call', toolName: 'look', args: { at: 'b' }, toolCallId: 'c2' },
    ],
    modelName: 'claude-sonnet-4-5',
    timestamp: '2026-01-01T00:00:02.000Z',
    usage: { inputTokens: 120, outputTokens: 30, details: { cacheReadTokens: 100 } },
    finishReason: 'tool-call',
    providerResponseId: 'msg_1',
    providerDetails: { stopSequence: null },
  },
  {
    kind: 'request',
    parts: [
      {
        kind: 'tool-return',
        toolName: 'look',
        toolCallId: 'c1',
        content: { seen: ['cat'], n: 1.5, ok: true, none: null },
        timestamp: '2026-01-01T00:00:03.000Z',
      },
      {
        kind: 'retry-prompt',
        content: [{ path: '/at', message: 'must be one of "a", "b"' }],
        toolName: 'look',
        toolCallId: 'c2',
        timestamp: '2026-01-01T00:00:03.000Z',
      },
      { kind: 'retry-prompt', content: 'Please answer in text.', timestamp: '2026-01-01T00:00:03.000Z' },
    ],
  },
  {
    kind: 'response',
    parts: [{ kind: 'text', content: 'A cat.' }],
    modelName: 'test',
    timestamp: '2026-01-01T00:00:04.000Z',
    usage: { inputTokens: 1, outputTokens: 2 },
    interrupted: true,
  },
];

describe('message histories as JSON', () => {
  it('round-trip losslessly, every part kind included', () => {
    const json = messagesToJson(history);
    expect(JSON.parse(json).version).toBe(1);
    expect(parseMessages(json)).toEqual(history);
    expect(parseMessages(JSON.parse(json))).toEqual(history);
    expect(messagesToJson(parseMessages(json))).toBe(json);
  });

  it('accept a bare array of messages as version 1', () => {
    expect(parseMessages(JSON.stringify(history))).toEqual(history);
  });

  it.each([
    ['not JSON', '{"version": 1, "messages": [', 'malformed message history: not JSON'],
    ['a wrong version', JSON.stringify({ version: 2, messages: [] }), 'malformed message history at version: must be equal to constant'],
    [
      'a missing field, deep inside',
      JSON.stringify({ version: 1, messages: [history[0], { ...history[1], parts: [{ kind: 'tool-call', toolName: 'look', args: '{}' }] }] }),
      "malformed message history at messages[1].parts[0]: must have required property 'toolCallId'",
    ],
    [
      'a wrong type',
      JSON.stringify({ version: 1, messages: [{ kind: 'response', parts: [], modelName: 'm', timestamp: 't', usage: { inputTokens: -1, outputTokens: 0 } }] }),
      'malformed message history at messages[0].usage.inputTokens: must be >= 0',
    ],
    [
      'an unknown part kind',
      JSON.stringify({ version: 1, messages: [{ kind: 'request', parts: [{ kind: 'shout', content: 'hi', timestamp: 't' }] }] }),
      'malformed message history at messages[0].parts[0].kind: must be equal to one of the allowed values',
    ],
    [
      'an unknown field',
      JSON.stringify({ version: 1, messages: [{ kind: 'request', parts: [], apiKey: 'sk-x' }] }),
      'malformed message history at messages[0]: unknown field "apiKey"',
    ],
  ])('reject %s and say where', (_name, json, message) => {
    expect(() => parseMessages(json)).toThrow(MessageHistoryError);
    expect(() => parseMessages(json)).toThrow(message);
  });
});
