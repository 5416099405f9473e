/**
 * The viewer page in a real browser (the system's Chromium, driven by playwright-core; nothing
 * downloads a browser): the run in the list, its waterfall nested by parent, tokens, errors,
 * events and captured messages, every piece of span data shown as text (a span named as HTML
 * runs nothing), live refresh, and no request leaving the server.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTraceServer, type TraceServer } from '../../../codegen/cli/trace/trace-server.js';
import { VIEWER_SCRIPT } from '../../../codegen/cli/trace/viewer-script.js';
import { exportRequest, send, TRACE_ID, weatherRun, XSS_NAME } from './otlp-fixtures.js';

let browser: Browser;
let server: TraceServer;
/** Every URL the pages requested, and every console error and page error they had. */
const requested: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTraceServer({ port: 0 });
  expect((await send(server.url, { body: weatherRun().body })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openViewer(hash = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(5_000);
  page.on('request', (r) => requested.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${server.url}/${hash}`);
  return page;
}

/** The waterfall's rows, in order, by their data attributes. */
const rows = (page: Page) =>
  page.$$eval('#waterfall .row', (els) =>
    els.map((e) => ({
      id: e.getAttribute('data-span-id'),
      parent: e.getAttribute('data-parent-span-id'),
      depth: Number(e.getAttribute('data-depth')),
      name: e.getAttribute('data-name'),
    })),
  );
const text = (page: Page, selector: string) => page.locator(selector).first().textContent();

describe('the viewer page', () => {
  it('lists the run, and opens it as a waterfall nested by parent, with tokens, errors and events', async () => {
    const page = await openViewer();
    const run = page.locator(`#run-list tr[data-trace-id="${TRACE_ID}"]`);
    await run.waitFor();
    expect(await run.getAttribute('data-error')).toBe('true');
    expect(await run.locator('td').allTextContents()).toEqual([
      'invoke_agent weatherweather-app ✕ 1 error',
      'weather',
      expect.stringMatching(/^\d\d:13:20\.000$/),
      '900 ms',
      '190',
    ]);
    await run.click();
    await page.locator('#waterfall .row').first().waitFor();

    const { ids } = weatherRun();
    expect(await rows(page)).toEqual([
      { id: ids.run, parent: '', depth: 0, name: 'invoke_agent weather' },
      { id: ids.chat1, parent: ids.run, depth: 1, name: 'chat gpt-4o' },
      { id: ids.tool, parent: ids.run, depth: 1, name: 'execute_tool get_lat_lng' },
      { id: ids.xss, parent: ids.tool, depth: 2, name: XSS_NAME },
      { id: ids.chat2, parent: ids.run, depth: 1, name: 'chat gpt-4o' },
      // Its parent never arrived: at the top.
      { id: ids.orphan, parent: 'ffffffffffffffff', depth: 0, name: 'late callback' },
    ]);
    const row = (id: string) => `#waterfall .row[data-span-id="${id}"]`;
    expect(await page.locator(`${row(ids.chat1)} .chip`).allTextContents()).toEqual(['chat', 'gpt-4o → gpt-4o-2024-08-06', '100 in · 30 out']);
    expect(await page.locator(`${row(ids.tool)} .chip`).allTextContents()).toEqual([
      'execute_tool',
      'tool get_lat_lng',
      '✕ geocoder timed out',
      'error.type TimeoutError',
      '⚑ exception',
      '⚑ retry',
    ]);
    expect(await page.locator(row(ids.tool)).getAttribute('data-error')).toBe('true');
    expect(await page.locator(row(ids.chat1)).getAttribute('data-error')).toBe(null);
    expect(await text(page, `${row(ids.tool)} .took`)).toBe('90 ms');
    expect(await text(page, '#run-title p')).toBe(
      'agent weather · ' + (await text(page, `#run-list tr td.start`)) + ' · 900 ms · 6 spans · 150 in · 40 out tokens ✕ 1 error',
    );
    // Bars placed by time within the run (0 to 900 ms): the tool call from 410 to 500 ms.
    // (The project's types have no DOM: an element is typed by what is read of it.)
    const bar = await page.$eval(`${row(ids.tool)} .bar`, (e) => {
      const { style } = e as unknown as { style: { left: string; width: string } };
      return [style.left, style.width];
    });
    expect(bar).toEqual(['45.55%', '10%']);

    // The span named as HTML is its text, and ran nothing.
    expect(await text(page, `${row(ids.xss)} .name`)).toBe(XSS_NAME);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    await page.close();
  });

  it('shows a clicked span: its facts, captured messages, events and attributes, all as text', async () => {
    const { ids } = weatherRun();
    const page = await openViewer(`#${TRACE_ID}`);
    await page.locator(`.row[data-span-id="${ids.chat1}"]`).click();
    await page.locator(`#details h3[data-span-id="${ids.chat1}"]`).waitFor();
    const messages = await page.$$eval('#details .message', (els) => els.map((e) => [e.getAttribute('data-role'), e.textContent]));
    expect(messages).toEqual([
      ['system', 'systemBe concise.'],
      ['user', 'userWeather in <b>London</b>?'],
      ['assistant', 'assistant (tool_call)calls get_lat_lng (call_1){\n  "location_description": "London"\n}'],
    ]);
    expect(await page.locator('#details b').count()).toBe(0);

    await page.locator(`.row[data-span-id="${ids.tool}"]`).click();
    await page.locator(`#details h3[data-span-id="${ids.tool}"]`).waitFor();
    expect(await text(page, '#details dd.error')).toBe('error: geocoder timed out');
    expect(await page.locator('#details .event-name').allTextContents()).toEqual(['exception at +495 ms', 'retry at +496 ms']);
    expect(await text(page, '#details pre.content')).toBe('{\n  "location_description": "London"\n}');
    expect(await page.locator('#details .events th').allTextContents()).toEqual(['exception.message', 'exception.type', 'schemantic.retry.attempt']);

    await page.locator(`.row[data-span-id="${ids.xss}"]`).click();
    await page.locator(`#details h3[data-span-id="${ids.xss}"]`).waitFor();
    expect(await text(page, '#details h3')).toBe(XSS_NAME);
    expect(await page.locator('#details table.attributes').first().locator('td').allTextContents()).toEqual(['<script>window.__xss=2</script>']);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    await page.close();
  });

  it('shows a run that arrives while it is open, without a reload', async () => {
    const page = await openViewer();
    await page.locator(`#run-list tr[data-trace-id="${TRACE_ID}"]`).waitFor();
    await page.locator('#status').filter({ hasText: /^live/ }).waitFor();
    const later = 'f'.repeat(32);
    await send(server.url, {
      body: exportRequest(
        [{ spanId: 'e000000000000001', name: 'invoke_agent clock', start: 5000, end: 5100, attributes: { 'gen_ai.agent.name': 'clock' } }],
        later,
      ),
    });
    await page.locator(`#run-list tr[data-trace-id="${later}"]`).waitFor();
    // The latest start first.
    expect(await page.$$eval('#run-list tr', (els) => els.map((e) => e.getAttribute('data-trace-id')))).toEqual([later, TRACE_ID]);
    await page.close();
  });

  it('asked nothing of anyone but the server, and had no errors (its script and style pass its Content-Security-Policy)', () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(`${server.url}/`))).toEqual([]);
    expect(problems).toEqual([]);
  });
});

it('the page script writes no HTML: no innerHTML or other HTML sink anywhere in it', () => {
  expect(VIEWER_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|srcdoc|\beval\(|new Function|setAttribute\(\s*'on/);
});
