/**
 * The example servers answer only requests addressed to their loopback name: a page that rebinds
 * its own domain to 127.0.0.1 sends `Host: <its domain>`, and gets a 403 instead of a chat or a run.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatServer } from '../../examples/chat/server.js';
import { extraAllowedHosts, hostRefusal } from '../../examples/http/local-host.js';
import { startWhalesServer } from '../../examples/stream-whales/server.js';
import { startServer } from '../../examples/server.js';
import { closeServer } from './stream-pages.helpers.js';

/** GET `path` on `url`'s server with the Host header `host`: the status and the body. */
function getWithHost(url: string, path: string, host: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

describe('hostRefusal', () => {
  it('lets loopback names through, with or without a port, and refuses any other name', () => {
    for (const host of ['127.0.0.1:3001', 'localhost:3001', 'LOCALHOST', '[::1]:3001', '127.0.0.1']) expect(hostRefusal(host, new Set())).toBeUndefined();
    for (const host of ['evil.example:3001', 'evil.example', '127.0.0.1.evil.example:3001', 'localhost.evil.example', '[::2]:3001', ''])
      expect(hostRefusal(host, new Set())).toMatch(/this server answers requests for 127\.0\.0\.1 or localhost|no Host header/);
    expect(hostRefusal(undefined, new Set())).toBe('the request has no Host header');
  });

  it('takes more names from SCHEMANTIC_ALLOWED_HOSTS (a proxy of your own)', () => {
    const extra = extraAllowedHosts({ SCHEMANTIC_ALLOWED_HOSTS: ' dev.internal , Box.Local ' });
    expect([...extra]).toEqual(['dev.internal', 'box.local']);
    expect(hostRefusal('dev.internal:8443', extra)).toBeUndefined();
    expect(hostRefusal('box.local', extra)).toBeUndefined();
    expect(hostRefusal('other.internal', extra)).toBeDefined();
  });
});

describe('the example servers', () => {
  let chat: Awaited<ReturnType<typeof startChatServer>>;
  let whales: Awaited<ReturnType<typeof startWhalesServer>>;
  beforeAll(async () => {
    chat = await startChatServer(0, { database: { url: undefined }, chunkDelayMs: 0 });
    whales = await startWhalesServer(0, { chunkDelayMs: 0 });
  });
  afterAll(async () => {
    await chat?.close();
    await closeServer(whales?.server);
  });

  it('chat: a rebound name reads no conversation; its own name does', async () => {
    const id = '3f0c2a52-6d7e-4b1e-9a51-1b2c3d4e5f60';
    const refused = await getWithHost(chat.url, `/chat/${id}/messages`, 'evil.example:3001');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toEqual({ error: expect.stringContaining('not for "evil.example:3001"') });
    const own = await getWithHost(chat.url, `/chat/${id}/messages`, `localhost:${new URL(chat.url).port}`);
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body)).toEqual({ chatId: id, messages: [] });
  });

  it('npm run serve: a rebound name gets no page and no run', async () => {
    const serve = await startServer(0, { chunkDelayMs: 0 });
    try {
      expect((await getWithHost(serve.url, '/events?prompt=hi&agent=whales', 'evil.example')).status).toBe(403);
      expect((await getWithHost(serve.url, '/', `127.0.0.1:${new URL(serve.url).port}`)).status).toBe(200);
    } finally {
      await closeServer(serve.server);
    }
  });

  it('stream pages: a rebound name starts no run', async () => {
    const refused = await getWithHost(whales.url, '/events?prompt=whales', 'evil.example');
    expect(refused.status).toBe(403);
    expect(refused.body).not.toContain('partial-output');
    const own = await getWithHost(whales.url, '/events?prompt=2%20whales', new URL(whales.url).host);
    expect(own.status).toBe(200);
    expect(own.body).toContain('event: run-result');
  });
});
