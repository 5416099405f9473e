/**
 * npm run serve:chat — the chat app (the reference's "Chat App with FastAPI", on node:http): a page
 * with a conversation that is stored on the server, each reply streamed into it as it is written.
 *
 * - `GET /`: the page (page.ts); `GET /vendor/marked.esm.js` and `/vendor/purify.es.mjs`: the two
 *   libraries it renders the model's markdown with, from node_modules.
 * - `GET /chat/:id/messages`: the stored conversation of chat `:id` (a UUID) as display items
 *   (display-items.ts): the user's text; each reply's answer, follow-ups and tool calls with their
 *   arguments and results. Never instructions or system prompts. A chat never written to is empty.
 * - `POST /chat/:id` with `{ "prompt": "..." }`: runs the chat agent on the stored history plus the
 *   prompt and streams the run as the AI SDK's UI message stream: tool calls as they happen, the
 *   structured reply as `data-output` parts while it fills in, then the final reply.
 *
 * What is stored, and when: the run's new messages (`result.newMessagesJson()`: the prompt, tool
 * calls and returns, the reply), as one row, once the run has its validated result and before the
 * stream's `finish` goes out, so a client that saw `finish` finds the turn on reload. A run that
 * fails, or that the client abandons (the stream closes and the run is cancelled), stores nothing:
 * not even the prompt, so the history never holds a question without its answer. The page puts such
 * a question back in the box to send again. One turn at a time per chat: a second POST while a reply
 * is being written gets 409.
 *
 * Errors never reach the client as they are: a run's error is logged here and the stream ends with
 * "The run failed." (or "The reply could not be saved."), a request error is `{ "error": "..." }`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { AgentRunEvent, ModelLike } from 'schemantic';
import { writeUIMessageStream } from 'schemantic/http/node';
import type { ChatAgent } from '../../generated/agents/chat.js';
import { failRequest, HttpError } from '../http/http-error.js';
import { hostRefusal } from '../http/local-host.js';
import { readJsonBody } from '../http/read-json-body.js';
import { chatAgent, chatModel } from './chat-agent.js';
import { displayItems } from './display-items.js';
import { chatIdOf, MAX_BODY_BYTES, promptOf } from './http-input.js';
import { chatPage, pageSecurityPolicy } from './page.js';
import { ChatStore, type ChatStoreOptions } from './store.js';
import { vendorFile } from './vendor-files.js';

/** Options of {@link startChatServer}. */
export interface ChatServerOptions {
  /** Pause between the pieces the scripted model streams (default 25 ms, visible in the page). */
  chunkDelayMs?: number;
  /** At most one partial reply per this many milliseconds (default 50; 0: every change). */
  partialOutputMs?: number | false;
  /** An open store to use (left open on close); without it the server opens one with `database`. */
  store?: ChatStore;
  /** Where the server's own store lives (default: `DATABASE_URL`, else PGlite in memory). */
  database?: ChatStoreOptions;
  /** The model (default: a provider when a key is set, else the scripted model). */
  model?: ModelLike;
  /** The clock of the `current_time` tool. */
  now?: () => Date;
  /** Where errors of runs and requests are logged (default console.error). */
  logError?: (error: unknown) => void;
}

/** A running chat server. */
export interface ChatServer {
  server: Server;
  /** Its address, `http://127.0.0.1:<port>`. */
  url: string;
  store: ChatStore;
  /** Which model the replies come from, in words. */
  modelDescription: string;
  /** Stops listening, drops open connections and closes the store it opened. */
  close(): Promise<void>;
}

/** What the routes share. */
interface App {
  agent: ChatAgent;
  store: ChatStore;
  partialOutputMs: number | false;
  /** Chats with a reply being written (one turn at a time per chat). */
  busy: Set<string>;
  logError: (error: unknown) => void;
}

/** The store failed to keep a finished turn: the client is told so, not "the run failed". */
class SaveFailed extends Error {}

/** Starts the chat server on 127.0.0.1 (`port` 0: any free port). */
export async function startChatServer(port = Number(process.env['PORT'] ?? 3001), options: ChatServerOptions = {}): Promise<ChatServer> {
  const store = options.store ?? (await ChatStore.open(options.database));
  const picked = options.model === undefined ? chatModel(options.chunkDelayMs ?? 25) : { model: options.model, description: 'the model given' };
  const app: App = {
    agent: chatAgent(picked.model, options.now),
    store,
    partialOutputMs: options.partialOutputMs ?? 50,
    busy: new Set(),
    logError: options.logError ?? ((error) => console.error(error)),
  };
  const server = createServer((req, res) => {
    handle(req, res, app).catch((err: unknown) =>
      failRequest(res, err, { logError: app.logError, headers: { ...COMMON_HEADERS, 'cache-control': 'no-store' } }),
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    if (!options.store) await store.close();
    throw err;
  }
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store,
    modelDescription: picked.description,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      if (!options.store) await store.close();
    },
  };
}

