/**
 * Review 2 of the stream examples, as a hostile web page or a hostile model would try them: a page
 * on another site that starts runs on the user's local stream server (and key) through an iframe
 * or a no-cors request; a prompt within the limit, in a script whose letters take nine bytes each
 * in the URL; whale names and markdown lines carrying terminal escape sequences and line breaks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FunctionModel } from 'schemantic/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMarkdownServer } from '../../examples/stream-markdown/server.js';
import { TerminalMarkdown } from '../../examples/stream-markdown/terminal-markdown.js';
import { MAX_PROMPT_CHARS } from '../../examples/stream-pages/stream-page-server.js';
import { startWhalesServer } from '../../examples/stream-whales/server.js';
import { whaleLine, whaleTable } from '../../examples/stream-whales/whale-table.js';
import { closeServer, launchChromium, readSse } from './stream-pages.helpers.js';

/** A whales model that counts the model requests it streams (a run that reached the provider). */
function countingModel() {
  const state = { requests: 0 };
  const model = new FunctionModel(undefined, {
    stream: async function* (_messages, info) {
      state.requests++;
      yield { 0: { name: info.outputTools[0]!.name, toolCallId: 'out-1', jsonArgs: '{"response":[{"name":"Orca","length":7,"weight":4000,"ocean":"All"}]}' } };
    },
  });
  return { model, state };
}

/** The status of each request the server answered, in order. */
function answered(server: Server): { url: string; status: number }[] {
  const seen: { url: string; status: number }[] = [];
  // 'close', not 'finish': a response the client dropped halfway never finishes.
  server.on('request', (req, res) => res.once('close', () => seen.push({ url: req.url ?? '', status: res.statusCode })));
  return seen;
}

describe('stream pages: runs started from another site', () => {
  const started: Server[] = [];
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    for (const server of started) await closeServer(server);
  });

  it('a page on another site cannot run the model through an iframe or a no-cors fetch of /events', async () => {
    const { model, state } = countingModel();
    const whales = await startWhalesServer(0, { model, partialOutputMs: 0 });
    started.push(whales.server);
    const seen = answered(whales.server);
    const hostile = createServer((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<!doctype html><iframe src="${whales.url}/events?prompt=iframe"></iframe>` +
            `<script>fetch('${whales.url}/events?prompt=fetch', { mode: 'no-cors' }).catch(() => {});</script>`,
        );
    });
    started.push(hostile);
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    // localhost and 127.0.0.1 are two sites: the browser says so in Sec-Fetch-Site.
    const page = await browser!.newPage();
    await page.goto(`http://localhost:${(hostile.address() as AddressInfo).port}/`);
    await vi.waitFor(() => expect(seen.map((s) => s.url).sort()).toEqual(['/events?prompt=fetch', '/events?prompt=iframe']), { timeout: 10_000 });
    expect(seen.map((s) => s.status)).toEqual([403, 403]);
    expect(state.requests).toBe(0);
    await page.close();
  });

  it('says why in JSON, for both servers; the page itself, a client without Sec-Fetch-Site and a same-origin fetch still run', async () => {
    const { model, state } = countingModel();
    const whales = await startWhalesServer(0, { model, partialOutputMs: 0 });
    const markdown = await startMarkdownServer(0, { chunkDelayMs: 0 });
    started.push(whales.server, markdown.server);
    for (const base of [whales.url, markdown.url]) {
      for (const site of ['cross-site', 'same-site']) {
        const response = await fetch(`${base}/events?prompt=hi`, { headers: { 'sec-fetch-site': site } });
        expect(response.status).toBe(403);
        expect(await response.json()).toEqual({ error: "runs start only from this server's own page (the request came from another site)" });
      }
    }
    expect(state.requests).toBe(0);
    expect((await readSse(`${whales.url}/events?prompt=one%20whale`)).events.map((e) => e.kind)).toContain('run-result');
    const same = await fetch(`${whales.url}/events?prompt=one%20whale`, { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(same.status).toBe(200);
    await same.text();
    expect(state.requests).toBe(2);
    // The page opens from a bookmark or the address bar (Sec-Fetch-Site: none), and its own script runs.
    const page = await browser!.newPage();
    await page.goto(`${whales.url}/`);
    await page.fill('#prompt', 'One whale, please.');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toMatch(/^Done: 1 species/);
    expect(state.requests).toBe(3);
    await page.close();
  });
});

describe('stream pages: prompts in any script', () => {
  let whales: { server: Server; url: string };
  beforeAll(async () => {
    whales = await startWhalesServer(0, { model: countingModel().model, partialOutputMs: 0 });
  });
  afterAll(async () => {
    await closeServer(whales?.server);
  });

  it('runs the longest prompt accepted even when each character takes nine bytes in the URL, and refuses a longer one with a message', async () => {
    const longest = await readSse(`${whales.url}/events?prompt=${encodeURIComponent('語'.repeat(MAX_PROMPT_CHARS))}`);
    expect(longest.status).toBe(200);
    expect(longest.events.map((e) => e.kind)).toContain('run-result');
    const over = await fetch(`${whales.url}/events?prompt=${encodeURIComponent('語'.repeat(MAX_PROMPT_CHARS + 1))}`);
    expect(over.status).toBe(400);
    expect(await over.json()).toEqual({ error: `the prompt is ${MAX_PROMPT_CHARS + 1} characters long; at most ${MAX_PROMPT_CHARS} are accepted` });
  });
});

describe('terminal output of a hostile model', () => {
  // OSC 52 writes the clipboard, OSC 0 the window title, CSI 2J clears the screen; BEL ends an OSC.
  const hostile = 'Orca\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b]0;pwned\x07\x1b[2J\r';

  it('the whales table and lines carry no control characters of the model, and a line break in a cell is no second row', () => {
    const whale = { name: hostile, length: 7, weight: 4000, ocean: 'All\x9b2J', description: 'two\nlines' };
    for (const lines of [whaleTable([whale], 120, true), whaleTable([whale], 120, false), [whaleLine(whale, 0)]]) {
      for (const line of lines) expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    }
    expect(whaleTable([whale], 120, true)).toHaveLength(4);
  });

  it('markdown lines keep their own styles but none of the model’s escape sequences', () => {
    const md = new TerminalMarkdown();
    for (const line of [`# ${hostile}`, `- ${hostile}`, `plain ${hostile} **bold**`, `> ${hostile}`]) {
      const drawn = md.line(line, true);
      expect(drawn).not.toMatch(/\x1b\]|\x1b\[2J|[\x07\r]/);
      // What is left of the model's text is there, and the styles are this module's own (SGR only).
      expect(drawn).toContain('Orca');
      expect(drawn.replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    }
    md.line('```', true);
    expect(md.line(hostile, true).replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });
});
