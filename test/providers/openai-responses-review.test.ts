/**
 * An adversarial review of the OpenAI Responses API adapter, held to the standard of the mature
 * adapters (faults.test.ts, malformed-bodies.test.ts, edge-cases.test.ts): hostile bodies with
 * status 200, missing fields and wrong types, an error event mid-stream, truncated and stalled
 * streams, aborts, retries, the allow-requests switch, and histories made by Anthropic or
 * reloaded from JSON. The canary key must never surface.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  collectStream,
  FallbackModel,
  messagesToJson,
  ModelAPIError,
  parseMessages,
  type ModelMessage,
  type ModelRequestParameters,
  type ModelResponse,
  type ModelStreamEvent,
} from 'schemantic';
import { OpenAIResponsesModel, type OpenAIResponsesModelOptions } from 'schemantic/openai';
import { setAllowModelRequests } from 'schemantic/testing';
import { anthropicModel, CANARY_KEY, expectNoCanary, noTools, userCountry, userPrompt, withReplay } from './harness.js';
import { loadCassette, type Reply, type ReplayServer } from './replay-server.js';

/** A Responses API model whose SDK client talks to the replay server (no retries unless asked). */
function responsesModel(server: ReplayServer, options: OpenAIResponsesModelOptions = {}): OpenAIResponsesModel {
  return OpenAIResponsesModel.connect(MODEL, { apiKey: CANARY_KEY, baseURL: server.url + '/v1', maxRetries: 0, ...options });
}

const MODEL = 'gpt-4o';
const create = { method: 'POST', path: '/v1/responses' };
const prompt = userPrompt('What is the capital of France?');
const json = (body: unknown, status = 200): Reply => ({ kind: 'json', status, body });
const malformed = (what: string) => `model ${MODEL} answered with a malformed response: ${what}`;

/** A finished Responses API response with these output items. */
const response = (output: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'resp_review',
  object: 'response',
  created_at: 0,
  status: 'completed',
  error: null,
  incomplete_details: null,
  model: 'gpt-4o-2024-08-06',
  output,
  usage: { input_tokens: 5, output_tokens: 3, total_tokens: 8 },
  ...extra,
});
const message = (content: unknown[]) => ({ type: 'message', id: 'msg_review', status: 'completed', role: 'assistant', content });

