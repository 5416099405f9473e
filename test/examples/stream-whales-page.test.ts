/**
 * The stream whales page (examples/stream-whales/) in a real browser: asked for whales, its table
 * gains rows while the structured output streams (`partial-output` events), shows cells still on
 * their way as "…", and ends with every whale of the validated output.
 *
 * A MutationObserver, installed before the page's own script, records the table as it changes:
 * the row counts seen in order, and whether a row was ever shown half filled.
 */
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWhalesServer } from '../../examples/stream-whales/server.js';
import { formatNumber } from '../../examples/stream-whales/whale-table.js';
import { WHALE_SPECIES } from '../../examples/stream-whales/whale-species.js';
import { closeServer, launchChromium, openPage, withoutProviderKeys } from './stream-pages.helpers.js';

let browser: Browser;
let server: Server | undefined;
let url = '';
let restoreKeys: () => void = () => {};

beforeAll(async () => {
  restoreKeys = withoutProviderKeys();
  // The demo model's pace, a little faster than by default; partial outputs throttled as by default (100 ms).
  ({ server, url } = await startWhalesServer(0, { chunkDelayMs: 10 }));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await closeServer(server);
  restoreKeys();
});

/** Records, in the page, each new row count of the table and any row shown with a name but a pending cell. */
const RECORDER = `
window.__rowCounts = [];
window.__halfFilled = [];
new MutationObserver(() => {
  const body = document.querySelector('#whales tbody');
  if (!body) return;
  const count = body.rows.length;
  if (window.__rowCounts[window.__rowCounts.length - 1] !== count) window.__rowCounts.push(count);
  for (const row of body.rows) {
    const cells = [...row.cells].map((c) => c.textContent);
    if (cells[1] && cells[1] !== '…' && cells.includes('…')) window.__halfFilled.push(cells.join(' | '));
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
`;

describe('the stream whales page', () => {
  it('fills the table row by row as the output streams, then shows every whale of the final output', async () => {
    const { page, problems } = await openPage(browser, `${url}/`);
    // evaluate(), not a script tag: the page's Content-Security-Policy refuses inline scripts it does not list.
    await page.evaluate(RECORDER);
    expect(await page.locator('#prompt').inputValue()).toBe('Generate me details of 7 species of whale.');
    await page.click('#ask button');
    await page.locator('#status', { hasText: 'Done:' }).waitFor();

    const counts = (await page.evaluate('window.__rowCounts')) as number[];
    // Cleared for the run, then growing one whale at a time: never shrinking, seen at several sizes before the last.
    const growing = counts.filter((n) => n > 0);
    expect(growing).toEqual([...growing].sort((a, b) => a - b));
    expect(new Set(growing.filter((n) => n < WHALE_SPECIES.length)).size).toBeGreaterThanOrEqual(3);
    expect(growing.at(-1)).toBe(WHALE_SPECIES.length);
    // Cells were shown while still on their way, next to ones already there.
    const halfFilled = (await page.evaluate('window.__halfFilled')) as string[];
    expect(halfFilled.length).toBeGreaterThan(0);
    expect(halfFilled[0]).toMatch(/^1 \| Blue/);

    const rows = await page
      .locator('#whales tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...(tr as unknown as { cells: Iterable<{ textContent: string }> }).cells].map((c) => c.textContent)));
    expect(rows).toEqual(
      WHALE_SPECIES.map((w, i) => [
        String(i + 1),
        w.name,
        formatNumber(w.length),
        w.weight === undefined ? '-' : formatNumber(w.weight),
        w.ocean,
        w.description,
      ]),
    );
    expect(await page.locator('#whales tbody td.pending').count()).toBe(0);
    expect(await page.locator('#whales caption').textContent()).toBe('Species of whale: 7');
    expect(await page.locator('#status').textContent()).toMatch(/^Done: 7 species after \d+ partial updates, \d+ tokens\.$/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('asks for as many whales as the prompt says, and says so when the prompt is empty', async () => {
    const { page, problems } = await openPage(browser, `${url}/`);
    await page.fill('#prompt', '   ');
    await page.click('#ask button');
    expect(await page.locator('#status').textContent()).toBe('Type a question first.');

    await page.fill('#prompt', 'Three whales, please: 3 species.');
    await page.click('#ask button');
    await page.locator('#status', { hasText: 'Done:' }).waitFor();
    expect(await page.locator('#whales tbody tr td:nth-child(2)').allTextContents()).toEqual(['Blue whale', 'Fin whale', 'Sperm whale']);
    expect(problems).toEqual([]);
    await page.close();
  });
});
