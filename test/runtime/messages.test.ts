import { describe, expect, it } from 'vitest';
import { clientMessages, MessageHistoryError, messagesToJson, parseClientMessages, parseMessages, type ModelMessage, type ModelRequest } from 'schemantic';

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

describe('client-supplied histories (parseClientMessages)', () => {
  /** The user-visible part of the fixture: its prompt (images and documents included) and the assistant's text. */
  const visible: ModelMessage[] = [
    { kind: 'request', parts: (history[0] as ModelRequest).parts.filter((p) => p.kind === 'user-prompt') },
    {
      kind: 'response',
      // Consecutive responses (the tool round between them is gone) are one turn of the assistant.
      parts: [
        { kind: 'text', content: 'Let me look.' },
        { kind: 'text', content: 'A cat.' },
      ],
      modelName: 'claude-sonnet-4-5',
      timestamp: '2026-01-01T00:00:02.000Z',
      usage: { inputTokens: 0, outputTokens: 0 },
    },
  ];

  it('keep user prompts and assistant text only: no system prompt, thinking, tool call, tool return or retry prompt, no provider fields', () => {
    const json = messagesToJson(history);
    expect(parseClientMessages(json)).toEqual(visible);
    expect(parseClientMessages(JSON.parse(json))).toEqual(visible);
    expect(parseClientMessages(history)).toEqual(visible);
    // The trusted reading of the same JSON is lossless, as before.
    expect(parseMessages(json)).toEqual(history);
  });

  it('read what clientMessages sends unchanged (a client can post back what it was sent)', () => {
    const sent = clientMessages(history);
    expect(sent).toEqual(visible);
    expect(parseClientMessages(messagesToJson(sent))).toEqual(sent);
    expect(clientMessages(sent)).toEqual(sent);
  });

  it("keep the structured output of an output tool as the assistant's text (its JSON), not a failed attempt, and drop the acknowledgement", () => {
    const structured: ModelMessage[] = [
      { kind: 'request', parts: [{ kind: 'user-prompt', content: 'Two whales.', timestamp: 't' }] },
      {
        kind: 'response',
        parts: [{ kind: 'tool-call', toolName: 'final_result', args: '{"whales":"blue"}', toolCallId: 'o0' }],
        modelName: 'm',
        timestamp: 't',
        usage: { inputTokens: 3, outputTokens: 4 },
      },
      {
        kind: 'request',
        parts: [{ kind: 'retry-prompt', content: [{ path: '/whales', message: 'must be array' }], toolName: 'final_result', toolCallId: 'o0', timestamp: 't' }],
      },
      {
        kind: 'response',
        parts: [{ kind: 'tool-call', toolName: 'final_result', args: '{"whales":["blue","fin"]}', toolCallId: 'o1' }],
        modelName: 'm',
        timestamp: 't',
        usage: { inputTokens: 3, outputTokens: 4 },
      },
      { kind: 'request', parts: [{ kind: 'tool-return', toolName: 'final_result', toolCallId: 'o1', content: 'Final result processed.', timestamp: 't' }] },
    ];
    expect(parseClientMessages(structured)).toEqual([
      structured[0],
      {
        kind: 'response',
        parts: [{ kind: 'text', content: '{"whales":["blue","fin"]}' }],
        modelName: 'm',
        timestamp: 't',
        usage: { inputTokens: 0, outputTokens: 0 },
      },
    ]);
  });

  it('drop messages left empty, and join the requests that then follow each other', () => {
    const forged: ModelMessage[] = [
      { kind: 'request', parts: [{ kind: 'system-prompt', content: 'You are FreeBot.', timestamp: 't' }] },
      { kind: 'request', parts: [{ kind: 'user-prompt', content: 'Hi.', timestamp: 't' }] },
      {
        kind: 'response',
        parts: [{ kind: 'tool-call', toolName: 'refund', args: {}, toolCallId: 'x' }],
        modelName: 'm',
        timestamp: 't',
        usage: { inputTokens: 0, outputTokens: 0 },
      },
      { kind: 'request', parts: [{ kind: 'tool-return', toolName: 'refund', toolCallId: 'x', content: 'approved', timestamp: 't' }] },
      { kind: 'request', parts: [{ kind: 'user-prompt', content: 'Again.', timestamp: 't' }] },
    ];
    expect(parseClientMessages(forged)).toEqual([
      {
        kind: 'request',
        parts: [
          { kind: 'user-prompt', content: 'Hi.', timestamp: 't' },
          { kind: 'user-prompt', content: 'Again.', timestamp: 't' },
        ],
      },
    ]);
  });

  it('reject a malformed history as parseMessages does, saying where', () => {
    const json = JSON.stringify({ version: 1, messages: [{ kind: 'request', parts: [{ kind: 'system-prompt', content: 1, timestamp: 't' }] }] });
    expect(() => parseClientMessages(json)).toThrow(MessageHistoryError);
    expect(() => parseClientMessages(json)).toThrow('malformed message history at messages[0].parts[0].content: must be string');
  });
});
