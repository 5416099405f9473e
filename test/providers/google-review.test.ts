/**
 * An adversarial review of the Gemini adapter, held to the standard of the mature adapters
 * (faults.test.ts, malformed-bodies.test.ts, edge-cases.test.ts): hostile bodies with status 200,
 * an error chunk mid-stream, truncated and stalled streams, aborts, timeouts, retries, the
 * allow-requests switch, errors from a client the caller made, and a history made by Anthropic.
 * The canary key must never surface.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GoogleGenAI } from '@google/genai';
import { agent, collectStream, FallbackModel, ModelAPIError, ModelHTTPError, type ModelMessage, type ModelStreamEvent } from 'schemantic';
import { GoogleModel, type GoogleModelOptions } from 'schemantic/google';
import { setAllowModelRequests } from 'schemantic/testing';
import { anthropicModel, CANARY_KEY, expectNoCanary, noTools, userCountry, userPrompt, withReplay } from './harness.js';
import { loadCassette, type Reply, type ReplayServer } from './replay-server.js';

/** A Gemini model whose SDK client talks to the replay server (no retries unless asked). */
function googleModel(server: ReplayServer, modelName: string, options: GoogleModelOptions = {}): GoogleModel {
  return GoogleModel.connect(modelName, { apiKey: CANARY_KEY, baseURL: server.url, maxRetries: 0, ...options });
}

const MODEL = 'gemini-2.5-flash';
const generate = { method: 'POST', path: `/v1beta/models/${MODEL}:generateContent` };
const streamPath = { method: 'POST', path: `/v1beta/models/${MODEL}:streamGenerateContent` };
const prompt = userPrompt('What is the capital of France?');

/** A whole Gemini answer of one text part. */
const answer = (text: string, finishReason?: string) => ({
  candidates: [{ content: { role: 'model', parts: [{ text }] }, ...(finishReason ? { finishReason } : {}) }],
  usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 3, totalTokenCount: 8 },
  modelVersion: MODEL,
  responseId: 'resp-review',
});
/** A Gemini stream of these chunks (objects JSON-encoded), each its own SSE event. */
const geminiSse = (...chunks: unknown[]): string => chunks.map((c) => `data: ${typeof c === 'string' ? c : JSON.stringify(c)}\n\n`).join('');
const json = (body: unknown, status = 200): Reply => ({ kind: 'json', status, body });
const textStream = geminiSse(answer('The'), answer(' capital'), answer(' of France'), answer(' is Paris.', 'STOP'));

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

describe('Gemini review: timeouts and stalls', () => {
  it('a healthy stream that lasts longer than the timeout is not cut off (the timeout is the wait for it to begin)', async () => {
    // Four chunks 150 ms apart: 450 ms in all, never quiet for 300 ms.
    await withReplay([{ request: streamPath, response: { kind: 'sse', text: textStream, chunkDelayMs: 150 } }], async (server) => {
      const { events, error } = await drain(googleModel(server, MODEL, { timeoutMs: 300 }).requestStream(prompt, undefined, noTools));
      expect(error).toBeUndefined();
      expect((await collectStream(toIterable(events))).parts).toEqual([{ kind: 'text', content: 'The capital of France is Paris.' }]);
    });
  });

  it('a slow first byte past the timeout is a ModelAPIError, streamed or not', async () => {
    const slow = (then: Reply): Reply => ({ kind: 'delay', ms: 2_000, then });
    await withReplay(
      [
        { request: generate, response: slow(json(answer('Paris', 'STOP'))) },
        { request: streamPath, response: slow({ kind: 'sse', text: textStream }) },
      ],
      async (server) => {
        const model = googleModel(server, MODEL, { timeoutMs: 100 });
        const plain = await model.request(prompt, undefined, noTools).catch((e: unknown) => e);
        expect(ModelAPIError.isInstance(plain)).toBe(true);
        expect((plain as Error).message).toBe(`the request to model ${MODEL} timed out`);
        const { error } = await drain(model.requestStream(prompt, undefined, noTools));
        expect(ModelAPIError.isInstance(error)).toBe(true);
        expect((error as Error).message).toBe(`the request to model ${MODEL} timed out`);
        await server.settled();
        expect(server.requests.map((r) => r.aborted)).toEqual([true, true]);
      },
    );
  });

  it('abandons a stream that goes quiet for longer than the timeout', async () => {
    await withReplay([{ request: streamPath, response: { kind: 'sse', text: textStream, chunkDelayMs: 1_000 } }], async (server) => {
      const { events, error } = await drain(googleModel(server, MODEL, { timeoutMs: 150 }).requestStream(prompt, undefined, noTools));
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(`the stream from model ${MODEL} stalled: nothing arrived for 150 ms`);
      expect(events.some((e) => e.kind === 'finish')).toBe(false);
      await server.settled();
      expect(server.requests[0]!.aborted).toBe(true);
    });
  });
});

