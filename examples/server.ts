/**
 * npm run serve: two generated agents over HTTP, streamed as they run, with nothing but node:http.
 *
 * - `GET /`: a small page that runs an agent and shows its text as it streams (EventSource).
 * - `GET /events?prompt=...&agent=weather|whales`: the run's events as Server-Sent Events. The last,
 *   `run-result`, carries the output, the usage and the run's new user prompt and assistant text:
 *   no instructions, no tool returns (the helpers' default).
 * - `POST /chat` with `{ messages, agent? }` (the body `useChat` of the Vercel AI SDK sends): the run
 *   as the AI SDK's UI message stream. The prompt is the text of the last user message; this demo
 *   keeps no conversation (a real app would store `result.allMessagesJson()` by chat id and pass it
 *   back as `messageHistory`: its own history, trusted; a history a client posts is read with
 *   `parseClientMessages`, which keeps only the user's prompts and the assistant's text).
 *
 * An error of a run is logged (`console.error`) and reaches the client as "The run failed." (the
 * helpers' default): a provider's error text can name accounts or keys.
 *
 * The agents: `weather` (two tools, text output) and `whales` (an array of whales, structured
 * output). With OPENAI_API_KEY (or ANTHROPIC_API_KEY) set they run on that provider
 * (SCHEMANTIC_MODEL picks another model id); without a key, on the test model, streamed in small
 * pieces so the page shows what a provider's stream looks like: no network, no key.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { AgentRunEvent, ModelLike } from 'schemantic';
import { traceContext } from 'schemantic/http';
import { writeEventStream, writeUIMessageStream } from 'schemantic/http/node';
import type { TestModelOptions } from 'schemantic/testing';
import { createWeatherAgent } from '../generated/agents/weather.js';
import { createWhalesAgent } from '../generated/agents/whales.js';
import { PAGE } from './page.js';
import { providerModel } from './provider-model.js';
import { streamingTestModel } from './streaming-test-model.js';
import { startTracing } from './tracing.js';
import { weatherTools } from './weather-tools.js';

/** Options of {@link createServer}. */
export interface ServerOptions {
  /** Pause between the pieces the test model streams (default 25 ms: visible in the page; tests use 0). */
  chunkDelayMs?: number;
}

/** A request the server refuses, with the status and message the client gets. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Runs an agent for one request: its prompt, the signal that cancels it, and the caller's trace context (a traced run continues it). */
type RunAgent = (prompt: string, signal: AbortSignal, trace: Record<string, string>) => AsyncIterable<AgentRunEvent<unknown>>;

/** The largest request body read (a chat history is a few kilobytes). */
const MAX_BODY_BYTES = 1 << 20;

/** The HTTP server, not yet listening. The model is picked from the environment now. */
export function createServer(options: ServerOptions = {}): Server {
  const agents = createAgents(options.chunkDelayMs ?? 25);
  return createHttpServer((req, res) => {
    handle(req, res, agents).catch((err: unknown) => fail(res, err));
  });
}

/** Creates the server and listens on 127.0.0.1 (port 0: any free port); resolves with its URL. */
export async function startServer(port = Number(process.env['PORT'] ?? 3000), options: ServerOptions = {}): Promise<{ server: Server; url: string }> {
  const server = createServer(options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The agents the server runs, by name. */
function createAgents(chunkDelayMs: number): Record<string, RunAgent> {
  const provider = providerModel().id;
  const model = (testOptions: TestModelOptions): ModelLike => provider ?? streamingTestModel(testOptions, chunkDelayMs);
  const weather = createWeatherAgent({
    model: model({ customOutputText: 'It is sunny and 21 °C there. (The test model answered: set OPENAI_API_KEY for a real forecast.)' }),
    tools: weatherTools,
  });
  const whales = createWhalesAgent({ model: model({}) });
  return {
    weather: (prompt, signal, trace) => weather.runStreamEvents(prompt, { context: { user_name: 'friend' }, signal, traceContext: trace }),
    whales: (prompt, signal, trace) => whales.runStreamEvents(prompt, { signal, traceContext: trace }),
  };
}

/** Routes a request. */
async function handle(req: IncomingMessage, res: ServerResponse, agents: Record<string, RunAgent>): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = `${req.method ?? 'GET'} ${url.pathname}`;
  switch (route) {
    case 'GET /':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
      return;
    case 'GET /events': {
      const prompt = url.searchParams.get('prompt')?.trim();
      if (!prompt) throw new HttpError(400, 'the query needs a prompt: /events?prompt=...');
      const run = agentNamed(agents, url.searchParams.get('agent'));
      await writeEventStream(res, (signal) => run(prompt, signal, traceContext(req.headers)));
      return;
    }
    case 'POST /chat': {
      const body = await readJson(req);
      const prompt = lastUserText(body);
      const run = agentNamed(agents, (body as { agent?: unknown }).agent);
      await writeUIMessageStream(res, (signal) => run(prompt, signal, traceContext(req.headers)));
      return;
    }
    default:
      throw ['/', '/events', '/chat'].includes(url.pathname)
        ? new HttpError(405, `${req.method} is not allowed on ${url.pathname}`)
        : new HttpError(404, `no route ${url.pathname}`);
  }
}

/** The agent a request names (default: weather). */
function agentNamed(agents: Record<string, RunAgent>, name: unknown): RunAgent {
  const key = name === undefined || name === null || name === '' ? 'weather' : name;
  if (typeof key === 'string' && Object.hasOwn(agents, key)) return agents[key]!;
  throw new HttpError(400, `unknown agent ${JSON.stringify(key)}: one of ${Object.keys(agents).join(', ')}`);
}

/** The request body as JSON, within {@link MAX_BODY_BYTES}. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}

/** The prompt of a `useChat` request: the text parts of the last user message. */
function lastUserText(body: unknown): string {
  const messages = (body as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages))
    throw new HttpError(400, 'the body needs messages: { "messages": [{ "role": "user", "parts": [{ "type": "text", "text": "..." }] }] }');
  const last = [...messages].reverse().find((m: { role?: unknown } | null) => m?.role === 'user') as { parts?: unknown } | undefined;
  const parts = Array.isArray(last?.parts) ? (last.parts as { type?: unknown; text?: unknown }[]) : [];
  const text = parts
    .filter((p) => p?.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text as string)
    .join('\n')
    .trim();
  if (!text) throw new HttpError(400, 'the last user message has no text part');
  return text;
}

/** Answers a failed request with JSON (or drops the connection if the stream had begun). */
function fail(res: ServerResponse, err: unknown): void {
  if (!(err instanceof HttpError)) console.error(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = err instanceof HttpError ? err.status : 500;
  const message = err instanceof HttpError ? err.message : 'internal error';
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: message }));
}

// Listens only when run directly (npm run serve), not when a test imports it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // With OTEL_EXPORTER_OTLP_ENDPOINT set, every run is traced, continuing the caller's traceparent.
  const stopTracing = await startTracing();
  if (stopTracing) process.once('SIGINT', () => void stopTracing().finally(() => process.exit(0)));
  const { url } = await startServer();
  console.log(`Schemantic example server: ${url} (agents run on ${providerModel().reason})`);
  console.log(`  GET  ${url}/                       a page that streams a run`);
  console.log(`  GET  ${url}/events?prompt=...      the run's events as SSE (agent=weather|whales)`);
  console.log(`  POST ${url}/chat                   the AI SDK UI message stream, for useChat`);
}
