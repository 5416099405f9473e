/**
 * What the tests of the two stream examples share: the system's Chromium (driven by
 * playwright-core, launched as test/runtime/http-example-page.test.ts does: nothing downloads a
 * browser), the provider keys kept out of the environment (the examples then run on their scripted
 * models), an SSE reader, and closing a server.
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const KEYS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'SCHEMANTIC_MODEL'] as const;

/** Headless Chromium; fails (does not skip) when the system browser is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: the stream pages' browser tests run the system Chromium (apt-get install -y chromium, as .ci/run does); they never download one`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Removes the provider keys from the environment; the function returned puts them back. */
export function withoutProviderKeys(): () => void {
  const saved = new Map(KEYS.map((key) => [key, process.env[key]] as const));
  for (const key of KEYS) delete process.env[key];
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** The environment of a child process run without any provider configured. */
export function envWithoutProviders(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|_BASE_URL$|^SCHEMANTIC_MODEL$/.test(k)));
}

/** Stops a server started by a test. */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** A page of `browser` at `url`, with every console error and page error recorded. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  return { page, problems };
}

/** One Server-Sent Event: its name and its data, parsed as JSON. */
export interface SseEvent {
  kind: string;
  /** Typed loosely: each test reads the fields of the kinds it expects. */
  data: any;
}

/** Fetches `url` and reads its body as Server-Sent Events, each JSON data parsed, until the stream ends. */
export async function readSse(url: string): Promise<{ status: number; type: string | null; events: SseEvent[] }> {
  const response = await fetch(url);
  const text = await response.text();
  const events = text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const kind = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      return { kind, data: JSON.parse(data) as unknown };
    });
  return { status: response.status, type: response.headers.get('content-type'), events };
}