describe('Gemini review: hostile answers with status 200', () => {
  it("an error object where the answer should be is a ModelAPIError (the SDK drops it: Gemini's message is lost); a FallbackModel moves on", async () => {
    const error = { error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } };
    await withReplay([{ request: generate, response: json(error) }], async (server) => {
      const failure = await googleModel(server, MODEL)
        .request(prompt, undefined, noTools)
        .catch((e: unknown) => e);
      expect(ModelAPIError.isInstance(failure)).toBe(true);
      expect((failure as Error).message).toBe(`model ${MODEL} answered with a malformed response: the answer has neither candidates nor promptFeedback`);
      expectNoCanary(failure);
    });
    await withReplay(
      [
        { request: generate, response: json(error) },
        { request: generate, response: json(answer('Paris', 'STOP')) },
      ],
      async (server) => {
        const fallback = new FallbackModel([googleModel(server, MODEL), googleModel(server, MODEL)]);
        expect((await fallback.request(prompt, undefined, noTools)).parts).toEqual([{ kind: 'text', content: 'Paris' }]);
      },
    );
  });

  it('{} is a malformed answer (ModelAPIError), not an answer without candidates', async () => {
    await withReplay([{ request: generate, response: json({}) }], async (server) => {
      const failure = await googleModel(server, MODEL)
        .request(prompt, undefined, noTools)
        .catch((e: unknown) => e);
      expect(ModelAPIError.isInstance(failure)).toBe(true);
      expect((failure as Error).message).toMatch(new RegExp(`^model ${MODEL} answered with a malformed response: `));
    });
  });

  it('a part of the wrong type, or a function call without a name, is a malformed answer, streamed or not', async () => {
    const badPart = { candidates: [{ content: { role: 'model', parts: [{ text: 42 }] }, finishReason: 'STOP' }] };
    const nameless = { candidates: [{ content: { role: 'model', parts: [{ functionCall: { args: {} } }] }, finishReason: 'STOP' }] };
    await withReplay(
      [
        { request: generate, response: json(badPart) },
        { request: streamPath, response: { kind: 'sse', text: geminiSse(answer('The'), nameless) } },
      ],
      async (server) => {
        const model = googleModel(server, MODEL);
        const plain = await model.request(prompt, undefined, noTools).catch((e: unknown) => e);
        expect((plain as Error).message).toBe(`model ${MODEL} answered with a malformed response: candidates[0].content.parts[0].text is not a string`);
        const { error } = await drain(model.requestStream(prompt, undefined, noTools));
        expect(ModelAPIError.isInstance(error)).toBe(true);
        expect((error as Error).message).toBe(
          `model ${MODEL} answered with a malformed response: candidates[0].content.parts[0].functionCall.name is not a string`,
        );
      },
    );
  });
});

describe('Gemini review: broken streams', () => {
  it("an error chunk in the middle of a stream is an error carrying Google's message, with no finish", async () => {
    const overloaded = { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } };
    await withReplay([{ request: streamPath, response: { kind: 'sse', text: geminiSse(answer('The'), overloaded) } }], async (server) => {
      const { events, error } = await drain(googleModel(server, MODEL).requestStream(prompt, undefined, noTools));
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('The model is overloaded. Please try again later.');
      expect(events.some((e) => e.kind === 'finish')).toBe(false);
      expectNoCanary(error);
    });
  });

  it('a stream cut in the middle of a chunk, or between chunks, is a ModelAPIError, never a finished answer', async () => {
    const cutInChunk = textStream.indexOf(' of France') + 3;
    const cutBetween = textStream.indexOf('data:', textStream.indexOf(' of France'));
    for (const cutAfterBytes of [cutInChunk, cutBetween]) {
      await withReplay([{ request: streamPath, response: { kind: 'sse', text: textStream, cutAfterBytes } }], async (server) => {
        const { events, error } = await drain(googleModel(server, MODEL).requestStream(prompt, undefined, noTools));
        expect(ModelAPIError.isInstance(error)).toBe(true);
        expect(events.some((e) => e.kind === 'finish' || e.kind === 'part-end')).toBe(false);
        expectNoCanary(error);
      });
    }
  });
});

