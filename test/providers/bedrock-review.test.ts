/**
 * Adversarial review of the Bedrock Converse adapter (issue 17), through the real
 * `@aws-sdk/client-bedrock-runtime` client against local servers: answers that lie, event streams
 * that stall or break, histories from other providers, and credentials that must not leak.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { collectStream, ModelAPIError, ModelHTTPError, type ModelMessage } from 'schemantic';
import { BedrockModel, type BedrockModelOptions } from 'schemantic/bedrock';
import { CANARY_KEY, expectNoCanary, noTools, userPrompt, withReplay } from './harness.js';
import type { ReplayServer } from './replay-server.js';

const KEY_ID = 'AKIDSCHEMANTICTEST01';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjESchemanticSessionCanary7Q2';

function bedrockModel(url: string, modelId: string, options: BedrockModelOptions = {}): BedrockModel {
  return BedrockModel.connect(modelId, {
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: KEY_ID, secretAccessKey: CANARY_KEY, sessionToken: SESSION_TOKEN },
    maxRetries: 0,
    clientConfig: { requestHandler: new NodeHttpHandler() },
    ...options,
  });
}

/** A Converse answer with `content` and `stopReason`, as JSON. */
function converse(content: unknown[], stopReason = 'end_turn') {
  return {
    request: { method: 'POST', path: '/model/amazon.nova-micro-v1%3A0/converse' },
    response: {
      kind: 'json' as const,
      status: 200,
      body: { output: { message: { role: 'assistant', content } }, stopReason, usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } },
    },
  };
}

