/**
 * Translation details the recordings do not cover: prompt parts of every kind (and the typed
 * error for one a provider cannot take), cache figures in usage, a conversation moving from
 * Anthropic to OpenAI, unsupported settings (a warning, once), and that no log or warning line
 * ever holds the key.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnsupportedContentError, type ModelMessage } from 'schemantic';
import { requestBody as anthropicBody } from '../../runtime/providers/anthropic/map-request.js';
import { requestBody as openaiBody } from '../../runtime/providers/openai/map-request.js';
import { openAICompatibleProfile } from '../../runtime/providers/openai/profiles.js';
import { anthropicModel, CANARY_KEY, noTools, openaiModel, userPrompt, withReplay } from './harness.js';

const openai = openAICompatibleProfile('openai')!;
const png = { kind: 'binary' as const, data: 'iVBORw0KGgo=', mediaType: 'image/png' };
const pdf = { kind: 'binary' as const, data: 'JVBERi0=', mediaType: 'application/pdf', identifier: 'report.pdf' };

describe('prompt parts', () => {
  it('OpenAI: text, images by URL and as bytes, PDFs as files; documents by URL not downloaded and other types are a typed error', () => {
    const body = openaiBody(
      'gpt-4o',
      openai,
      userPrompt(['Describe these.', { kind: 'image-url', url: 'https://example.com/a.png' }, png, pdf]),
      undefined,
      noTools,
    );
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Describe these.' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'report.pdf' } },
        ],
      },
    ]);
    expect(() => openaiBody('gpt-4o', openai, userPrompt([{ kind: 'document-url', url: 'https://example.com/a.pdf' }]), undefined, noTools)).toThrow(
      UnsupportedContentError,
    );
    expect(() => openaiBody('gpt-4o', openai, userPrompt([{ kind: 'binary', data: 'AA==', mediaType: 'application/zip' }]), undefined, noTools)).toThrow(
      'openai chat models take images, PDF and text files, not application/zip',
    );
  });

  it('Anthropic: images and PDFs by URL or as bytes, plain text documents; other types are a typed error', () => {
    const text = { kind: 'binary' as const, data: Buffer.from('hello').toString('base64'), mediaType: 'text/plain' };
    const body = anthropicBody(
      'claude-sonnet-4-5',
      userPrompt([{ kind: 'image-url', url: 'https://example.com/a.png' }, png, { kind: 'document-url', url: 'https://example.com/a.pdf' }, pdf, text]),
      undefined,
      noTools,
    );
    expect(body.messages[0]!.content).toEqual([
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'hello' } },
    ]);
    expect(() => anthropicBody('claude-sonnet-4-5', userPrompt([{ kind: 'binary', data: 'AA==', mediaType: 'image/tiff' }]), undefined, noTools)).toThrow(
      UnsupportedContentError,
    );
  });

  it('Anthropic: retry prompts about a call go back as error tool results; others as text', () => {
    const messages: ModelMessage[] = [
      { kind: 'request', parts: [{ kind: 'user-prompt', content: 'go', timestamp: '' }] },
      {
        kind: 'response',
        parts: [{ kind: 'tool-call', toolName: 'area', args: '{"w": -1', toolCallId: 'toolu_1' }],
        modelName: 'm',
        timestamp: '',
        usage: { inputTokens: 0, outputTokens: 0 },
      },
      {
        kind: 'request',
        parts: [{ kind: 'retry-prompt', content: 'The arguments are not valid JSON', toolName: 'area', toolCallId: 'toolu_1', timestamp: '' }],
      },
      { kind: 'response', parts: [{ kind: 'text', content: 'ok' }], modelName: 'm', timestamp: '', usage: { inputTokens: 0, outputTokens: 0 } },
      { kind: 'request', parts: [{ kind: 'retry-prompt', content: 'Please call a tool.', timestamp: '' }] },
    ];
    const body = anthropicBody('claude-sonnet-4-5', messages, undefined, noTools);
    // Malformed arguments (already sent back as a retry) go back as sent, wrapped in an object.
    expect(body.messages[1]!.content).toEqual([{ type: 'tool_use', id: 'toolu_1', name: 'area', input: { INVALID_JSON: '{"w": -1' } }]);
    expect(body.messages[2]!.content).toEqual([{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'The arguments are not valid JSON', is_error: true }]);
    expect(body.messages[4]!.content).toEqual([{ type: 'text', text: 'Please call a tool.' }]);
  });
});

describe('usage and history', () => {
  it('Anthropic: cache reads and writes count as input, and are reported in the details', async () => {
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      stop_reason: 'end_turn',
      stop_sequence: null,
      content: [{ type: 'text', text: 'Paris.' }],
      usage: { input_tokens: 10, output_tokens: 3, cache_read_input_tokens: 1200, cache_creation_input_tokens: 300 },
    };
    await withReplay([{ request: { method: 'POST', path: '/v1/messages' }, response: { kind: 'json', status: 200, body: message } }], async (server) => {
      const response = await anthropicModel(server, 'claude-sonnet-4-5').request(userPrompt(['Capital of France?']), undefined, noTools);
      expect(response.usage).toEqual({ inputTokens: 1510, outputTokens: 3, details: { cacheReadTokens: 1200, cacheWriteTokens: 300 } });
    });
  });

  it('a conversation moves from Anthropic to OpenAI: thinking dropped, tool calls and results kept', () => {
    const history: ModelMessage[] = [
      ...userPrompt(['Weather in Paris?']),
      {
        kind: 'response',
        parts: [
          { kind: 'thinking', content: 'Look it up.', signature: 'sig', provider: 'anthropic' },
          { kind: 'text', content: 'Let me check.' },
          { kind: 'tool-call', toolName: 'weather', args: { city: 'Paris' }, toolCallId: 'toolu_01AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ABCD' },
        ],
        modelName: 'claude-sonnet-4-5',
        timestamp: '',
        usage: { inputTokens: 0, outputTokens: 0 },
      },
      {
        kind: 'request',
        parts: [
          {
            kind: 'tool-return',
            toolName: 'weather',
            toolCallId: 'toolu_01AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ABCD',
            content: { sky: 'clear' },
            timestamp: '',
          },
        ],
      },
    ];
    const body = openaiBody('gpt-4o', openai, history, undefined, noTools);
    const assistant = body.messages[1] as { content: string; tool_calls: { id: string; function: { arguments: string } }[] };
    expect(assistant.content).toBe('Let me check.');
    expect(assistant.tool_calls[0]!.function.arguments).toBe('{"city":"Paris"}');
    // OpenAI takes ids of at most 40 characters: a long id is shortened the same way in the call and its result.
    expect(assistant.tool_calls[0]!.id).toHaveLength(40);
    expect(body.messages[2]).toEqual({ role: 'tool', tool_call_id: assistant.tool_calls[0]!.id, content: '{"sky":"clear"}' });
    expect(JSON.stringify(body)).not.toContain('Look it up.');
  });
});

describe('warnings and logs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('warns once about a setting the provider cannot honour, and nothing logged holds the key', async () => {
    const lines: string[] = [];
    const record = (...args: unknown[]) => lines.push(args.map(String).join(' '));
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation(record);
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }) => warnings.push(`${w.code}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const message = {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        stop_reason: 'end_turn',
        stop_sequence: null,
        content: [{ type: 'text', text: 'Hi.' }],
        usage: { input_tokens: 1, output_tokens: 1 },
      };
      const reply = { request: { method: 'POST', path: '/v1/messages' }, response: { kind: 'json' as const, status: 200, body: message } };
      await withReplay([reply, reply], async (server) => {
        const model = anthropicModel(server, 'claude-sonnet-4-5');
        const first = await model.request(userPrompt(['Hi']), { temperature: 0.2, seed: 7 }, noTools);
        const second = await model.request(userPrompt(['Hi']), { temperature: 0.2, seed: 7 }, noTools);
        expect(server.requests.map((r) => 'temperature' in (r.body as object))).toEqual([false, false]);
        // The process hears once; every response says what its own request lost.
        const ignored = ['anthropic does not support temperature; it is ignored', 'anthropic does not support seed; it is ignored'];
        expect([first.warnings, second.warnings]).toEqual([ignored, ignored]);
      });
      await withReplay(
        [
          {
            request: { method: 'POST', path: '/v1/chat/completions' },
            response: {
              kind: 'json',
              status: 401,
              body: {
                error: {
                  message: `Incorrect API key provided: ${CANARY_KEY.slice(0, 8)}****${CANARY_KEY.slice(-4)}`,
                  type: 'invalid_request_error',
                  code: 'invalid_api_key',
                },
              },
            },
          },
        ],
        async (server) => {
          const error = await openaiModel(server, 'gpt-4o')
            .request(userPrompt(['Hi']), undefined, noTools)
            .catch((e: unknown) => e);
          expect((error as Error).message).toBe('model gpt-4o answered HTTP 401: Incorrect API key provided: [redacted]');
          record((error as Error).stack);
        },
      );
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([
      'SCHEMANTIC_UNSUPPORTED_SETTING: anthropic does not support temperature; it is ignored',
      'SCHEMANTIC_UNSUPPORTED_SETTING: anthropic does not support seed; it is ignored',
    ]);
    for (const line of [...lines, ...warnings]) expect(line).not.toContain(CANARY_KEY.slice(3, 20));
  });
});
