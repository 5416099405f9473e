/**
 * npm run serve: three agents over HTTP, streamed as they run, with nothing but node:http; one of
 * them waits for a person's approval, in the page or in a `useChat` front end.
 *
 * - `GET /`: a small page that runs an agent and shows its text, tool calls and output as they
 *   stream; when a run stops at a call that needs approval, the page shows the call with Approve
 *   and Deny buttons, and the decision resumes the run (read with fetch: EventSource can neither
 *   read the run id header nor POST the decision).
 * - `GET /events?prompt=...&agent=weather|whales|refunds`: the run's events as Server-Sent Events.
 *   The last, `run-result`, carries the output, the usage and the run's new user prompt and
 *   assistant text: no instructions, no tool returns (the helpers' default). A run that stops at
 *   calls waiting for approval sends `deferred-tool-requests` (the calls) and ends with them as its
 *   output; its paused state stays here, under the id in the response's `x-run-id` header.
 * - `POST /resume` with `{ id, decisions }`, decisions `{ "<tool call id>": { approved, reason? } }`:
 *   resumes the run paused under `id` (once: the id is spent) and streams the rest of it as SSE, a
 *   new `x-run-id` in case it pauses again. The browser sends only its decisions, never a history:
 *   the run continues from the one stored here, and the agent checks each decision again.
 * - `POST /chat` with `{ id, messages, agent? }` (the body `useChat` of the Vercel AI SDK sends):
 *   the run as the AI SDK's UI message stream. The prompt is the text of the last user message;
 *   this demo keeps no conversation (examples/chat/ does: it stores `result.newMessagesJson()` by chat id
 *   and passes them back as `messageHistory`: its own history, trusted; a history a client posts is read
 *   with `parseClientMessages`, which keeps only the user's prompts and the assistant's text). A run
 *   that stops at calls waiting for approval shows them as AI SDK 6 approval parts and is kept here
 *   under the chat id; when the client posts again with the last message the assistant's (after
 *   `addToolApprovalResponse`), the answers in it, and nothing else of the body, resume that run
 *   (`deferredResultsFromUIMessages`). A new user message drops a run the chat left waiting.
 *
 * Paused runs live in this process's memory (examples/paused-runs.ts); a real app keeps them in its
 * database, keyed by ids it makes (a chat id is the client's: scope it to the signed-in user).
 *
 * An error of a run is logged (`console.error`) and reaches the client as "The run failed." (the
 * helpers' default): a provider's error text can name accounts or keys.
 *
 * The agents: `weather` (two tools, text output), `whales` (an array of whales, structured output)
 * and `refunds` (examples/refunds-agent.ts: a hand-written agent whose `refund` tool needs
 * approval). With OPENAI_API_KEY (or ANTHROPIC_API_KEY) set they run on that provider
 * (SCHEMANTIC_MODEL picks another model id); without a key, weather and whales run on the test
 * model and refunds on a scripted model (it refunds the order the prompt names, then answers from
 * the refund or the denial), streamed in small pieces so the page shows what a provider's stream
 * looks like: no network, no key.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { UserError, type AgentRunEvent, type ApprovalDecision, type DeferredToolResults, type ModelLike, type PausedRun } from 'schemantic';
import { deferredResultsFromUIMessages, traceContext } from 'schemantic/http';
import { writeEventStream, writeUIMessageStream } from 'schemantic/http/node';
import type { TestModelOptions } from 'schemantic/testing';
import { createWeatherAgent } from '../generated/agents/weather.js';
import { failRequest, HttpError } from './http/http-error.js';
import { hostRefusal } from './http/local-host.js';
import { readJsonBody } from './http/read-json-body.js';
import { createWhalesAgent } from '../generated/agents/whales.js';
import { PAGE } from './page.js';
import { PausedRuns } from './paused-runs.js';
import { providerModel } from './provider-model.js';
import { createRefundsAgent } from './refunds-agent.js';
import { refundsDemoModel } from './refunds-demo-model.js';
import { streamingTestModel } from './streaming-test-model.js';
import { startTracing } from './tracing.js';
import { weatherTools } from './weather-tools.js';

/** Options of {@link createServer}. */
export interface ServerOptions {
  /** Pause between the pieces the example models stream without a key (default 25 ms: visible in the page; tests use 0). */
  chunkDelayMs?: number;
}

/** The events of a run. */
type RunEvents = AsyncIterable<AgentRunEvent<unknown>>;

/** An agent the server runs, with the options it needs; `signal` cancels the run, `trace` is the caller's trace context (a traced run continues it). */
interface ServedAgent {
  run(prompt: string, signal: AbortSignal, trace: Record<string, string>): RunEvents;
  /** Resumes a run of this agent that stopped at deferred calls, with the answers to them. */
  resume(paused: PausedRun, results: DeferredToolResults, signal: AbortSignal, trace: Record<string, string>): RunEvents;
}

/** What the routes share: the agents by name, and the runs waiting for decisions. */
interface Served {
  agents: Record<string, ServedAgent>;
  pausedRuns: PausedRuns;
}