/** One AWS event-stream message (`:event-type` `type`, a JSON payload), as ConverseStream sends it. */
function event(type: string, payload: object): Buffer {
  const header = (name: string, value: string) => {
    const n = Buffer.from(name);
    const v = Buffer.from(value);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(v.length);
    return Buffer.concat([Buffer.from([n.length]), n, Buffer.from([7]), len, v]);
  };
  const headers = Buffer.concat([header(':event-type', type), header(':content-type', 'application/json'), header(':message-type', 'event')]);
  const body = Buffer.from(JSON.stringify(payload));
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(16 + headers.length + body.length, 0);
  prelude.writeUInt32BE(headers.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(crc32(prelude));
  const message = Buffer.concat([prelude, preludeCrc, headers, body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(message));
  return Buffer.concat([message, crc]);
}

/** A server that answers every ConverseStream with `events`, then does `then` (stall: leave the connection open). */
async function streamServer(events: Buffer[], then: 'stall' | 'reset'): Promise<{ url: string; closed: Promise<void>; close(): Promise<void> }> {
  let onClosed!: () => void;
  const closed = new Promise<void>((resolve) => (onClosed = resolve));
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    req.resume();
    open.add(res);
    res.on('close', onClosed);
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
    for (const e of events) res.write(e);
    if (then === 'reset') setTimeout(() => res.socket?.destroy(), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    closed,
    close: () => {
      for (const res of open) res.socket?.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const started = [event('messageStart', { role: 'assistant' }), event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' }, p: 'abc' })];

describe('Bedrock: event streams that stall or break', () => {
  it('abandons a stream that stalls mid-answer with a ModelAPIError, and closes the connection', async () => {
    const server = await streamServer(started, 'stall');
    try {
      const error = await collectStream(bedrockModel(server.url, 'amazon.nova-micro-v1:0').requestStream(userPrompt('hi'), { timeout: 0.3 }, noTools)).catch(
        (e: unknown) => e,
      );
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/stalled: nothing arrived for 300 ms/);
      await server.closed;
      expectNoCanary(error);
    } finally {
      await server.close();
    }
  });

  it('turns a connection reset mid-stream into a ModelAPIError, not a finished answer', async () => {
    const server = await streamServer(started, 'reset');
    try {
      const error = await collectStream(bedrockModel(server.url, 'amazon.nova-micro-v1:0').requestStream(userPrompt('hi'), undefined, noTools)).catch(
        (e: unknown) => e,
      );
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expectNoCanary(error);
      expect(JSON.stringify(error)).not.toContain(SESSION_TOKEN);
    } finally {
      await server.close();
    }
  });

  it("ends at the caller's abort mid-stream with its reason, closing the connection", async () => {
    const server = await streamServer(started, 'stall');
    try {
      const controller = new AbortController();
      const reason = new Error('user left');
      const stream = bedrockModel(server.url, 'amazon.nova-micro-v1:0').requestStream(userPrompt('hi'), undefined, noTools, controller.signal);
      const seen: string[] = [];
      const error = await (async () => {
        for await (const e of stream) {
          seen.push(e.kind);
          controller.abort(reason);
        }
      })().catch((e: unknown) => e);
      expect(error).toBe(reason);
      expect(seen).toEqual(['part-start']);
      await server.closed;
    } finally {
      await server.close();
    }
  });
});

describe('Bedrock: answers that lie', () => {
  it.each([
    ['reasoning text that is not text', [{ reasoningContent: { reasoningText: { text: 42, signature: 'sig' } } }]],
    ['a signature that is not text', [{ reasoningContent: { reasoningText: { text: 'hm', signature: { forged: true } } } }]],
  ])('rejects an answer with %s as malformed', async (_what, content) => {
    await withReplay([converse(content)], async (server: ReplayServer) => {
      const error = await bedrockModel(server.url, 'amazon.nova-micro-v1:0')
        .request(userPrompt('hi'), undefined, noTools)
        .then(
          (response) => response.parts,
          (e: unknown) => e,
        );
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/malformed response: output\.message\.content\[0\]\.reasoningContent/);
    });
  });
});

describe('Bedrock: histories and documents', () => {
  it('gives every document of a request its own name, an identifier like a generated name included', async () => {
    const pdf = Buffer.from('%PDF-1.4 x').toString('base64');
    await withReplay([converse([{ text: 'ok' }])], async (server) => {
      await bedrockModel(server.url, 'amazon.nova-micro-v1:0').request(
        userPrompt([
          'Compare.',
          { kind: 'binary', data: pdf, mediaType: 'application/pdf', identifier: 'Document 2' },
          { kind: 'binary', data: pdf, mediaType: 'application/pdf' },
          { kind: 'binary', data: pdf, mediaType: 'application/pdf', identifier: 'Document 2' },
        ]),
        undefined,
        noTools,
      );
      const content = (server.requests[0]!.body as { messages: { content: { document?: { name: string } }[] }[] }).messages[0]!.content;
      const names = content.flatMap((block) => (block.document ? [block.document.name] : []));
      expect(names).toHaveLength(3);
      expect(new Set(names).size).toBe(3);
    });
  });

  it('sends Nova no reasoning from Anthropic (signed or redacted), and still alternates the turns', async () => {
    const history: ModelMessage[] = [
      ...userPrompt('First?'),
      {
        kind: 'response',
        parts: [
          { kind: 'thinking', content: 'Anthropic thought.', signature: 'EqQBCkYIBxgCKkB', provider: 'anthropic' },
          { kind: 'thinking', content: 'RXJlZGFjdGVk', redacted: true, provider: 'anthropic' },
        ],
        modelName: 'claude',
        timestamp: '',
        usage: { inputTokens: 1, outputTokens: 1 },
      },
      ...userPrompt('Second?'),
    ];
    await withReplay([converse([{ text: 'ok' }])], async (server) => {
      await bedrockModel(server.url, 'amazon.nova-micro-v1:0').request(history, undefined, noTools);
      const body = server.requests[0]!.body as { messages: { role: string; content: unknown[] }[] };
      expect(body.messages).toEqual([{ role: 'user', content: [{ text: 'First?' }, { text: 'Second?' }] }]);
    });
  });
});

describe('Bedrock: credentials', () => {
  it('keeps the session token out of an HTTP error whose body echoes it', async () => {
    const echo = {
      request: { method: 'POST', path: '/model/amazon.nova-micro-v1%3A0/converse' },
      response: {
        kind: 'json' as const,
        status: 403,
        headers: { 'x-amzn-errortype': 'UnrecognizedClientException' },
        body: { message: `The security token included in the request is invalid: ${SESSION_TOKEN}` },
      },
    };
    await withReplay([echo], async (server) => {
      const error = await bedrockModel(server.url, 'amazon.nova-micro-v1:0')
        .request(userPrompt('hi'), undefined, noTools)
        .catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error)).toBe(true);
      expect((error as ModelHTTPError).status).toBe(403);
      expect(JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack, body: (error as ModelHTTPError).body })).not.toContain(
        SESSION_TOKEN,
      );
    });
  });
});
