/**
 * npm run serve:stream-markdown - the stream markdown page: open http://127.0.0.1:3003 (PORT
 * changes the port), ask, and watch the answer render as markdown while it streams.
 *
 * - `GET /`: the page (page.ts).
 * - `GET /events?prompt=...`: the run as Server-Sent Events (text in `part-start`/`part-delta`,
 *   the whole answer in `run-result`).
 * - `GET /vendor/marked.esm.js`, `GET /vendor/purify.es.mjs`: the browser builds of `marked` and
 *   `DOMPurify`, from node_modules.
 *
 * Without a key the agent runs on the scripted demo model (demo-model.ts); with OPENAI_API_KEY or
 * ANTHROPIC_API_KEY (or SCHEMANTIC_MODEL) on that provider. Listens on 127.0.0.1 only.
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelLike } from 'schemantic';
import { createMarkdownWriterAgent } from '../../generated/agents/markdown-writer.js';
import { providerModel } from '../provider-model.js';
import { createStreamPageServer, listenLocally, type Asset } from '../stream-pages/stream-page-server.js';
import { markdownDemoModel } from './demo-model.js';
import { DOMPURIFY_ROUTE, MARKDOWN_PAGE, MARKED_ROUTE } from './page.js';

/** Options of {@link createMarkdownServer}. */
export interface MarkdownServerOptions {
  /** The demo model's pause between words (default 15 ms; ignored on a provider). */
  chunkDelayMs?: number;
  /** The model, instead of the one the environment picks (tests). */
  model?: ModelLike;
}

/**
 * The two browser modules, found the way Node finds the packages (wherever npm put them):
 * `marked` resolves to its ES module build itself; DOMPurify's sits next to its CommonJS one.
 */
export function vendorAssets(): Record<string, Asset> {
  const require = createRequire(import.meta.url);
  const type = 'text/javascript; charset=utf-8';
  return {
    [MARKED_ROUTE]: { file: join(dirname(require.resolve('marked')), 'marked.esm.js'), type },
    [DOMPURIFY_ROUTE]: { file: join(dirname(require.resolve('dompurify')), 'purify.es.mjs'), type },
  };
}

/** The server, not yet listening. The model is picked from the environment now. */
export function createMarkdownServer(options: MarkdownServerOptions = {}): Server {
  const model = options.model ?? providerModel().id ?? markdownDemoModel(options.chunkDelayMs === undefined ? {} : { chunkDelayMs: options.chunkDelayMs });
  const writer = createMarkdownWriterAgent({ model });
  return createStreamPageServer({ page: MARKDOWN_PAGE, assets: vendorAssets(), run: (prompt, signal) => writer.runStreamEvents(prompt, { signal }) });
}

/** Creates the server and listens on 127.0.0.1 (port 0: any free port); resolves with its URL. */
export function startMarkdownServer(port = Number(process.env['PORT'] ?? 3003), options: MarkdownServerOptions = {}): Promise<{ server: Server; url: string }> {
  return listenLocally(createMarkdownServer(options), port);
}

// Listens only when run directly (npm run serve:stream-markdown), not when a test imports it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { url } = await startMarkdownServer();
  const { id, reason } = providerModel();
  console.log(`Stream markdown: open ${url}/ (the agent runs on ${id ? reason : 'a scripted demo model; set OPENAI_API_KEY for a real one'})`);
  console.log(`  GET ${url}/events?prompt=...   the run as Server-Sent Events`);
}
