/**
 * The two stream servers over HTTP, without a browser: the whales run's Server-Sent Events parsed
 * (partial outputs growing whale by whale, the validated list in `run-result`), the markdown
 * run's text, the browser modules and the page's Content-Security-Policy, and the requests both
 * refuse: a missing, blank or oversized prompt (400, with a message saying what is wrong), an
 * unknown route (404), a method other than GET (405).
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAnswer } from '../../examples/stream-markdown/demo-model.js';
import { startMarkdownServer } from '../../examples/stream-markdown/server.js';
import { MAX_PROMPT_CHARS } from '../../examples/stream-pages/stream-page-server.js';
import { startWhalesServer } from '../../examples/stream-whales/server.js';
import { WHALE_SPECIES } from '../../examples/stream-whales/whale-species.js';
import { closeServer, readSse, withoutProviderKeys } from './stream-pages.helpers.js';

const started: Server[] = [];
let whalesUrl = '';
let markdownUrl = '';
let restoreKeys: () => void = () => {};

beforeAll(async () => {
  restoreKeys = withoutProviderKeys();
  const whales = await startWhalesServer(0, { chunkDelayMs: 0, partialOutputMs: 0 });
  const markdown = await startMarkdownServer(0, { chunkDelayMs: 0 });
  started.push(whales.server, markdown.server);
  whalesUrl = whales.url;
  markdownUrl = markdown.url;
});

afterAll(async () => {
  for (const server of started) await closeServer(server);
  restoreKeys();
});

const events = (base: string, prompt: string) => `${base}/events?prompt=${encodeURIComponent(prompt)}`;

describe('the stream whales server', () => {
  it('streams partial outputs that grow whale by whale, then the validated list in run-result', async () => {
    const { status, type, events: received } = await readSse(events(whalesUrl, 'Generate me details of 7 species of whale.'));
    expect(status).toBe(200);
    expect(type).toBe('text/event-stream; charset=utf-8');
    expect(received.filter((e) => e.kind === 'error')).toEqual([]);
    const partials = received.filter((e) => e.kind === 'partial-output').map((e) => e.data.output as { name?: string; length?: number }[]);
    const lengths = partials.map((output) => output.length);
    // Every change is sent here (partialOutputMs: 0): the list never shrinks and passes through every size.
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    expect([...new Set(lengths)]).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // A whale shows up before its fields are all there: a name growing, then a length.
    expect(partials.some((output) => output.length === 1 && output[0]!.name !== undefined && output[0]!.name !== 'Blue whale')).toBe(true);
    expect(partials.some((output) => output[0]!.name === 'Blue whale' && output[0]!.length === undefined)).toBe(true);

    const kinds = received.map((e) => e.kind);
    expect(kinds.slice(-2)).toEqual(['run-result', 'done']);
    const result = received.at(-2)!.data;
    expect(result.output).toEqual(WHALE_SPECIES);
    expect(result.usage.requests).toBe(1);
    // The last partial already holds the whole list.
    expect(partials.at(-1)).toEqual(WHALE_SPECIES);
  });

  it('sends only as many whales as the prompt asks for', async () => {
    const { events: received } = await readSse(events(whalesUrl, 'Just 2 whales'));
    expect(received.find((e) => e.kind === 'run-result')!.data.output.map((w: { name: string }) => w.name)).toEqual(['Blue whale', 'Fin whale']);
  });
});

describe('the stream markdown server', () => {
  it('streams the answer as text events whose concatenation is the final output', async () => {
    const prompt = 'Show me a short example of using Schemantic.';
    const { status, events: received } = await readSse(events(markdownUrl, prompt));
    expect(status).toBe(200);
    let text = '';
    for (const e of received) {
      if (e.kind === 'part-start' && e.data.part.kind === 'text') text += e.data.part.content;
      if (e.kind === 'part-delta' && e.data.delta.kind === 'text') text += e.data.delta.content;
    }
    expect(received.filter((e) => e.kind === 'part-delta').length).toBeGreaterThan(100);
    expect(received.some((e) => e.kind === 'partial-output')).toBe(false);
    expect(text).toBe(demoAnswer(prompt));
    expect(received.find((e) => e.kind === 'run-result')!.data.output).toBe(text);
  });

  it('serves the browser builds of marked and DOMPurify as JavaScript modules', async () => {
    for (const [route, exported] of [
      ['/vendor/marked.esm.js', /export\s*\{[^}]*\bas marked\b/],
      ['/vendor/purify.es.mjs', /export\s*\{[^}]*\bas default\b/],
    ] as const) {
      const response = await fetch(`${markdownUrl}${route}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await response.text()).toMatch(exported);
    }
  });

  it('sends the page with a Content-Security-Policy that allows its own script by hash, and nothing inline besides', async () => {
    const response = await fetch(`${markdownUrl}/`);
    const html = await response.text();
    const policy = response.headers.get('content-security-policy') ?? '';
    const script = /<script type="module">([^]*?)<\/script>/.exec(html)![1]!;
    expect(policy).toContain(`script-src 'self' 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    // Inline styles are allowed, inline scripts (and handlers) are not.
    expect(policy.split('; ').find((d) => d.startsWith('script-src'))).not.toContain('unsafe-inline');
  });
});

describe('requests the stream servers refuse', () => {
  for (const [name, base] of [
    ['whales', () => whalesUrl],
    ['markdown', () => markdownUrl],
  ] as const) {
    it(`${name}: a missing, empty, blank or oversized prompt is a 400 saying what is wrong`, async () => {
      for (const query of ['', '?prompt=', `?prompt=${encodeURIComponent('   \n ')}`]) {
        const response = await fetch(`${base()}/events${query}`);
        expect(response.status).toBe(400);
        expect(await response.json()).toEqual({ error: 'the query needs a prompt: /events?prompt=...' });
      }
      const response = await fetch(events(base(), 'w'.repeat(MAX_PROMPT_CHARS + 1)));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: `the prompt is ${MAX_PROMPT_CHARS + 1} characters long; at most ${MAX_PROMPT_CHARS} are accepted` });
      // The longest prompt accepted still runs.
      const longest = await readSse(events(base(), `${'w'.repeat(MAX_PROMPT_CHARS - 2)} 3`));
      expect(longest.status).toBe(200);
      expect(longest.events.map((e) => e.kind)).toContain('run-result');
    });

    it(`${name}: an unknown route is a 404, a POST a 405`, async () => {
      const missing = await fetch(`${base()}/nothing-here`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: 'no route /nothing-here: the page is at /, its runs at /events?prompt=...' });
      const posted = await fetch(`${base()}/events?prompt=hi`, { method: 'POST', body: 'x' });
      expect(posted.status).toBe(405);
      expect(await posted.json()).toEqual({ error: 'POST is not allowed on /events' });
    });
  }

  it("the whales server has no vendor routes (they are the markdown page's)", async () => {
    expect((await fetch(`${whalesUrl}/vendor/marked.esm.js`)).status).toBe(404);
  });
});