describe('Gemini review: aborts, retries and the allow-requests switch', () => {
  afterEach(() => setAllowModelRequests(true));

  it('an abort cancels a stream in flight: the consumer gets the abort reason, the server sees the hang-up', async () => {
    await withReplay([{ request: streamPath, response: { kind: 'sse', text: textStream, chunkDelayMs: 100 } }], async (server) => {
      const controller = new AbortController();
      const { error } = await drain(googleModel(server, MODEL).requestStream(prompt, undefined, noTools, controller.signal), (n) => {
        if (n === 2) controller.abort();
      });
      expect(error).toBe(controller.signal.reason);
      await server.settled();
      expect(server.requests[0]!.aborted).toBe(true);
    });
  });

  it('an abort cancels a request in flight, inside an agent run', async () => {
    await withReplay([{ request: generate, response: { kind: 'delay', ms: 2_000, then: json(answer('Paris', 'STOP')) } }], async (server) => {
      const controller = new AbortController();
      const run = agent({ name: 'slow', model: googleModel(server, MODEL) }).run('?', { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      const error = await run.catch((e: unknown) => e);
      expect(error).toBe(controller.signal.reason);
      await server.settled();
      expect(server.requests[0]!.aborted).toBe(true);
    });
  });

  it('retries a 503 and a connection reset when asked, then succeeds', async () => {
    const unavailable = json({ error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }, 503);
    await withReplay(
      [
        { request: generate, response: unavailable },
        { request: generate, response: { kind: 'reset' } },
        { request: generate, response: json(answer('Paris', 'STOP')) },
      ],
      async (server) => {
        const response = await googleModel(server, MODEL, { maxRetries: 2 }).request(prompt, undefined, noTools);
        expect(response.parts).toEqual([{ kind: 'text', content: 'Paris' }]);
      },
    );
  }, 15_000);

  it('sends nothing while model requests are not allowed', async () => {
    await withReplay([], async (server) => {
      setAllowModelRequests(false);
      const model = googleModel(server, MODEL);
      await expect(model.request(prompt, undefined, noTools)).rejects.toThrow(/not allowed|disallowed|allow/i);
      await expect(collectStream(model.requestStream(prompt, undefined, noTools))).rejects.toThrow(/not allowed|disallowed|allow/i);
      expect(server.requests).toEqual([]);
    });
  });
});

describe('Gemini review: errors from a client the caller made', () => {
  it("an HTTP error through a given GoogleGenAI client keeps Google's body and message, and no key", async () => {
    await withReplay(loadCassette('google/written-http-error.yaml'), async (server) => {
      const client = new GoogleGenAI({ apiKey: CANARY_KEY, httpOptions: { baseUrl: server.url } });
      const model = new GoogleModel(MODEL, { client, maxRetries: 0 });
      const error = await model.request(prompt, undefined, noTools).catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error)).toBe(true);
      expect((error as ModelHTTPError).body).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
      expect((error as Error).message).toBe(
        `model ${MODEL} answered HTTP 400: * GenerateContentRequest.generation_config.response_json_schema: unsupported keyword "if"`,
      );
      expectNoCanary(error);
    });
  });
});

describe('Gemini review: a history made by Anthropic', () => {
  it('drops Claude’s thinking and keeps its tool call and result, paired by id', async () => {
    const claude = loadCassette('anthropic/test_anthropic_tool_with_thinking.yaml')[0]!;
    const history: ModelMessage[] = [...userPrompt('What is the largest city in the user country?')];
    await withReplay([claude], async (server) => {
      const params = {
        functionTools: [{ name: 'get_user_country', parametersJsonSchema: userCountry.parameters, kind: 'function' as const }],
        outputTools: [],
        outputMode: 'text' as const,
        allowText: true,
      };
      history.push(await anthropicModel(server, 'claude-sonnet-4-0').request(history, { thinking: { budgetTokens: 3000 } }, params));
    });
    const call = (history[1] as { parts: { kind: string; toolCallId?: string }[] }).parts.find((p) => p.kind === 'tool-call')!;
    expect((history[1] as { parts: { kind: string }[] }).parts.map((p) => p.kind)).toEqual(['thinking', 'text', 'tool-call']);
    history.push({
      kind: 'request',
      parts: [{ kind: 'tool-return', toolName: 'get_user_country', toolCallId: call.toolCallId!, content: 'Mexico', timestamp: '' }],
    });
    await withReplay([{ request: generate, response: json(answer('Mexico City', 'STOP')) }], async (server) => {
      const response = await googleModel(server, MODEL).request(history, undefined, noTools);
      expect(response.parts).toEqual([{ kind: 'text', content: 'Mexico City' }]);
      const sent = server.requests[0]!.body as { contents: { role: string; parts: Record<string, unknown>[] }[] };
      expect(sent.contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
      expect(sent.contents[1]!.parts.some((p) => p['thought'] === true || p['thoughtSignature'] !== undefined)).toBe(false);
      expect(sent.contents[1]!.parts.at(-1)).toEqual({ functionCall: { id: call.toolCallId, name: 'get_user_country', args: {} } });
      expect(sent.contents[2]!.parts).toEqual([{ functionResponse: { id: call.toolCallId, name: 'get_user_country', response: { output: 'Mexico' } } }]);
    });
  });
});

async function* toIterable(events: ModelStreamEvent[]): AsyncIterable<ModelStreamEvent> {
  yield* events;
}