/** A Responses API stream of these events (`[type, data]`; `type` is added to the data). */
const sse = (...events: [string, Record<string, unknown>][]): string =>
  events.map(([type, data]) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`).join('');
const created: [string, Record<string, unknown>] = ['response.created', { response: { ...response([]), status: 'in_progress', usage: null } }];
const delta = (text: string): [string, Record<string, unknown>] => [
  'response.output_text.delta',
  { item_id: 'msg_review', output_index: 0, content_index: 0, delta: text },
];
const completed: [string, Record<string, unknown>] = [
  'response.completed',
  { response: response([message([{ type: 'output_text', text: 'The capital of France is Paris.', annotations: [] }])]) },
];
const textStream = sse(created, delta('The capital'), delta(' of France'), delta(' is Paris.'), completed);

async function drain(stream: AsyncIterable<ModelStreamEvent>, onEvent?: (n: number) => void): Promise<{ events: ModelStreamEvent[]; error: unknown }> {
  const events: ModelStreamEvent[] = [];
  try {
    for await (const event of stream) {
      events.push(event);
      onEvent?.(events.length);
    }
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

describe('Responses review: hostile answers with status 200', () => {
  it('an output_text without its text is a malformed answer, not the text "undefined"', async () => {
    await withReplay([{ request: create, response: json(response([message([{ type: 'output_text', annotations: [] }])])) }], async (server) => {
      const error = await responsesModel(server)
        .request(prompt, undefined, noTools)
        .catch((e: unknown) => e);
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(malformed('output[0].content[0].text is not a string'));
    });
  });

  it('a response object without an output array is a ModelAPIError, never a bare TypeError', async () => {
    const bodies = [response([], { output: null }), response([message(null as never)])];
    await withReplay(
      bodies.map((b) => ({ request: create, response: json(b) })),
      async (server) => {
        const model = responsesModel(server);
        const first = await model.request(prompt, undefined, noTools).catch((e: unknown) => e);
        expect(ModelAPIError.isInstance(first)).toBe(true);
        expect((first as Error).message).toBe(malformed('output is not an array'));
        const second = await model.request(prompt, undefined, noTools).catch((e: unknown) => e);
        expect(ModelAPIError.isInstance(second)).toBe(true);
        expect((second as Error).message).toBe(malformed('output[0].content is not an array'));
      },
    );
  });

  it("an error object, or a failed response, is a ModelAPIError with OpenAI's message; a FallbackModel moves on", async () => {
    const failed = response([], { status: 'failed', error: { code: 'server_error', message: 'The server had an error.' } });
    await withReplay(
      [
        { request: create, response: json({ error: { message: 'Upstream overloaded', type: 'server_error' } }) },
        { request: create, response: json(failed) },
        { request: create, response: json(response([message([{ type: 'output_text', text: 'Paris', annotations: [] }])])) },
      ],
      async (server) => {
        const model = responsesModel(server);
        const first = await model.request(prompt, undefined, noTools).catch((e: unknown) => e);
        expect((first as Error).message).toBe(`model ${MODEL} answered with an error: Upstream overloaded`);
        const fallback = new FallbackModel([model, model]);
        expect((await fallback.request(prompt, undefined, noTools)).parts).toEqual([{ kind: 'text', content: 'Paris' }]);
        expectNoCanary(first);
      },
    );
  });
});

describe('Responses review: hostile streams', () => {
  it('a text delta without its delta is a malformed answer, not text "undefined"', async () => {
    const text = sse(created, ['response.output_text.delta', { item_id: 'msg_review', output_index: 0, content_index: 0 }], delta('Paris'), completed);
    await withReplay([{ request: create, response: { kind: 'sse', text } }], async (server) => {
      const { events, error } = await drain(responsesModel(server).requestStream(prompt, undefined, noTools));
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(malformed('response.output_text.delta.delta is not a string'));
      expect(events.some((e) => e.kind === 'finish')).toBe(false);
    });
  });

  it('a lifecycle event without its response is a malformed answer that says so', async () => {
    await withReplay([{ request: create, response: { kind: 'sse', text: sse(['response.created', {}], delta('Paris'), completed) } }], async (server) => {
      const { error } = await drain(responsesModel(server).requestStream(prompt, undefined, noTools));
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(malformed('response.created.response is not an object'));
    });
  });

  it("an error event in the middle of a stream is a ModelAPIError with OpenAI's message, and no finish", async () => {
    const flat = sse(created, delta('The'), ['error', { code: 'server_error', message: 'The server had an error.', param: null, sequence_number: 3 }]);
    const nested = sse(created, delta('The'), ['error', { error: { type: 'server_error', code: 'server_error', message: 'The server had an error.' } }]);
    for (const text of [flat, nested]) {
      await withReplay([{ request: create, response: { kind: 'sse', text } }], async (server) => {
        const { events, error } = await drain(responsesModel(server).requestStream(prompt, undefined, noTools));
        expect(ModelAPIError.isInstance(error)).toBe(true);
        expect((error as Error).message).toBe(`model ${MODEL} answered with an error: The server had an error.`);
        expect(events.some((e) => e.kind === 'finish')).toBe(false);
        expectNoCanary(error);
      });
    }
  });

  it('a stream cut short (mid-event, or before the terminal event) is a ModelAPIError, never a finished answer', async () => {
    for (const cutAfterBytes of [textStream.indexOf(' of France') + 4, textStream.indexOf('event: response.completed')]) {
      await withReplay([{ request: create, response: { kind: 'sse', text: textStream, cutAfterBytes } }], async (server) => {
        const { events, error } = await drain(responsesModel(server).requestStream(prompt, undefined, noTools));
        expect(ModelAPIError.isInstance(error)).toBe(true);
        expect(events.some((e) => e.kind === 'finish' || e.kind === 'part-end')).toBe(false);
        expectNoCanary(error);
      });
    }
  });

  it('abandons a stream that goes quiet for longer than the timeout', async () => {
    await withReplay([{ request: create, response: { kind: 'sse', text: textStream, chunkDelayMs: 1_000 } }], async (server) => {
      const { error } = await drain(responsesModel(server, { timeoutMs: 150 }).requestStream(prompt, undefined, noTools));
      expect((error as Error).message).toBe(`the stream from model ${MODEL} stalled: nothing arrived for 150 ms`);
      await server.settled();
      expect(server.requests[0]!.aborted).toBe(true);
    });
  });
});

describe('Responses review: aborts, retries and the allow-requests switch', () => {
  afterEach(() => setAllowModelRequests(true));

  it('an abort cancels a stream in flight: the consumer gets the abort reason, the server sees the hang-up', async () => {
    await withReplay([{ request: create, response: { kind: 'sse', text: textStream, chunkDelayMs: 100 } }], async (server) => {
      const controller = new AbortController();
      const { error } = await drain(responsesModel(server).requestStream(prompt, undefined, noTools, controller.signal), (n) => {
        if (n === 2) controller.abort();
      });
      expect(error).toBe(controller.signal.reason);
      await server.settled();
      expect(server.requests[0]!.aborted).toBe(true);
    });
  });

  it('retries a 500 and a connection reset when asked, then succeeds', async () => {
    await withReplay(
      [
        { request: create, response: { kind: 'json', status: 500, headers: { 'retry-after-ms': '1' }, body: { error: { message: 'boom' } } } },
        { request: create, response: { kind: 'reset' } },
        { request: create, response: json(response([message([{ type: 'output_text', text: 'Paris', annotations: [] }])])) },
      ],
      async (server) => {
        const answer = await responsesModel(server, { maxRetries: 2 }).request(prompt, undefined, noTools);
        expect(answer.parts).toEqual([{ kind: 'text', content: 'Paris' }]);
      },
    );
  });

  it('sends nothing while model requests are not allowed', async () => {
    await withReplay([], async (server) => {
      setAllowModelRequests(false);
      const model = responsesModel(server);
      await expect(model.request(prompt, undefined, noTools)).rejects.toThrow(/disallowed/);
      await expect(collectStream(model.requestStream(prompt, undefined, noTools))).rejects.toThrow(/disallowed/);
      expect(server.requests).toEqual([]);
    });
  });
});

describe('Responses review: histories from elsewhere', () => {
  const params: ModelRequestParameters = {
    functionTools: [{ name: 'get_user_country', parametersJsonSchema: userCountry.parameters, kind: 'function' }],
    outputTools: [],
    outputMode: 'text',
    allowText: true,
  };

  it('takes a history made by Claude (thinking, text, a tool call): no reasoning item, the call and its result paired', async () => {
    const asked = new Date().toISOString();
    const history: ModelMessage[] = [
      { kind: 'request', parts: [{ kind: 'user-prompt', content: 'What is the largest city in the user country?', timestamp: asked }] },
    ];
    await withReplay([loadCassette('anthropic/test_anthropic_tool_with_thinking.yaml')[0]!], async (server) => {
      history.push(await anthropicModel(server, 'claude-sonnet-4-0').request(history, { thinking: { budgetTokens: 3000 } }, params));
    });
    const claude = history[1] as ModelResponse;
    expect(claude.parts.map((p) => p.kind)).toEqual(['thinking', 'text', 'tool-call']);
    const call = claude.parts[2] as { toolCallId: string };
    history.push({
      kind: 'request',
      parts: [{ kind: 'tool-return', toolName: 'get_user_country', toolCallId: call.toolCallId, content: 'Mexico', timestamp: asked }],
    });
    await withReplay(
      [{ request: create, response: json(response([message([{ type: 'output_text', text: 'Mexico City', annotations: [] }])])) }],
      async (server) => {
        await responsesModel(server).request(parseMessages(messagesToJson(history)), undefined, params);
        const input = (server.requests[0]!.body as { input: Record<string, unknown>[] }).input;
        expect(input.map((i) => i['type'] ?? i['role'])).toEqual(['user', 'assistant', 'function_call', 'function_call_output']);
        expect(input[2]).toEqual({ type: 'function_call', call_id: call.toolCallId, name: 'get_user_country', arguments: '{}' });
        expect(input[3]).toEqual({ type: 'function_call_output', call_id: call.toolCallId, output: 'Mexico' });
      },
    );
  });
});
