/**
 * npm run serve:stream-whales - the stream whales page: open http://127.0.0.1:3002 (PORT changes
 * the port), ask, and watch the table fill in row by row as the whales agent's output streams.
 *
 * - `GET /`: the page (page.ts).
 * - `GET /events?prompt=...`: the run as Server-Sent Events; `partial-output` events carry the
 *   whales so far (at most one every 100 ms), `run-result` the validated list.
 *
 * Without a key the agent runs on the scripted demo model (demo-model.ts); with OPENAI_API_KEY or
 * ANTHROPIC_API_KEY (or SCHEMANTIC_MODEL) on that provider. Listens on 127.0.0.1 only.
 */
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import type { ModelLike } from 'schemantic';
import { createWhalesAgent } from '../../generated/agents/whales.js';
import { providerModel } from '../provider-model.js';
import { createStreamPageServer, listenLocally } from '../stream-pages/stream-page-server.js';
import { whalesDemoModel } from './demo-model.js';
import { WHALES_PAGE } from './page.js';

/** Options of {@link createWhalesServer}. */
export interface WhalesServerOptions {
  /** The demo model's pause between pieces (default 25 ms; ignored on a provider). */
  chunkDelayMs?: number;
  /** The least time between two `partial-output` events sent (default 100 ms; 0: every change). */
  partialOutputMs?: number | false;
  /** The model, instead of the one the environment picks (tests). */
  model?: ModelLike;
}

/** The server, not yet listening. The model is picked from the environment now. */
export function createWhalesServer(options: WhalesServerOptions = {}): Server {
  const model = options.model ?? providerModel().id ?? whalesDemoModel(options.chunkDelayMs === undefined ? {} : { chunkDelayMs: options.chunkDelayMs });
  const whales = createWhalesAgent({ model });
  return createStreamPageServer({
    page: WHALES_PAGE,
    run: (prompt, signal) => whales.runStreamEvents(prompt, { signal }),
    ...(options.partialOutputMs === undefined ? {} : { partialOutputMs: options.partialOutputMs }),
  });
}

/** Creates the server and listens on 127.0.0.1 (port 0: any free port); resolves with its URL. */
export function startWhalesServer(port = Number(process.env['PORT'] ?? 3002), options: WhalesServerOptions = {}): Promise<{ server: Server; url: string }> {
  return listenLocally(createWhalesServer(options), port);
}

// Listens only when run directly (npm run serve:stream-whales), not when a test imports it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { url } = await startWhalesServer();
  const { id, reason } = providerModel();
  console.log(`Stream whales: open ${url}/ (the agent runs on ${id ? reason : 'a scripted demo model; set OPENAI_API_KEY for a real one'})`);
  console.log(`  GET ${url}/events?prompt=...   the run as Server-Sent Events (partial-output: the whales so far)`);
}
