/**
 * Recorded provider traffic served to many runs at once: each request is answered with the
 * recorded exchange at its position in its own conversation (how many assistant turns its body
 * carries), not in arrival order as test/providers/replay-server.ts does. So concurrent runs in
 * several worker processes each replay the whole recording, through the real OpenAI SDK.
 *
 * The server also counts what it answered, per conversation (told apart by the first user
 * message, which each run makes unique) and position: a model request sent twice shows as a
 * count of 2.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Exchange } from '../../providers/replay-server.js';

/** A running server. */
export interface ConversationReplay {
  /** `http://127.0.0.1:<port>`: the SDK's baseURL is this plus `/v1`. */
  readonly url: string;
  /** Requests answered, by conversation, then by position: `{ 'run 3: ...': [1, 1] }`. */
  readonly counts: ReadonlyMap<string, number[]>;
  /** Requests that matched no recorded exchange (answered 599). */
  readonly unmatched: readonly string[];
  close(): Promise<void>;
}

interface ChatBody {
  messages?: { role?: string; content?: unknown }[];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Serves `exchanges` (JSON replies) by conversation position; `delayMs` holds each reply back that
 * long (a model's thinking time, for a benchmark).
 */
export async function startConversationReplay(exchanges: readonly Exchange[], options: { delayMs?: number } = {}): Promise<ConversationReplay> {
  const counts = new Map<string, number[]>();
  const unmatched: string[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      let body: ChatBody = {};
      try {
        body = JSON.parse(text) as ChatBody;
      } catch {
        // Answered as unmatched below.
      }
      const messages = body.messages ?? [];
      const first = messages.find((m) => m.role === 'user');
      const key = typeof first?.content === 'string' ? first.content : JSON.stringify(first?.content);
      const position = messages.filter((m) => m.role === 'assistant').length;
      const exchange = exchanges[position];
      const path = (req.url ?? '').split('?')[0];
      if (!exchange || exchange.response.kind !== 'json' || exchange.request.method !== req.method || exchange.request.path !== path) {
        unmatched.push(`${req.method} ${path} #${position} ${key}`);
        res.writeHead(599, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'no recorded exchange' } }));
        return;
      }
      const seen = counts.get(key) ?? [];
      seen[position] = (seen[position] ?? 0) + 1;
      counts.set(key, seen);
      const reply = exchange.response;
      const send = () => res.writeHead(reply.status, { ...reply.headers, 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
      if (options.delayMs) setTimeout(send, options.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    unmatched,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
