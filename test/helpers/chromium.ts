/**
 * The system's Chromium for the browser tests, driven by playwright-core: Debian's `chromium`
 * package (`.ci/run` installs it), never a browser a tool downloads. A test that needs it fails,
 * not skips, when it is missing: a skipped browser test would hide a page nobody checked.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where Debian's package puts the browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium with the flags the project uses (no sandbox as root, no background traffic). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the browser tests run the system Chromium (apt-get install -y chromium, as .ci/run does); they never download one`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page of `browser` at `url`, with every console error and page error recorded in `problems`. */
export async function openPage(browser: Browser, url: string, timeoutMs = 15_000): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  page.setDefaultTimeout(timeoutMs);
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  return { page, problems };
}
