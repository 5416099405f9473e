/**
 * The MCP conformance suite (`@modelcontextprotocol/conformance`, which needs Node 22) against
 * `schemantic serve --mcp conformance-entry.ts --http`: every server scenario, with the ones about
 * what the server does not offer (logging, sampling, elicitation, resources, prompts) listed in a
 * baseline, so that the run fails on any other failure and on any of those starting to pass.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { fixture, root, run, serveHttp } from './cli-process.js';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'schemantic-conformance-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** The scenarios about tools and the protocol itself, and their passed checks. */
const PASSING = {
  'server-initialize': 1,
  ping: 1,
  'tools-list': 1,
  'tools-call-simple-text': 1,
  'tools-call-image': 1,
  'tools-call-audio': 1,
  'tools-call-embedded-resource': 1,
  'tools-call-mixed-content': 1,
  'tools-call-error': 1,
  'tools-call-with-progress': 1,
  'json-schema-2020-12': 4,
  'server-sse-multiple-streams': 2,
  'dns-rebinding-protection': 2,
};

it('passes the tool and protocol scenarios of the MCP conformance suite', { timeout: 60_000 }, async () => {
  const server = await serveHttp(['--mcp', fixture('conformance-entry.ts'), '--port', '0']);
  let result: Awaited<ReturnType<typeof run>>;
  try {
    const suite = path.join(root, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
    // `-p node@22` comes from npx's cache; the suite writes nothing without `-o`.
    const args = ['-y', '-p', 'node@22', 'node', suite, 'server', '--url', server.url, '--suite', 'all'];
    result = await run('npx', [...args, '--expected-failures', fixture('conformance-baseline.yml')], { cwd });
  } finally {
    await server.stop();
  }
  const summary = result.stdout.slice(result.stdout.indexOf('=== SUMMARY ==='));
  console.log(summary);
  const passed = Object.fromEntries([...summary.matchAll(/^✓ (\S+): (\d+) passed, 0 failed$/gm)].map((m) => [m[1], Number(m[2])]));
  expect(passed).toMatchObject(PASSING);
  // The baseline holds: only the listed scenarios failed, and all of them did.
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(summary).toMatch(/^Total: 18 passed, 18 failed$/m);
});