/** Routes a request. */
async function handle(req: IncomingMessage, res: ServerResponse, app: App): Promise<void> {
  const refused = hostRefusal(req.headers.host);
  if (refused) throw new HttpError(403, refused);
  const method = req.method ?? 'GET';
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/') {
    allow(method, 'GET', path);
    const nonce = randomBytes(16).toString('base64');
    res.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': pageSecurityPolicy(nonce) });
    res.end(chatPage(nonce));
    return;
  }
  const vendored = vendorFile(path);
  if (vendored) {
    allow(method, 'GET', path);
    const text = await vendored;
    res.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=3600' }).end(text);
    return;
  }
  const chat = /^\/chat\/([^/]+)(\/messages)?$/.exec(path);
  if (!chat) throw new HttpError(404, `no route ${path}: the page is at /`);
  if (chat[2]) {
    allow(method, 'GET', path);
    const chatId = chatIdOf(chat[1]!);
    sendJson(res, 200, { chatId, messages: displayItems(await app.store.history(chatId)) });
    return;
  }
  allow(method, 'POST', path);
  await postTurn(req, res, app, chatIdOf(chat[1]!));
}

/** `POST /chat/:id`: one turn, streamed, stored when it finishes (see the module comment). */
async function postTurn(req: IncomingMessage, res: ServerResponse, app: App, chatId: string): Promise<void> {
  const prompt = promptOf(await readJsonBody(req, { maxBytes: MAX_BODY_BYTES, requireJsonType: true }));
  if (app.busy.has(chatId)) throw new HttpError(409, 'a reply is still being written in this chat: wait for it to finish');
  app.busy.add(chatId);
  try {
    const history = await app.store.history(chatId);
    await writeUIMessageStream(
      res,
      (signal) => storing(app.store, chatId, app.agent.runStreamEvents(prompt, { messageHistory: history, signal, conversationId: chatId })),
      {
        messageId: randomUUID(),
        partialOutputMs: app.partialOutputMs,
        errorMessage(error) {
          app.logError(error);
          return error instanceof SaveFailed ? 'The reply could not be saved.' : 'The run failed.';
        },
      },
    );
  } finally {
    app.busy.delete(chatId);
  }
}

/** The run's events, its new messages stored as soon as it has its result (before that event goes on). */
async function* storing(store: ChatStore, chatId: string, events: AsyncIterable<AgentRunEvent<unknown>>): AsyncGenerator<AgentRunEvent<unknown>> {
  for await (const event of events) {
    if (event.kind === 'run-result') {
      try {
        await store.append(chatId, event.result.newMessagesJson());
      } catch (err) {
        throw new SaveFailed('storing the turn failed', { cause: err });
      }
    }
    yield event;
  }
}

/** Headers of every response. */
const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } as const;

/** Refuses a method a route does not answer. */
function allow(method: string, expected: 'GET' | 'POST', path: string): void {
  if (method !== expected) throw new HttpError(405, `${method} is not allowed on ${path} (use ${expected})`);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

const USAGE = `Usage: npm run serve:chat -- [--data-dir DIR | --memory]

Serves the chat app on http://127.0.0.1:$PORT/ (PORT default 3001).

Options:
  --data-dir DIR   keep the conversations (PGlite) in DIR (default .data/chat)
  --memory         keep them in memory only (gone when the server stops)
  -h, --help       print this help

Environment:
  DATABASE_URL                        a PostgreSQL server instead of PGlite
  OPENAI_API_KEY / ANTHROPIC_API_KEY  reply with that provider instead of the scripted model
  SCHEMANTIC_MODEL                    the model id to run on`;

/** `npm run serve:chat`. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, memory: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return void console.log(USAGE);
  if (values.memory && values['data-dir'] !== undefined) throw new Error('give --data-dir or --memory, not both');
  const dataDir = values.memory ? undefined : (values['data-dir'] ?? fileURLToPath(new URL('../../.data/chat', import.meta.url)));
  const chat = await startChatServer(undefined, { database: { dataDir } });
  console.log(`Chat app: ${chat.url}/`);
  console.log(`  conversations: ${chat.store.label}`);
  console.log(`  replies: ${chat.modelDescription}`);
  const stop = () => void chat.close().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// Listens only when run directly (npm run serve:chat), not when a test or main.ts imports it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(`error: ${(err as Error).message}`);
    process.exit(1);
  });
}
