/**
 * `schemantic/http` over real HTTP (servers on 127.0.0.1, read with fetch): Server-Sent Events of a
 * run's events and the AI SDK UI message stream, each as a web Response (served through a small
 * node:http adapter, as fetch-style frameworks run on Node) and written to a Node ServerResponse;
 * errors as events without stacks; a client that goes away cancels the run. The UI message stream
 * is read back with the AI SDK's own parser and reader, and `examples/server.ts` is driven by the
 * AI SDK's chat client (the machinery of `useChat`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { AbstractChat, DefaultChatTransport, parseJsonEventStream, readUIMessageStream, uiMessageChunkSchema, type ChatInit, type ChatState, type UIMessage, type UIMessageChunk as AiChunk } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { agent, defineTool, ModelRetry, type AgentRunEvent } from 'schemantic';
import { eventStreamResponse, uiMessageChunks, uiMessageStreamResponse, writeEventStream, writeUIMessageStream, type RunEventSource, type UIMessageChunk } from 'schemantic/http';
import { FunctionModel, type StreamChunk } from 'schemantic/testing';
import { startServer } from '../../examples/server.js';

// ---------------------------------------------------------------------------------------------
// Servers and clients

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server on 127.0.0.1 (any free port) answering every request with `handler`; its URL. */
async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Sends a web Response through node:http, as the Node adapters of fetch-style frameworks do. */
function sendWebResponse(res: ServerResponse, response: Response): void {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  // A client that goes away ends the pipeline, which cancels the web stream.
  pipeline(Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>), res).catch(() => undefined);
}

/** One way to serve a run: a web Response, or writing to a ServerResponse. */
interface Transport {
  name: string;
  /** Serves the run `source()` starts, once; the URL to fetch. */
  serve(source: () => RunEventSource): Promise<string>;
}

const sseTransports: Transport[] = [
  { name: 'eventStreamResponse (web Response)', serve: (source) => listen((_req, res) => sendWebResponse(res, eventStreamResponse(source()))) },
  { name: 'writeEventStream (node:http)', serve: (source) => listen((_req, res) => void writeEventStream(res, source())) },
];

const uiTransports: Transport[] = [
  { name: 'uiMessageStreamResponse (web Response)', serve: (source) => listen((_req, res) => sendWebResponse(res, uiMessageStreamResponse(source(), { messageId: 'msg-1' }))) },
  { name: 'writeUIMessageStream (node:http)', serve: (source) => listen((_req, res) => void writeUIMessageStream(res, source(), { messageId: 'msg-1' })) },
];

/** SSE text as messages (a parser of the format, independent of the code under test). */
function parseSse(text: string): { event: string; data: string }[] {
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice('event: '.length);
        else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
      }
      return { event, data: data.join('\n') };
    });
}

/** The UI message chunks of a body, as JSON (the last frame, `[DONE]`, left out). */
function uiChunks(text: string): UIMessageChunk[] {
  return parseSse(text)
    .filter((m) => m.data !== '[DONE]')
    .map((m) => JSON.parse(m.data) as UIMessageChunk);
}

/** The assistant message the AI SDK builds from a UI message stream body (its own parser and reader). */
async function aiSdkMessage(text: string, onError?: (error: unknown) => void): Promise<UIMessage | undefined> {
  const chunks = parseJsonEventStream({ stream: new Response(text).body!, schema: uiMessageChunkSchema }).pipeThrough(
    new TransformStream<{ success: true; value: AiChunk } | { success: false; error: unknown }, AiChunk>({
      transform(chunk, controller) {
        if (!chunk.success) throw chunk.error;
        controller.enqueue(chunk.value);
      },
    }),
  );
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream<UIMessage>({ stream: chunks, ...(onError ? { onError } : {}) })) last = message;
  return last;
}

// ---------------------------------------------------------------------------------------------
// Agents

/** A streaming model that plays one script per request. */
function streamed(...scripts: StreamChunk[][]): FunctionModel {
  let i = 0;
  return new FunctionModel(undefined, {
    stream: async function* () {
      for (const chunk of scripts[Math.min(i++, scripts.length - 1)]!) {
        await Promise.resolve();
        yield chunk;
      }
    },
  });
}

