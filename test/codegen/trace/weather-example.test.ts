/**
 * The whole path a developer takes: `schemantic trace` running, the weather example run with
 * `OTEL_EXPORTER_OTLP_ENDPOINT` pointing at it (examples/tracing.ts: the OpenTelemetry SDK's OTLP
 * exporter), and the run in the viewer page in a real browser, its spans nested as they ran:
 * the agent run, its model requests and tool calls under it, the messages when content is on.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTraceServer, type TraceServer } from '../../../codegen/cli/trace/trace-server.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

let browser: Browser;
let server: TraceServer;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTraceServer({ port: 0 });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs `npm start`'s script with tracing to the viewer: no provider key, so on the demo models. */
function runExample(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: server.url, SCHEMANTIC_TRACE_CONTENT: '1' };
  for (const key of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'SCHEMANTIC_MODEL']) delete env[key];
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'examples/start.ts'], { cwd: root, env }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('a traced run of the weather example in the viewer', () => {
  it('shows the weather run with its model requests and tool calls nested under it', async () => {
    const example = await runExample();
    expect(example.stderr).toBe('');
    expect(example.code).toBe(0);
    expect(example.stdout).toContain('weather agent output');

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(10_000);
    await page.goto(server.url);
    const run = page.locator('#run-list tr', { hasText: 'invoke_agent weather' });
    await run.waitFor();
    expect(await page.locator('#run-list tr', { hasText: 'invoke_agent bank_support' }).count()).toBe(1);
    await run.click();
    await page.locator('#waterfall .row').first().waitFor();
    const rows = await page.$$eval('#waterfall .row', (els) =>
      els.map((e) => ({
        depth: Number(e.getAttribute('data-depth')),
        name: e.getAttribute('data-name'),
        id: e.getAttribute('data-span-id'),
        parent: e.getAttribute('data-parent-span-id'),
      })),
    );
    // The run at the top; under it, three model requests and the four tool calls the demo model asks
    // for (both places' coordinates, then both forecasts). Calls of one step run concurrently, so
    // their order among themselves is not fixed: compared as a set.
    expect(rows[0]).toMatchObject({ depth: 0, name: 'invoke_agent weather' });
    const children = rows.slice(1);
    expect(children.every((r) => r.depth === 1 && r.parent === rows[0]!.id)).toBe(true);
    expect(children.map((r) => r.name).sort()).toEqual([
      'chat weather-demo',
      'chat weather-demo',
      'chat weather-demo',
      'execute_tool get_lat_lng',
      'execute_tool get_lat_lng',
      'execute_tool get_weather',
      'execute_tool get_weather',
    ]);
    // Each step's tool calls come after the request that asked for them.
    const order = children.map((r) => r.name);
    expect(order[0]).toBe('chat weather-demo');
    expect(order.indexOf('execute_tool get_weather')).toBeGreaterThan(order.indexOf('execute_tool get_lat_lng'));
    // Content capture was on: the first request's messages are shown.
    await page.locator('#waterfall .row[data-name="chat weather-demo"]').first().click();
    await expect.poll(() => page.locator('body').textContent()).toContain('What is the weather like in London and in Wiltshire?');
    await page.close();
  });
});
