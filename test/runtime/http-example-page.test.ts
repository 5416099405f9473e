/**
 * The page of `examples/server.ts` in a real browser (the system's Chromium, driven by
 * playwright-core; nothing downloads a browser): a refunds run stops at the call that needs
 * approval, the page shows it with Approve and Deny, and the decision resumes the run on the
 * server, whose answer the page shows. The browser sends only the run's id and its decisions.
 */
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../examples/server.js';

const KEYS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'SCHEMANTIC_MODEL'] as const;

let browser: Browser;
let server: Server | undefined;
let url = '';
const saved = new Map<string, string | undefined>();

beforeAll(async () => {
  // The example picks a provider from the environment: without keys it runs on its scripted models.
  for (const key of KEYS) {
    saved.set(key, process.env[key]);
    delete process.env[key];
  }
  ({ url, server } = await startServer(0, { chunkDelayMs: 0 }));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  for (const [key, value] of saved) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** The page, with every console error, page error and request body it sends recorded. */
async function openPage(): Promise<{ page: Page; problems: string[]; posted: string[] }> {
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  const posted: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => r.method() === 'POST' && posted.push(`${new URL(r.url()).pathname} ${r.postData() ?? ''}`));
  await page.goto(`${url}/`);
  return { page, problems, posted };
}

/** Runs the refunds agent with `prompt` and waits for the call that needs approval. */
async function askForRefund(page: Page, prompt: string) {
  await page.selectOption('#agent', 'refunds');
  await page.fill('#prompt', prompt);
  await page.click('#ask button');
  const pending = page.locator('#pending li.approval');
  await pending.waitFor();
  return pending;
}

describe('the example page', () => {
  it('shows a call waiting for approval; Approve resumes the run, which answers with the tool’s result', async () => {
    const { page, problems, posted } = await openPage();
    const pending = await askForRefund(page, 'Please refund $40 for order 77.');
    expect(await pending.getAttribute('data-tool-call-id')).toBe('refund-1');
    expect(await pending.locator('code').textContent()).toBe('refund {"order_id":"77","amount":40}');
    expect(await page.locator('#output').textContent()).toBe('waiting for your decision');
    expect(await page.locator('#text').textContent()).toBe('');

    await pending.locator('button.approve').click();
    await page.locator('#output', { hasText: 'output:' }).waitFor();
    expect(await page.locator('#text').textContent()).toBe('Done: refund R-77-4000 of $40.00 to order 77.');
    expect(await page.locator('#output').textContent()).toContain('"Done: refund R-77-4000 of $40.00 to order 77."');
    expect(await page.locator('#log li').allTextContents()).toEqual([
      'calls refund {"order_id":"77","amount":40}',
      'resumes with {"refund-1":{"approved":true}}',
      'calls refund {"order_id":"77","amount":40}',
      'refund returned {"refund_id":"R-77-4000","order_id":"77","amount":40}',
    ]);
    expect(await page.locator('#pending li').count()).toBe(0);
    // All the browser sent: the run's id and its decision.
    expect(posted).toEqual([expect.stringMatching(/^\/resume \{"id":"[0-9a-f-]{36}","decisions":\{"refund-1":\{"approved":true\}\}\}$/)]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sends a denial with its reason, which reaches the model', async () => {
    const { page, problems, posted } = await openPage();
    const pending = await askForRefund(page, 'Refund $900 for order 5.');
    await pending.locator('input.reason').fill('Over the limit.');
    await pending.locator('button.deny').click();
    await page.locator('#output', { hasText: 'output:' }).waitFor();
    expect(await page.locator('#text').textContent()).toBe('I did not make the refund: Over the limit.');
    expect(await page.locator('#log li').allTextContents()).toContain('refund returned "Over the limit."');
    expect(posted).toEqual([expect.stringContaining('"decisions":{"refund-1":{"approved":false,"reason":"Over the limit."}}')]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('still streams the other agents', async () => {
    const { page, problems } = await openPage();
    await page.click('#ask button');
    await page.locator('#output', { hasText: 'output:' }).waitFor();
    expect(await page.locator('#text').textContent()).toMatch(/^It is sunny and 21 °C there\./);
    expect(await page.locator('#log li').first().textContent()).toMatch(/^calls get_lat_lng /);
    expect(problems).toEqual([]);
    await page.close();
  });
});