/** The response header that names the id a run's paused state is kept under, should it pause. */
const RUN_ID_HEADER = 'x-run-id';

/** The largest request body read (a chat history is a few kilobytes). */
const MAX_BODY_BYTES = 1 << 20;

/** The HTTP server, not yet listening. The model is picked from the environment now. */
export function createServer(options: ServerOptions = {}): Server {
  const served: Served = { agents: createAgents(options.chunkDelayMs ?? 25), pausedRuns: new PausedRuns() };
  return createHttpServer((req, res) => {
    handle(req, res, served).catch((err: unknown) => failRequest(res, err));
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

/** The agents the server runs, by name (a paused run names its agent). */
function createAgents(chunkDelayMs: number): Record<string, ServedAgent> {
  const provider = providerModel().id;
  const model = (testOptions: TestModelOptions): ModelLike => provider ?? streamingTestModel(testOptions, chunkDelayMs);
  const weather = createWeatherAgent({
    model: model({ customOutputText: 'It is sunny and 21 °C there. (The test model answered: set OPENAI_API_KEY for a real forecast.)' }),
    tools: weatherTools,
  });
  const whales = createWhalesAgent({ model: model({}) });
  const refunds = createRefundsAgent(provider ?? refundsDemoModel(chunkDelayMs));
  const context = { user_name: 'friend' };
  return {
    weather: {
      run: (prompt, signal, trace) => weather.runStreamEvents(prompt, { context, signal, traceContext: trace }),
      resume: (paused, results, signal, trace) => weather.resumeStreamEvents(paused, results, { context, signal, traceContext: trace }),
    },
    whales: {
      run: (prompt, signal, trace) => whales.runStreamEvents(prompt, { signal, traceContext: trace }),
      resume: (paused, results, signal, trace) => whales.resumeStreamEvents(paused, results, { signal, traceContext: trace }),
    },
    refunds: {
      run: (prompt, signal, trace) => refunds.runStreamEvents(prompt, { signal, traceContext: trace }),
      resume: (paused, results, signal, trace) => refunds.resumeStreamEvents(paused, results, { signal, traceContext: trace }),
    },
  };
}

/** Routes a request. */
async function handle(req: IncomingMessage, res: ServerResponse, { agents, pausedRuns }: Served): Promise<void> {
  const refused = hostRefusal(req.headers.host);
  if (refused) throw new HttpError(403, refused);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = `${req.method ?? 'GET'} ${url.pathname}`;
  switch (route) {
    case 'GET /':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
      return;
    case 'GET /events': {
      const prompt = url.searchParams.get('prompt')?.trim();
      if (!prompt) throw new HttpError(400, 'the query needs a prompt: /events?prompt=...');
      const agent = agentNamed(agents, url.searchParams.get('agent'));
      // Made now, kept only if the run pauses: the client learns it before the stream begins.
      const id = randomUUID();
      res.setHeader(RUN_ID_HEADER, id);
      await writeEventStream(res, (signal) => pausedRuns.keeping(`run:${id}`, agent.run(prompt, signal, traceContext(req.headers))));
      return;
    }
    case 'POST /resume': {
      const body = await readJsonBody(req, { maxBytes: MAX_BODY_BYTES });
      const id = (body as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') throw new HttpError(400, 'the body needs the id of a paused run: { "id": "...", "decisions": { ... } }');
      const taken = await pausedRuns.take(`run:${id}`, (paused) => decisionsOf((body as { decisions?: unknown }).decisions, paused));
      if (!taken) throw new HttpError(404, 'no run waits for decisions under this id (it was resumed already, or never paused)');
      const agent = agentNamed(agents, taken.paused.agent);
      const next = randomUUID();
      res.setHeader(RUN_ID_HEADER, next);
      await writeEventStream(res, (signal) =>
        pausedRuns.keeping(`run:${next}`, agent.resume(taken.paused, taken.answers, signal, traceContext(req.headers)), {
          key: `run:${id}`,
          paused: taken.paused,
        }),
      );
      return;
    }
    case 'POST /chat': {
      await chat(req, res, agents, pausedRuns);
      return;
    }
    default:
      throw ['/', '/events', '/resume', '/chat'].includes(url.pathname)
        ? new HttpError(405, `${req.method} is not allowed on ${url.pathname}`)
        : new HttpError(404, `no route ${url.pathname}`);
  }
}

/**
 * `POST /chat`: a new turn (the last message is the user's) runs the agent; a continuation (the
 * last message is the assistant's, holding the user's approvals) resumes the run this chat left
 * waiting, with the answers read from the messages and nothing else of the body.
 */
async function chat(req: IncomingMessage, res: ServerResponse, agents: Record<string, ServedAgent>, pausedRuns: PausedRuns): Promise<void> {
  const body = (await readJsonBody(req, { maxBytes: MAX_BODY_BYTES })) as { id?: unknown; messages?: unknown; agent?: unknown } | null;
  const messages = body?.messages;
  if (!Array.isArray(messages))
    throw new HttpError(400, 'the body needs messages: { "messages": [{ "role": "user", "parts": [{ "type": "text", "text": "..." }] }] }');
  const chatId = body!.id;
  const key = typeof chatId === 'string' && chatId !== '' && chatId.length <= 200 ? `chat:${chatId}` : undefined;
  const trace = traceContext(req.headers);
  if ((messages.at(-1) as { role?: unknown } | null)?.role === 'assistant') {
    if (!key) throw new HttpError(400, 'a continuation of a chat needs its id (`id`, as useChat sends it)');
    const taken = await pausedRuns.take(key, (paused) => asBadRequest(() => deferredResultsFromUIMessages(messages, paused)));
    if (!taken) throw new HttpError(409, 'no run of this chat waits for answers (it was resumed already, or never paused)');
    const agent = agentNamed(agents, taken.paused.agent);
    const events = (signal: AbortSignal) => pausedRuns.keeping(key, agent.resume(taken.paused, taken.answers, signal, trace), { key, paused: taken.paused });
    // No messageId: the client continues the message that showed the pending calls.
    await writeUIMessageStream(res, events, { resumedWith: taken.answers });
    return;
  }
  const prompt = lastUserText(messages);
  const agent = agentNamed(agents, body!.agent);
  // A new turn: a run the chat left waiting is not resumed any more.
  if (key) await pausedRuns.forget(key);
  await writeUIMessageStream(res, (signal) => (key ? pausedRuns.keeping(key, agent.run(prompt, signal, trace)) : agent.run(prompt, signal, trace)));
}

/**
 * The decisions of `POST /resume`, `{ "<tool call id>": { approved, reason? } }`, for the calls
 * `paused` waits on (each checked again by the agent when it resumes). A call left out waits again.
 */
function decisionsOf(decisions: unknown, paused: PausedRun): DeferredToolResults {
  const decision = '{ "approved": true | false, "reason"?: "..." }';
  if (typeof decisions !== 'object' || decisions === null || Array.isArray(decisions))
    throw new HttpError(400, `decisions must be an object: { "<tool call id>": ${decision} }`);
  const pending = new Set(paused.requests.approvals.map((call) => call.toolCallId));
  const approvals = Object.entries(decisions as Record<string, unknown>).map(([id, value]): [string, ApprovalDecision] => {
    if (!pending.has(id)) throw new HttpError(400, `no call ${JSON.stringify(id)} of this run waits for a decision`);
    const { approved, reason } = (value ?? {}) as { approved?: unknown; reason?: unknown };
    if (typeof approved !== 'boolean' || (reason !== undefined && typeof reason !== 'string'))
      throw new HttpError(400, `the decision for call ${JSON.stringify(id)} must be ${decision}`);
    return [id, approved ? true : reason ? { approved: false, message: reason } : false];
  });
  return { approvals: Object.fromEntries(approvals) };
}

/** `read()`, its UserError (input the client got wrong) a 400. */
function asBadRequest<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (UserError.isInstance(err)) throw new HttpError(400, err.message);
    throw err;
  }
}

/** The agent a request names (default: weather). */
function agentNamed(agents: Record<string, ServedAgent>, name: unknown): ServedAgent {
  const key = name === undefined || name === null || name === '' ? 'weather' : name;
  if (typeof key === 'string' && Object.hasOwn(agents, key)) return agents[key]!;
  throw new HttpError(400, `unknown agent ${JSON.stringify(key)}: one of ${Object.keys(agents).join(', ')}`);
}

/** The prompt of a `useChat` request: the text parts of the last user message. */
function lastUserText(messages: readonly unknown[]): string {
  const last = [...messages].reverse().find((m) => (m as { role?: unknown } | null)?.role === 'user') as { parts?: unknown } | undefined;
  const parts = Array.isArray(last?.parts) ? (last.parts as { type?: unknown; text?: unknown }[]) : [];
  const text = parts
    .filter((p) => p?.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text as string)
    .join('\n')
    .trim();
  if (!text) throw new HttpError(400, 'the last user message has no text part');
  return text;
}

// Listens only when run directly (npm run serve), not when a test imports it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // With OTEL_EXPORTER_OTLP_ENDPOINT set, every run is traced, continuing the caller's traceparent.
  const stopTracing = await startTracing();
  if (stopTracing) process.once('SIGINT', () => void stopTracing().finally(() => process.exit(0)));
  const { url } = await startServer();
  console.log(`Schemantic example server: ${url} (agents run on ${providerModel().reason})`);
  console.log(`  GET  ${url}/                       a page that streams a run`);
  console.log(`  GET  ${url}/events?prompt=...      the run's events as SSE (agent=weather|whales|refunds)`);
  console.log(`  POST ${url}/resume                 { id, decisions }: resumes a run that waits for approval (SSE)`);
  console.log(`  POST ${url}/chat                   the AI SDK UI message stream, for useChat (approvals included)`);
}
