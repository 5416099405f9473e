/**
 * The stream markdown page (examples/stream-markdown/) in a real browser: the answer is rendered
 * as markdown while it streams (the heading is on the page before the code blocks arrive), ends as
 * the whole answer, and markdown full of HTML that tries to run script (an image's `onerror`,
 * `javascript:` links, `<script>`, an `<svg onload>`, an iframe) runs none of it.
 */
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMarkdownServer } from '../../examples/stream-markdown/server.js';
import { closeServer, launchChromium, openPage, withoutProviderKeys } from './stream-pages.helpers.js';

let browser: Browser;
let server: Server | undefined;
let url = '';
let restoreKeys: () => void = () => {};

beforeAll(async () => {
  restoreKeys = withoutProviderKeys();
  ({ server, url } = await startMarkdownServer(0, { chunkDelayMs: 10 }));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await closeServer(server);
  restoreKeys();
});

/** Records, in the page, what the answer holds each time it changes: its size and its elements. */
const RECORDER = `
window.__snapshots = [];
const answer = document.getElementById('answer');
new MutationObserver(() => {
  const count = (selector) => answer.querySelectorAll(selector).length;
  window.__snapshots.push({ size: answer.innerHTML.length, h1: count('h1'), li: count('li'), pre: count('pre') });
}).observe(answer, { subtree: true, childList: true, characterData: true });
`;

interface Snapshot {
  size: number;
  h1: number;
  li: number;
  pre: number;
}

describe('the stream markdown page', () => {
  it('renders the markdown as it streams: heading first, then lists and code blocks, then the whole answer', async () => {
    const { page, problems } = await openPage(browser, `${url}/`);
    // evaluate(), not a script tag: the page's Content-Security-Policy refuses inline scripts it does not list.
    await page.evaluate(RECORDER);
    await page.click('#ask button');
    await page.locator('#status', { hasText: 'Done:' }).waitFor();

    const snapshots = (await page.evaluate('window.__snapshots')) as Snapshot[];
    const sizes = snapshots.map((s) => s.size).filter((size) => size > 0);
    // The rendered HTML grew through several sizes (it was not drawn once at the end).
    expect(new Set(sizes).size).toBeGreaterThanOrEqual(3);
    const firstHeading = snapshots.findIndex((s) => s.h1 > 0);
    const firstCode = snapshots.findIndex((s) => s.pre > 0);
    expect(firstHeading).toBeGreaterThanOrEqual(0);
    expect(firstCode).toBeGreaterThan(firstHeading);
    expect(snapshots[firstHeading]!.li).toBe(0);

    const answer = page.locator('#answer');
    expect(await answer.locator('h1').textContent()).toBe('A first Schemantic agent');
    expect(await answer.locator('h2').allTextContents()).toEqual(['The definition', 'The code', 'What you get']);
    expect(await answer.locator('ol > li').count()).toBe(3);
    expect(await answer.locator('ul > li').count()).toBe(3);
    expect(await answer.locator('pre > code').count()).toBe(2);
    expect(await answer.locator('pre > code.language-yaml').textContent()).toContain('haiku_writer:');
    expect(await answer.locator('pre > code.language-ts').textContent()).toContain("createHaikuWriterAgent().runStream('A haiku about whales, please.')");
    expect(await answer.locator('blockquote').textContent()).toContain('You asked: Show me a short example of using Schemantic.');
    expect(await page.locator('#status').textContent()).toMatch(/^Done: \d+ characters in \d+ pieces, \d+ tokens\.$/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('runs nothing from hostile markdown: no dialog, no flag set, no handler or javascript: link left in the page', async () => {
    const { page, problems } = await openPage(browser, `${url}/`);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // The demo model quotes the question in its answer, as a model may quote a user or a web page.
    const hostile = [
      "Hi <img src=x onerror=\"window.__pwned='img';alert('img')\">",
      "<a href=\"javascript:window.__pwned='link';alert('link')\">html link</a>",
      "[markdown link](javascript:window.__pwned='md')",
      "<script>window.__pwned='script';alert('script')</script>",
      '<svg onload="window.__pwned=\'svg\'"><circle r="4"></circle></svg>',
      '<iframe srcdoc="<script>parent.__pwned=\'iframe\'</script>"></iframe>',
      '<b onmouseover="window.__pwned=\'hover\'">bold</b>',
      '<form action="https://attacker.example/"><input name="password"></form>',
      '<p style="position:fixed;inset:0">overlay</p>',
    ].join(' ');
    await page.fill('#prompt', hostile);
    await page.click('#ask button');
    await page.locator('#status', { hasText: 'Done:' }).waitFor();

    const answer = page.locator('#answer');
    // Click and hover what is left of the links and the bold text: nothing runs either.
    for (const name of ['html link', 'markdown link']) {
      const link = answer.getByText(name);
      if ((await link.count()) > 0) await link.first().click();
    }
    await answer.locator('b', { hasText: 'bold' }).hover();
    await page.waitForTimeout(200); // an image's error handler would have run by now

    expect(dialogs).toEqual([]);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('[onerror], [onload], [onmouseover]').count()).toBe(0);
    expect(await answer.locator('script, iframe').count()).toBe(0);
    // No remote images, forms or inline styles either: nothing to track the reader or fake a login.
    expect(await answer.locator('img, form, input, [style]').count()).toBe(0);
    expect(await answer.textContent()).toContain('overlay');
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    // The harmless parts of the quote are still shown.
    const quote = await answer.locator('blockquote').textContent();
    expect(quote).toContain('html link');
    expect(quote).toContain('bold');
    // The rest of the answer rendered as usual.
    expect(await answer.locator('pre > code').count()).toBe(2);
    // The only console errors allowed: the image's source (`x`), which the server does not have.
    expect(problems.filter((p) => !/Failed to load resource: the server responded with a status of 404/.test(p))).toEqual([]);
    await page.close();
  });
});
