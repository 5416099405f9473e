/**
 * The HTML report in a real browser (the system's Chromium, driven by playwright-core; nothing
 * downloads a browser), opened from disk: the summary, both charts with a bar per score and per
 * finished case, each case's results, the diff of a failing case, its messages; hostile strings
 * shown as text with nothing injected; no console error, no page error, no request.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../../../codegen/cli/evals/write-html-report.js';
import { comparison, HOSTILE, HOSTILE_CASE, htmlShown, repeatedReport, singleRunReport } from './report-fixtures.js';

let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'schemantic-eval-html-'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens the page from disk, recording console errors, page errors and every request. */
async function open(file: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(5_000);
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  return { page, problems, requests };
}

const section = (page: Page, id: string) => page.locator(`section.case[data-case="${id.replace(/["\\]/g, '\\$&')}"]`);

describe('writeHtmlReport', () => {
  it('writes index.html into the folder, made when missing', async () => {
    const file = await writeHtmlReport(join(dir, 'nested', 'report'), singleRunReport(), comparison());
    expect(file).toBe(join(dir, 'nested', 'report', 'index.html'));
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
  });

  it('renders the summary, the incomplete notice, the comparison and the case table', async () => {
    const file = await writeHtmlReport(join(dir, 'single'), singleRunReport(), comparison());
    const { page, problems, requests } = await open(file);
    expect(await page.locator('h1').textContent()).toBe('Evals: 2 of 6 cases passed, pass rate 40.0%');
    expect(await page.locator('#incomplete').textContent()).toBe('Incomplete: the eval run was cancelled; 1 case did not finish.');
    expect(await page.locator('dd[data-fact="cases"]').textContent()).toBe('6: 2 passed, 2 failed, 1 errored, 1 cancelled');
    expect(await page.locator('dd[data-fact="pass rate"]').textContent()).toBe('40.0% of finished runs');
    expect(await page.locator('dd[data-fact="scores"]').textContent()).toBe('llmJudge.score 0.47, quality 0.75');
    expect(await page.locator('#comparison tr[data-change="regression"]').count()).toBe(3);
    expect(await page.locator('#comparison tr[data-change="improvement"] td').allTextContents()).toEqual([
      'improvement',
      'sql/select-users',
      'quality',
      '0.5',
      '0.75',
    ]);
    expect(await page.locator('table.overview tbody tr').count()).toBe(6);
    expect(await page.locator('table.overview tr[data-case="support/refund-large"] td').allTextContents()).toEqual([
      'support/refund-large',
      'failed',
      '0/3',
      '0.0%',
      '1.45 s',
      '120',
    ]);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });

  it('draws the charts as SVG: a bar per score and per finished case, sized by value', async () => {
    const file = await writeHtmlReport(join(dir, 'charts'), singleRunReport());
    const { page, problems } = await open(file);
    const scores = page.locator('svg[data-chart="scores"]');
    expect(await scores.locator('rect').count()).toBe(2);
    expect(await scores.locator('g.bar').evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-name'), g.getAttribute('data-value')]))).toEqual([
      ['llmJudge.score', String(1.4 / 3)],
      ['quality', '0.75'],
    ]);
    const latency = page.locator('svg[data-chart="latency"]');
    // Five cases finished; the cancelled one has no duration and no bar.
    expect(await latency.locator('rect').count()).toBe(5);
    const widths = await latency
      .locator('g.bar')
      .evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-name'), Number(g.querySelector('rect')!.getAttribute('width'))] as const));
    expect(widths.map(([name]) => name)).toEqual([
      'support/refund-small',
      'support/refund-large',
      `support/${htmlShown(HOSTILE_CASE)}`,
      'sql/drop-table',
      'sql/select-users',
    ]);
    // The slowest case spans the chart; the others in proportion.
    const longest = Math.max(...widths.map(([, w]) => w));
    expect(widths[3]![1]).toBe(longest);
    expect(widths[0]![1]).toBeCloseTo((longest * 850) / 30_000, 0);
    // Rendered, not just present: the bars have a size on the page.
    const box = await latency.locator('rect').nth(3).boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a failing case open: its results with reasons, the diff of expected and output, its messages', async () => {
    const file = await writeHtmlReport(join(dir, 'details'), singleRunReport());
    const { page, problems } = await open(file);
    const large = section(page, 'support/refund-large');
    expect(await large.locator('details').first().getAttribute('open')).toBe('');
    expect(await section(page, 'support/refund-small').locator('details').first().getAttribute('open')).toBe(null);
    expect(await large.locator('tr[data-result="contains"] td').allTextContents()).toEqual([
      'contains',
      'assertion',
      'contains',
      '✗ failed',
      'expected "escalate" in the output',
    ]);
    expect(await large.locator('tr[data-result="toneCheck"] td').allTextContents()).toEqual([
      'toneCheck',
      'error',
      'custom',
      'evaluator error',
      'TypeError: cannot read properties of undefined',
    ]);
    expect(await large.locator('.diff .line[data-op="removed"]').allTextContents()).toEqual(['-   "reply": "Escalated to a human.",', '-   "risk": "high",']);
    expect(await large.locator('.diff .line[data-op="added"]').allTextContents()).toEqual(['+   "reply": "Refunded $5000.",', '+   "risk": "low",']);
    expect(await large.locator('.diff .line[data-op="same"]').allTextContents()).toContain('    "ticket": 12');
    expect(await section(page, 'support/refund-small').locator('[data-diff="same"]').count()).toBe(1);
    // The messages, part by part.
    await large.locator('details.run-messages > summary').click();
    expect(await large.locator('li.message').evaluateAll((ms) => ms.map((m) => m.getAttribute('data-kind')))).toEqual([
      'request',
      'response',
      'request',
      'response',
    ]);
    expect(await large.locator('.part').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-part')))).toEqual([
      'system-prompt',
      'user-prompt',
      'thinking',
      'tool-call',
      'tool-return',
      'retry-prompt',
      'text',
    ]);
    expect(await large.locator('.part[data-part="tool-call"] .part-kind').textContent()).toBe('tool call: lookup_order');
    expect(await large.locator('.part[data-part="retry-prompt"] pre').textContent()).toBe('/risk: must be one of low, high');
    expect(await large.locator('li.message[data-kind="response"] .role').first().textContent()).toBe('response · test · 50 in, 10 out');
    // An errored run says why.
    expect(await section(page, 'sql/drop-table').locator('.run-error').textContent()).toBe('TimeoutError: the model timed out after 30 s');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows hostile strings as text everywhere and runs or adds nothing', async () => {
    const file = await writeHtmlReport(join(dir, 'hostile'), singleRunReport(), comparison());
    const { page, problems, requests } = await open(file);
    const hostile = section(page, `support/${htmlShown(HOSTILE_CASE)}`);
    expect(await hostile.count()).toBe(1);
    expect(await hostile.locator('.case-name').textContent()).toBe(`support/${htmlShown(HOSTILE_CASE)}`);
    expect(await hostile.locator('pre.prompt').textContent()).toBe(`prompt ${htmlShown(HOSTILE)}`);
    expect(await hostile.locator('tr[data-result="contains"] td').nth(4).textContent()).toBe(`reason: ${htmlShown(HOSTILE)}`);
    expect(await hostile.locator('.diff .line[data-op="removed"]').allTextContents()).toEqual([`- expected ${htmlShown(HOSTILE)}`]);
    expect(await hostile.locator('.diff .line[data-op="added"]').allTextContents()).toEqual([`+ output ${htmlShown(HOSTILE)}`]);
    expect(await hostile.locator('.part[data-part="user-prompt"] pre').textContent()).toBe(`prompt ${htmlShown(HOSTILE)}`);
    expect(await hostile.locator('.part[data-part="text"] pre').textContent()).toBe(`answer ${htmlShown(HOSTILE)}`);
    expect(
      await page.locator(`svg[data-chart="latency"] g.bar[data-name="support/${htmlShown(HOSTILE_CASE).replace(/["\\]/g, '\\$&')}"] title`).textContent(),
    ).toBe(`support/${htmlShown(HOSTILE_CASE)}: 320 ms`);
    // Nothing the strings hold became an element, ran, or was fetched.
    expect(await page.locator('img, script, iframe, object, embed, b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });

  it('renders a repeated report: a section per run and pass counts', async () => {
    const file = await writeHtmlReport(join(dir, 'repeated'), repeatedReport());
    const { page, problems } = await open(file);
    expect(await page.locator('#incomplete').count()).toBe(0);
    expect(await page.locator('dd[data-fact="repeats"]').textContent()).toBe('3; pass rate per repeat 66.7% ± 27.2% (min 33.3%, max 100.0%)');
    const paris = section(page, 'weather/paris');
    expect(await paris.locator('.run').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status')))).toEqual(['passed', 'failed', 'passed']);
    expect(await paris.locator('summary .muted').first().textContent()).toBe('agent weather · 1.00 s · 360 tokens · 2/3 runs passed');
    expect(await paris.locator('.run[data-repeat="1"] .diff .line[data-op="removed"]').allTextContents()).toEqual([
      '-   "city": "Paris",',
      '-   "temperature": 21',
    ]);
    expect(await page.locator('svg[data-chart="scores"] rect').count()).toBe(1);
    expect(await page.locator('svg[data-chart="latency"] rect').count()).toBe(3);
    expect(problems).toEqual([]);
    await page.close();
  });
});