const weatherTool = (handler: (city: string) => string) =>
  defineTool<{ city: string }, string>({
    name: 'weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    handler: (_ctx, { city }) => handler(city),
  });

const sunny = weatherTool((city) => `sunny in ${city}`);

/** One tool round, then a text answer in two deltas. */
function weatherRun(): AsyncIterable<AgentRunEvent<unknown>> {
  const model = streamed([{ 0: { name: 'weather', jsonArgs: '{"city":', toolCallId: 'w1' } }, { 0: { jsonArgs: '"Paris"}' } }], ['Sunny ', 'in Paris.']);
  return agent({ name: 'trip', model, tools: [sunny] }).runStreamEvents('Weather in Paris?');
}

/** A model that streams words until stopped, with a pause between them; `closed` once its stream ended. */
function endlessModel() {
  const state = { produced: 0, closed: false };
  const model = new FunctionModel(undefined, {
    stream: async function* () {
      try {
        for (; state.produced < 400; state.produced++) {
          yield `word${state.produced} `;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      } finally {
        state.closed = true;
      }
    },
  });
  return { model, state };
}

/** Reads a streamed body until `seen` is in it, then goes away (aborts the request). */
async function readThenLeave(url: string, seen: string): Promise<string> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(seen)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended before ${seen}: ${text}`);
    text += decoder.decode(value, { stream: true });
  }
  controller.abort();
  return text;
}

// ---------------------------------------------------------------------------------------------

describe.each(sseTransports)('Server-Sent Events: $name', ({ serve }) => {
  it('streams every event as it happens, live values as they were, then done', async () => {
    const response = await fetch(await serve(weatherRun));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const messages = parseSse(await response.text());
    expect(messages.map((m) => m.event)).toEqual([
      'part-start',
      'part-delta',
      'part-delta',
      'part-end',
      'function-tool-call',
      'function-tool-result',
      'part-start',
      'part-delta',
      'part-delta',
      'part-end',
      'final-result',
      'run-result',
      'done',
    ]);
    const data = messages.map((m) => JSON.parse(m.data) as Record<string, unknown>);
    // partialArgs is one object updated in place: each event shows it as it stood then.
    expect(data[1]).toMatchObject({ kind: 'part-delta', toolName: 'weather', toolCallId: 'w1', delta: { argsDelta: '{"city":' } });
    expect(data[1]!['partialArgs']).toEqual({});
    expect(data[2]!['partialArgs']).toEqual({ city: 'Paris' });
    expect(data[4]).toMatchObject({ kind: 'function-tool-call', toolName: 'weather', args: { city: 'Paris' } });
    expect(data[5]).toMatchObject({ kind: 'function-tool-result', toolCallId: 'w1', result: { kind: 'tool-return', content: 'sunny in Paris' } });
    expect([data[7], data[8]].map((d) => (d as { delta: { content: string } }).delta.content)).toEqual(['Sunny ', 'in Paris.']);
    // The result as data, not the RunResult object: output, usage, and the history to continue from.
    const result = data[11] as { output: unknown; usage: { requests: number }; messages: { kind: string }[] };
    expect(result.output).toBe('Sunny in Paris.');
    expect(result.usage.requests).toBe(2);
    expect(result.messages.map((m) => m.kind)).toEqual(['request', 'response', 'request', 'response']);
    expect(messages.at(-1)).toEqual({ event: 'done', data: '{}' });
  });

  it('ends with an error event carrying the message only, when the run fails', async () => {
    const failing = weatherTool(() => {
      throw new Error('the weather service is down');
    });
    const url = await serve(() => agent({ name: 'trip', model: streamed([{ 0: { name: 'weather', jsonArgs: '{"city":"Oslo"}', toolCallId: 'w1' } }]), tools: [failing] }).runStreamEvents('?'));
    const text = await (await fetch(url)).text();
    const messages = parseSse(text);
    expect(messages.map((m) => m.event).slice(-2)).toEqual(['function-tool-call', 'error']);
    expect(JSON.parse(messages.at(-1)!.data)).toEqual({ message: 'the weather service is down' });
    expect(text).not.toContain('at ');
    expect(text).not.toContain('event: done');
  });

  it('cancels the run when the client goes away: the signal aborts, the model stream closes', async () => {
    const { model, state } = endlessModel();
    let signal: AbortSignal | undefined;
    const url = await serve(() => (s) => ((signal = s), agent({ name: 'talker', model }).runStreamEvents('Talk.', { signal: s })));
    const text = await readThenLeave(url, 'word1 ');
    expect(text).toContain('event: part-delta');
    await vi.waitFor(() => expect(state.closed).toBe(true), { timeout: 1000, interval: 5 });
    expect(signal?.aborted).toBe(true);
    expect(state.produced).toBeLessThan(100);
  });

  it('tells a plain iterable to stop (return) when the client goes away', async () => {
    const state = { closed: false, yielded: 0 };
    async function* events(): AsyncGenerator<AgentRunEvent<unknown>> {
      try {
        yield { kind: 'part-start', index: 0, part: { kind: 'text', content: '' } };
        for (; state.yielded < 400; state.yielded++) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          yield { kind: 'part-delta', index: 0, delta: { kind: 'text', content: `word${state.yielded} ` } };
        }
      } finally {
        state.closed = true;
      }
    }
    await readThenLeave(await serve(events), 'word1 ');
    await vi.waitFor(() => expect(state.closed).toBe(true), { timeout: 1000, interval: 5 });
    expect(state.yielded).toBeLessThan(100);
  });
});

describe.each(uiTransports)('UI message stream: $name', ({ serve }) => {
  it('maps a run (reasoning, a tool round, text, structured output) to chunks the AI SDK reads into one message', async () => {
    const model = streamed(
      [{ thinking: 'Paris: ' }, { thinking: 'call weather.' }, { 0: { name: 'weather', jsonArgs: '{"city":', toolCallId: 'w1' } }, { 0: { jsonArgs: '"Paris"}' } }],
      ['Checking. ', { 0: { name: 'final_result', jsonArgs: '{"summary":', toolCallId: 'o1' } }, { 0: { jsonArgs: '"sunny"}' } }],
    );
    const output = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] };
    const url = await serve(() => agent<undefined, { summary: string }>({ name: 'trip', model, tools: [sunny], output }).runStreamEvents('Weather in Paris?'));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await response.text();
    expect(text.endsWith('\n\ndata: [DONE]\n\n')).toBe(true);
    // Exact chunks: only fields of the protocol (AI SDK 5's client rejects unknown ones).
    expect(uiChunks(text)).toEqual([
      { type: 'start', messageId: 'msg-1' },
      { type: 'start-step' },
      { type: 'reasoning-start', id: 'reasoning-1-0' },
      { type: 'reasoning-delta', id: 'reasoning-1-0', delta: 'Paris: ' },
      { type: 'reasoning-delta', id: 'reasoning-1-0', delta: 'call weather.' },
      { type: 'tool-input-start', toolCallId: 'w1', toolName: 'weather' },
      { type: 'tool-input-delta', toolCallId: 'w1', inputTextDelta: '{"city":' },
      { type: 'tool-input-delta', toolCallId: 'w1', inputTextDelta: '"Paris"}' },
      { type: 'reasoning-end', id: 'reasoning-1-0' },
      { type: 'tool-input-available', toolCallId: 'w1', toolName: 'weather', input: { city: 'Paris' } },
      { type: 'tool-output-available', toolCallId: 'w1', output: 'sunny in Paris' },
      { type: 'finish-step' },
      { type: 'start-step' },
      { type: 'text-start', id: 'text-2-0' },
      { type: 'text-delta', id: 'text-2-0', delta: 'Checking. ' },
      { type: 'text-end', id: 'text-2-0' },
      { type: 'finish-step' },
      { type: 'data-output', id: 'output', data: { summary: 'sunny' } },
      { type: 'finish' },
    ]);
    const message = await aiSdkMessage(text);
    expect(message).toMatchObject({ id: 'msg-1', role: 'assistant' });
    expect(message!.parts).toEqual([
      { type: 'step-start' },
      expect.objectContaining({ type: 'reasoning', text: 'Paris: call weather.', state: 'done' }),
      expect.objectContaining({ type: 'tool-weather', toolCallId: 'w1', state: 'output-available', input: { city: 'Paris' }, output: 'sunny in Paris' }),
      { type: 'step-start' },
      expect.objectContaining({ type: 'text', text: 'Checking. ', state: 'done' }),
      { type: 'data-output', id: 'output', data: { summary: 'sunny' } },
    ]);
  });

  it('sends retries as tool errors: arguments against the schema as input errors, a ModelRetry as an output error', async () => {
    const model = streamed([{ 0: { name: 'weather', jsonArgs: '{"city":5}', toolCallId: 'w1' }, 1: { name: 'weather', jsonArgs: '{"city":"Atlantis"}', toolCallId: 'w2' } }], ['Sorry.']);
    const picky = weatherTool((city) => {
      throw new ModelRetry(`no such city: ${city}`);
    });
    const text = await (await fetch(await serve(() => agent({ name: 'trip', model, tools: [picky] }).runStreamEvents('?')))).text();
    const chunks = uiChunks(text);
    expect(chunks.map((c) => c.type)).toEqual([
      'start',
      'start-step',
      'tool-input-start',
      'tool-input-delta',
      'tool-input-start',
      'tool-input-delta',
      'tool-input-error',
      'tool-input-available',
      'tool-output-error',
      'finish-step',
      'start-step',
      'text-start',
      'text-delta',
      'text-end',
      'finish-step',
      // Text output is in the text parts: no data-output.
      'finish',
    ]);
    expect(chunks[6]).toEqual({ type: 'tool-input-error', toolCallId: 'w1', toolName: 'weather', input: { city: 5 }, errorText: expect.stringContaining('must be string') });
    expect(chunks[8]).toEqual({ type: 'tool-output-error', toolCallId: 'w2', errorText: 'no such city: Atlantis' });
    const parts = (await aiSdkMessage(text))!.parts;
    expect(parts.filter((p) => p.type === 'tool-weather')).toEqual([
      expect.objectContaining({ toolCallId: 'w1', state: 'output-error', errorText: expect.stringContaining('must be string') }),
      expect.objectContaining({ toolCallId: 'w2', state: 'output-error', input: { city: 'Atlantis' }, errorText: 'no such city: Atlantis' }),
    ]);
  });

  it('ends with an error chunk (message only) and [DONE] when the run fails', async () => {
    const failing = weatherTool(() => {
      throw new Error('the weather service is down');
    });
    const url = await serve(() => agent({ name: 'trip', model: streamed([{ 0: { name: 'weather', jsonArgs: '{"city":"Oslo"}', toolCallId: 'w1' } }]), tools: [failing] }).runStreamEvents('?'));
    const text = await (await fetch(url)).text();
    expect(uiChunks(text).slice(-2)).toEqual([
      { type: 'tool-input-available', toolCallId: 'w1', toolName: 'weather', input: { city: 'Oslo' } },
      { type: 'error', errorText: 'the weather service is down' },
    ]);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const errors: unknown[] = [];
    await aiSdkMessage(text, (error) => errors.push(error));
    expect(errors.map((e) => (e as Error).message)).toEqual(['the weather service is down']);
  });

  it('cancels the run when the client goes away', async () => {
    const { model, state } = endlessModel();
    let signal: AbortSignal | undefined;
    const url = await serve(() => (s) => ((signal = s), agent({ name: 'talker', model }).runStreamEvents('Talk.', { signal: s })));
    await readThenLeave(url, 'word1 ');
    await vi.waitFor(() => expect(state.closed).toBe(true), { timeout: 1000, interval: 5 });
    expect(signal?.aborted).toBe(true);
    expect(state.produced).toBeLessThan(100);
  });
});

describe('uiMessageChunks', () => {
  /** The chunks of a run, read directly. */
  async function chunksOf(events: AsyncIterable<AgentRunEvent<unknown>>): Promise<UIMessageChunk[]> {
    const chunks: UIMessageChunk[] = [];
    for await (const chunk of uiMessageChunks(events)) chunks.push(chunk);
    return chunks;
  }

  it('settles a tool call the run never executed (a final result came first), and leaves output tools out', async () => {
    const model = streamed([{ 0: { name: 'weather', jsonArgs: '{"city":"Rome"}', toolCallId: 'w1' }, 1: { name: 'final_result', jsonArgs: '{"summary":"done"}', toolCallId: 'o1' } }]);
    const output = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] };
    const handled: string[] = [];
    const chunks = await chunksOf(agent({ name: 'trip', model, tools: [weatherTool((c) => (handled.push(c), 'x'))], output }).runStreamEvents('?'));
    expect(handled).toEqual([]);
    expect(chunks).toEqual([
      { type: 'start' },
      { type: 'start-step' },
      { type: 'tool-input-start', toolCallId: 'w1', toolName: 'weather' },
      { type: 'tool-input-delta', toolCallId: 'w1', inputTextDelta: '{"city":"Rome"}' },
      { type: 'tool-output-error', toolCallId: 'w1', errorText: 'Tool not executed - a final result was already processed.' },
      { type: 'finish-step' },
      { type: 'data-output', id: 'output', data: { summary: 'done' } },
      { type: 'finish' },
    ]);
  });

  it('shows a tool call whose name and id came after its first fragment once complete; tool activity ends a step', async () => {
    async function* events(): AsyncGenerator<AgentRunEvent<unknown>> {
      // A response whose only part has index 1 (an adapter may skip a block it does not map).
      const part = { kind: 'tool-call' as const, toolName: 'lookup', args: '{"q":"x"}', toolCallId: 'c9' };
      yield { kind: 'part-start', index: 1, part: { ...part, toolName: '', args: '', toolCallId: '' } };
      yield { kind: 'part-delta', index: 1, delta: { kind: 'tool-call', argsDelta: '{"q":"x"}', toolName: 'look', toolCallId: 'c9' }, toolName: 'look', toolCallId: 'c9', partialArgs: { q: 'x' } };
      yield { kind: 'part-end', index: 1, part };
      yield { kind: 'function-tool-call', toolName: 'lookup', part, args: { q: 'x' } };
      yield { kind: 'function-tool-result', toolName: 'lookup', toolCallId: 'c9', result: { kind: 'tool-return', toolName: 'lookup', toolCallId: 'c9', content: 'found', timestamp: '' } };
      // The next response: its index 0 is new, but the tool step in between says it is a new response.
      yield { kind: 'part-start', index: 0, part: { kind: 'text', content: 'Found.' } };
      yield { kind: 'part-end', index: 0, part: { kind: 'text', content: 'Found.' } };
    }
    expect(await chunksOf(events())).toEqual([
      { type: 'start' },
      { type: 'start-step' },
      // Not at the delta: the name was still growing ("look"); shown complete at the part's end.
      { type: 'tool-input-start', toolCallId: 'c9', toolName: 'lookup' },
      { type: 'tool-input-delta', toolCallId: 'c9', inputTextDelta: '{"q":"x"}' },
      { type: 'tool-input-available', toolCallId: 'c9', toolName: 'lookup', input: { q: 'x' } },
      { type: 'tool-output-available', toolCallId: 'c9', output: 'found' },
      { type: 'finish-step' },
      { type: 'start-step' },
      { type: 'text-start', id: 'text-2-0' },
      { type: 'text-delta', id: 'text-2-0', delta: 'Found.' },
      { type: 'text-end', id: 'text-2-0' },
    ]);
  });
});

describe('examples/server.ts', () => {
  const keys = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'SCHEMANTIC_MODEL'] as const;
  const saved = new Map<string, string | undefined>();
  let url = '';
  let server: Server | undefined;

  beforeAll(async () => {
    // The example picks a provider from the environment: without keys it runs on the test model.
    for (const key of keys) {
      saved.set(key, process.env[key]);
      delete process.env[key];
    }
    ({ url, server } = await startServer(0, { chunkDelayMs: 0 }));
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  /** A minimal chat of the AI SDK (what `useChat` wraps), posting to the example's /chat. */
  class Chat extends AbstractChat<UIMessage> {
    constructor(init: Omit<ChatInit<UIMessage>, 'messages'>) {
      let messages: UIMessage[] = [];
      const state: ChatState<UIMessage> = {
        status: 'ready',
        error: undefined,
        get messages() {
          return messages;
        },
        set messages(value) {
          messages = value;
        },
        pushMessage: (message) => void (messages = [...messages, message]),
        popMessage: () => void (messages = messages.slice(0, -1)),
        replaceMessage: (index, message) => void (messages = messages.map((m, i) => (i === index ? message : m))),
        snapshot: (value) => structuredClone(value),
      };
      super({ ...init, state });
    }
  }

  it('serves the page, and the events of a weather run as SSE', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("new EventSource('/events?'");

    const response = await fetch(`${url}/events?prompt=${encodeURIComponent('Weather in London?')}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const messages = parseSse(await response.text());
    expect(messages[0]?.event).toBe('part-start');
    expect(messages.filter((m) => m.event === 'function-tool-call').map((m) => (JSON.parse(m.data) as { toolName: string }).toolName)).toEqual(['get_lat_lng', 'get_weather']);
    // The test model streams its answer word by word, as a provider would.
    expect(messages.filter((m) => m.event === 'part-delta' && m.data.includes('"kind":"text"')).length).toBeGreaterThan(5);
    expect((JSON.parse(messages.at(-2)!.data) as { output: string }).output).toMatch(/^It is sunny and 21 °C there\./);
    expect(messages.at(-1)?.event).toBe('done');
  });

  it('answers useChat: the AI SDK chat client builds the assistant message from /chat', async () => {
    const weather = new Chat({ transport: new DefaultChatTransport({ api: `${url}/chat` }) });
    await weather.sendMessage({ text: 'What is the weather like in London?' });
    expect(weather.error).toBeUndefined();
    expect(weather.status).toBe('ready');
    const answer = weather.messages[1]!;
    expect(answer.role).toBe('assistant');
    expect(answer.parts.filter((p) => p.type.startsWith('tool-'))).toEqual([
      expect.objectContaining({ type: 'tool-get_lat_lng', state: 'output-available', output: { lat: 51.5, lng: expect.any(Number) } }),
      expect.objectContaining({ type: 'tool-get_weather', state: 'output-available', output: expect.objectContaining({ temperature: '21 °C' }) }),
    ]);
    expect(answer.parts.find((p) => p.type === 'text')).toMatchObject({ text: expect.stringMatching(/^It is sunny and 21 °C there\./), state: 'done' });

    const whales = new Chat({ transport: new DefaultChatTransport({ api: `${url}/chat`, body: { agent: 'whales' } }) });
    await whales.sendMessage({ text: 'Tell me about whales.' });
    expect(whales.error).toBeUndefined();
    const data = whales.messages[1]!.parts.find((p) => p.type === 'data-output') as { data: { name: string; length: number }[] } | undefined;
    expect(Array.isArray(data?.data)).toBe(true);
    expect(data!.data[0]).toEqual(expect.objectContaining({ name: expect.any(String), length: expect.any(Number) }));
  });

  it('answers a bad request with 400 (or 404) and a JSON error, and keeps serving', async () => {
    const post = (body: string) => fetch(`${url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const cases: [Promise<Response>, number, string][] = [
      [post('{not json'), 400, 'not valid JSON'],
      [post('{"prompt":"hi"}'), 400, 'needs messages'],
      [post('{"messages":[{"role":"user","parts":[{"type":"file","url":"x"}]}]}'), 400, 'no text part'],
      [post('{"agent":"nope","messages":[{"role":"user","parts":[{"type":"text","text":"hi"}]}]}'), 400, 'unknown agent'],
      [fetch(`${url}/events`), 400, 'needs a prompt'],
      [fetch(`${url}/nowhere`), 404, 'no route'],
    ];
    for (const [request, status, message] of cases) {
      const response = await request;
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(((await response.json()) as { error: string }).error).toContain(message);
    }
    expect((await fetch(`${url}/events?prompt=hi`)).status).toBe(200);
  });
});
