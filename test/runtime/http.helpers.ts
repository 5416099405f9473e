/**
 * What the tests of `schemantic/http` share (http-sse, http-ui-stream, http-example-server): servers
 * on 127.0.0.1 closed after each test, the two ways to serve a run, SSE parsing, the AI SDK's reading
 * of a UI message stream, and the agents and models the runs use.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { parseJsonEventStream, readUIMessageStream, uiMessageChunkSchema, type UIMessage, type UIMessageChunk as AiChunk } from 'ai';
import { agent, defineTool, ModelHTTPError, type AgentRunEvent } from 'schemantic';
import {
  eventStreamResponse,
  uiMessageStreamResponse,
  type EventStreamOptions,
  type RunEventSource,
  type UIMessageChunk,
  type UIMessageStreamOptions,
} from 'schemantic/http';
import { writeEventStream, writeUIMessageStream } from 'schemantic/http/node';
import { FunctionModel, type StreamChunk } from 'schemantic/testing';

// ---------------------------------------------------------------------------------------------
// Servers and clients

const servers: Server[] = [];

/** Closes the servers of the test that ran: each test file passes it to `afterEach`. */
export async function closeServers(): Promise<void> {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A server on 127.0.0.1 (any free port) answering every request with `handler`; its URL. */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Sends a web Response through node:http, as the Node adapters of fetch-style frameworks do. */
export function sendWebResponse(res: ServerResponse, response: Response): void {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  // A client that goes away ends the pipeline, which cancels the web stream.
  pipeline(Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>), res).catch(() => undefined);
}

/** One way to serve a run: a web Response, or writing to a ServerResponse. */
export interface Transport<Options> {
  name: string;
  /**
   * Serves the run `source(body)` starts, for every request: `body` is the request's body parsed
   * as JSON (undefined without one), as a route reads what a client posts. The URL to fetch.
   */
  serve(source: (body: unknown) => RunEventSource, options?: Options): Promise<string>;
}

export const sseTransports: Transport<EventStreamOptions>[] = [
  {
    name: 'eventStreamResponse (web Response)',
    serve: (source, options) => listenJson((body, res) => sendWebResponse(res, eventStreamResponse(source(body), options))),
  },
  { name: 'writeEventStream (node:http)', serve: (source, options) => listenJson((body, res) => writeEventStream(res, source(body), options)) },
];

export const uiTransports: Transport<UIMessageStreamOptions>[] = [
  {
    name: 'uiMessageStreamResponse (web Response)',
    serve: (source, options) => listenJson((body, res) => sendWebResponse(res, uiMessageStreamResponse(source(body), { messageId: 'msg-1', ...options }))),
  },
  {
    name: 'writeUIMessageStream (node:http)',
    serve: (source, options) => listenJson((body, res) => writeUIMessageStream(res, source(body), { messageId: 'msg-1', ...options })),
  },
];

/**
 * A server whose handler gets the request body as JSON (undefined when empty), as the example
 * server's routes do; an error before the stream starts is a 500 with its message, which tests read.
 */
function listenJson(handler: (body: unknown, res: ServerResponse) => unknown): Promise<string> {
  return listen((req, res) => {
    void (async () => {
      try {
        const text = await readBody(req);
        await handler(text === '' ? undefined : JSON.parse(text), res);
      } catch (err) {
        if (res.headersSent) res.destroy();
        else res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
      }
    })();
  });
}

/** The body of a request, as text. */
async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req as AsyncIterable<Buffer>) text += chunk.toString('utf8');
  return text;
}

/** POSTs `body` as JSON to `url` (what a browser's fetch or `useChat` sends). */
export function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** SSE text as messages (a parser of the format, independent of the code under test). */
export function parseSse(text: string): { event: string; data: string }[] {
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
export function uiChunks(text: string): UIMessageChunk[] {
  return parseSse(text)
    .filter((m) => m.data !== '[DONE]')
    .map((m) => JSON.parse(m.data) as UIMessageChunk);
}

/**
 * The assistant message the AI SDK builds from a UI message stream body (its own parser and
 * reader); given `message`, the stream continues it, as the chat client continues its last
 * assistant message (after tool approvals or client tool outputs).
 */
export async function aiSdkMessage(text: string, onError?: (error: unknown) => void, message?: UIMessage): Promise<UIMessage | undefined> {
  const chunks = parseJsonEventStream({ stream: new Response(text).body!, schema: uiMessageChunkSchema }).pipeThrough(
    new TransformStream<{ success: true; value: AiChunk } | { success: false; error: unknown }, AiChunk>({
      transform(chunk, controller) {
        if (!chunk.success) throw chunk.error;
        controller.enqueue(chunk.value);
      },
    }),
  );
  let last: UIMessage | undefined;
  for await (const read of readUIMessageStream<UIMessage>({ stream: chunks, ...(onError ? { onError } : {}), ...(message ? { message } : {}) })) last = read;
  return last;
}

// ---------------------------------------------------------------------------------------------
// Agents

/** A streaming model that plays one script per request. */
export function streamed(...scripts: StreamChunk[][]): FunctionModel {
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

export const weatherTool = (handler: (city: string) => string) =>
  defineTool<{ city: string }, string>({
    name: 'weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    handler: (_ctx, { city }) => handler(city),
  });

export const sunny = weatherTool((city) => `sunny in ${city}`);

/**
 * A run that fails as a provider does: one tool round, then the provider answers 500 with a body
 * that must never reach a client (it names a key).
 */
export function providerFailure() {
  const model = new FunctionModel((messages) => {
    if (messages.length > 1) throw new ModelHTTPError(500, 'gpt-4o', { key: 'sk-live-secret' }, { message: 'invalid key sk-live-secret' });
    return [{ kind: 'tool-call', toolName: 'weather', args: { city: 'Oslo' }, toolCallId: 'w1' }];
  });
  return agent({ name: 'trip', model, tools: [sunny] });
}

/** One tool round, then a text answer in two deltas. */
export function weatherRun(): AsyncIterable<AgentRunEvent<unknown>> {
  const model = streamed([{ 0: { name: 'weather', jsonArgs: '{"city":', toolCallId: 'w1' } }, { 0: { jsonArgs: '"Paris"}' } }], ['Sunny ', 'in Paris.']);
  return agent({ name: 'trip', model, tools: [sunny] }).runStreamEvents('Weather in Paris?');
}

/** A model that streams words until stopped, with a pause between them; `closed` once its stream ended. */
export function endlessModel() {
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
export async function readThenLeave(url: string, seen: string): Promise<string> {
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
