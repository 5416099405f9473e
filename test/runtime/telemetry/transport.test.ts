/**
 * Spans of real provider requests: the official OpenAI SDK against a local server. Every HTTP
 * attempt is a child of its model request's span (the SDK's retries are visible), the server is
 * recorded, and the canary API key reaches no exported attribute or event, even with content on
 * and a server and a tool that echo it.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { agent } from 'schemantic';
import 'schemantic/telemetry';
import { CANARY_KEY, openaiModel, withReplay } from '../../providers/harness.js';
import { exportedText, otelHarness } from './otel-harness.js';

const path = '/v1/chat/completions';

function completion(message: Record<string, unknown>, finish: string) {
  return {
    request: { method: 'POST', path },
    response: {
      kind: 'json' as const,
      status: 200,
      body: {
        id: 'chatcmpl-7',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-2024-08-06',
        choices: [{ index: 0, finish_reason: finish, message: { role: 'assistant', content: null, ...message } }],
        usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16, prompt_tokens_details: { cached_tokens: 8 } },
      },
    },
  };
}

/** A 500 whose body echoes the key (as a careless proxy might), retried at once. */
const echoingFailure = {
  request: { method: 'POST', path },
  response: {
    kind: 'json' as const,
    status: 500,
    headers: { 'retry-after-ms': '0' },
    body: { error: { message: `upstream rejected key ${CANARY_KEY}`, type: 'server_error' } },
  },
};

const echoTool = {
  name: 'whoami',
  parameters: { type: 'object', properties: {}, additionalProperties: false },
  // A tool whose result quotes the key (a bug in someone's handler): content capture must not export it.
  handler: async () => `configured with ${CANARY_KEY}`,
};

describe('spans of requests through a provider SDK', () => {
  it('shows each HTTP attempt under its request, retries counted, with the server address', async () => {
    const otel = otelHarness();
    await withReplay(
      [
        echoingFailure,
        completion({ tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'whoami', arguments: '{}' } }] }, 'tool_calls'),
        completion({ content: 'Done.' }, 'stop'),
      ],
      async (server) => {
        const model = openaiModel(server, 'gpt-4o', { maxRetries: 2 });
        const result = await agent({ name: 'remote', model, tools: [echoTool], instrument: otel.settings({ includeContent: true }) }).run(
          `my key is ${CANARY_KEY}, hide it`,
        );
        expect(result.output).toBe('Done.');
        const port = Number(new URL(server.url).port);
        expect(otel.shape()).toEqual(['invoke_agent remote', ['chat gpt-4o', ['POST', 'POST'], 'execute_tool whoami', 'chat gpt-4o', ['POST']]]);
        const [first, tool, second] = otel.tree()[0]!.children;
        expect(first!.span.attributes).toMatchObject({
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.response.model': 'gpt-4o-2024-08-06',
          'gen_ai.response.id': 'chatcmpl-7',
          'gen_ai.response.finish_reasons': ['tool_call'],
          'gen_ai.usage.input_tokens': 12,
          'gen_ai.usage.cache_read.input_tokens': 8,
          'server.address': '127.0.0.1',
          'server.port': port,
        });
        const attempts = first!.children.map((c) => [
          c.span.attributes['http.response.status_code'],
          c.span.attributes['http.request.resend_count'],
          c.span.status.code,
        ]);
        expect(attempts).toEqual([
          [500, undefined, SpanStatusCode.ERROR],
          [200, 1, SpanStatusCode.UNSET],
        ]);
        expect(first!.children[0]!.span.attributes['url.full']).toBe(`${server.url}/v1/chat/completions`);
        expect(tool!.span.attributes['gen_ai.tool.call.result']).toBe('"configured with [redacted]"');
        expect(second!.span.attributes['gen_ai.input.messages']).toContain('my key is [redacted], hide it');
        expect(exportedText(otel.spans())).not.toContain(CANARY_KEY.slice(3));
      },
    );
  });

  it('records a provider error on the request and the run, redacted', async () => {
    const otel = otelHarness();
    await withReplay([{ ...echoingFailure, response: { ...echoingFailure.response, status: 401 } }], async (server) => {
      const model = openaiModel(server, 'gpt-4o');
      await expect(agent({ name: 'denied', model, instrument: otel.settings({ includeContent: true }) }).run('hi')).rejects.toThrow(/401/);
    });
    const [run] = otel.tree();
    expect(run!.span.status.code).toBe(SpanStatusCode.ERROR);
    expect(run!.span.attributes['error.type']).toBe('ModelHTTPError');
    const chat = run!.children[0]!;
    expect(chat.span.attributes['error.type']).toBe('ModelHTTPError');
    expect(chat.span.events.map((e) => e.name)).toEqual(['exception']);
    expect(chat.children.map((c) => c.span.attributes['http.response.status_code'])).toEqual([401]);
    expect(exportedText(otel.spans())).not.toContain(CANARY_KEY.slice(3));
  });
});
