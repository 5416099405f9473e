/**
 * The same two apps as bundle-node.test.ts, bundled the way a Worker bundler does (web platform,
 * the workerd/worker/browser export conditions, one ES module, nothing external) and run as
 * Cloudflare Worker modules inside Cloudflare's own runtime: the `workerd` binary from npm, driven
 * directly with a generated config (no miniflare, so it also runs on Node 20). Each Worker's fetch
 * handler runs a generated agent and answers with its output as JSON.
 *
 * workerd forbids generating code from strings (`new Function`, `eval`) and has no Node module
 * loader: a runtime that compiles a schema or requires a package at run time fails here. The
 * Worker then answers 500 with the stack, which the assertion message shows mapped back to the
 * runtime's TypeScript sources.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_KEY } from '../providers/harness.js';
import { startReplayServer, type ReplayServer } from '../providers/replay-server.js';
import { bundle, externalImports, geoExchanges, geoOutput, inputsFromRepo, makeProject, sourceStack, type Bundle } from './project.js';

/** The workerd package: its binary's path, and the newest compatibility date that binary knows. */
const workerd = createRequire(import.meta.url)('workerd') as { default: string; compatibilityDate: string };

let project: string;
let bank: Bundle;
let geo: Bundle;
let replay: ReplayServer;
let server: ChildProcess | undefined;
/** The Workers' addresses: `http://127.0.0.1:<port>`, by socket name. */
const urls: Record<string, string> = {};

/** A workerd config: one Worker service and one 127.0.0.1 socket per bundle. */
function config(workers: { name: string; bundle: Bundle; bindings: Record<string, string> }[]): string {
  const text = (s: string) => JSON.stringify(s);
  const service = (w: (typeof workers)[number]) => `(name = ${text(w.name)}, worker = (
      modules = [(name = ${text(path.basename(w.bundle.file))}, esModule = embed ${text(path.basename(w.bundle.file))})],
      compatibilityDate = ${text(workerd.compatibilityDate)},
      bindings = [${Object.entries(w.bindings)
        .map(([k, v]) => `(name = ${text(k)}, text = ${text(v)})`)
        .join(', ')}],
      globalOutbound = "loopback",
    ))`;
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    ${workers.map(service).join(',\n    ')},
    # The Workers' fetch() may reach this machine's loopback addresses (the replay server) and nothing else.
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [
    ${workers.map((w) => `(name = ${text(w.name)}, address = "127.0.0.1:0", http = (), service = ${text(w.name)})`).join(',\n    ')},
  ],
);
`;
}

/**
 * Starts workerd on `configFile`, each socket on a free port, and resolves with the ports once
 * all `sockets` listen. workerd reports them as JSON lines on its control fd (as miniflare reads them).
 */
function startWorkerd(configFile: string, sockets: string[]): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(workerd.default, ['serve', configFile, '--control-fd=3'], { cwd: path.dirname(configFile), stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    // Known at once, so afterAll stops it even if it never reports listening.
    server = child;
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const ports: Record<string, number> = {};
    let pending = '';
    child.stdio[3]!.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        let event: { event?: string; socket?: string; port?: number };
        try {
          event = JSON.parse(line) as typeof event;
        } catch {
          continue;
        }
        if (event.event === 'listen' && event.socket !== undefined && event.port !== undefined) ports[event.socket] = event.port;
      }
      if (sockets.every((s) => s in ports)) resolve(ports);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => reject(new Error(`workerd exited (${code ?? signal}) before listening:\n${output}`)));
  });
}

beforeAll(async () => {
  project = makeProject();
  [bank, geo] = await Promise.all([bundle(project, 'worker-bank.ts', 'worker'), bundle(project, 'worker-geo.ts', 'worker')]);
  // The replay server must be up before workerd starts: its address is baked into the geo Worker's bindings.
  replay = await startReplayServer(geoExchanges());
  const configFile = path.join(project, 'out', 'config.capnp');
  writeFileSync(
    configFile,
    config([
      { name: 'bank', bundle: bank, bindings: {} },
      { name: 'geo', bundle: geo, bindings: { OPENAI_API_KEY: CANARY_KEY, OPENAI_BASE_URL: `${replay.url}/v1` } },
    ]),
  );
  const ports = await startWorkerd(configFile, ['bank', 'geo']);
  for (const [name, port] of Object.entries(ports)) urls[name] = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((done) => server!.once('exit', done));
    server.kill('SIGTERM');
    await exited;
  }
  await replay?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

/** Asks a Worker for its answer; on a 500, fails with the Worker's stack read in the runtime's sources. */
async function ask(name: 'bank' | 'geo', b: Bundle): Promise<unknown> {
  const response = await fetch(urls[name]!);
  const body = (await response.json()) as { error?: string; stack?: string };
  expect(response.status, body.stack === undefined ? JSON.stringify(body) : sourceStack(body.stack, b)).toBe(200);
  return body;
}

describe('bundled as a Cloudflare Worker, run in workerd', () => {
  it('bundles for the web platform through the package exports, with nothing external', () => {
    for (const b of [bank, geo]) {
      // Not even a Node built-in: a Worker without nodejs_compat has none.
      expect(externalImports(b.metafile)).toEqual([]);
      const inputs = inputsFromRepo(b, project);
      expect(inputs.some((p) => p.startsWith('runtime/dist/'))).toBe(true);
      expect(inputs.filter((p) => p.startsWith('runtime/') && !p.startsWith('runtime/dist/'))).toEqual([]);
    }
  });

  it('runs a generated agent on the `test` model inside workerd', async () => {
    const result = (await ask('bank', bank)) as {
      output: { support_advice: unknown; block_card: unknown; risk: number };
      pending: unknown[];
      requests: number;
    };
    expect(result.output).toEqual({ support_advice: expect.any(String), block_card: expect.any(Boolean), risk: expect.any(Number) });
    expect(Number.isInteger(result.output.risk) && result.output.risk >= 0 && result.output.risk <= 10).toBe(true);
    expect(result.pending).toEqual([expect.any(Boolean)]);
    expect(result.requests).toBe(2);
    // The test model is deterministic: the Worker agrees with the same app run here from the sources.
    const { runBankSupport } = (await import(/* @vite-ignore */ path.join(project, 'bank-app.ts'))) as { runBankSupport: () => Promise<unknown> };
    expect(result).toEqual(await runBankSupport());
  });

  it('runs a generated agent over the OpenAI adapter inside workerd, against recorded traffic on 127.0.0.1', async () => {
    const result = await ask('geo', geo);
    expect(result).toEqual({ output: geoOutput, toolCalls: 1, requests: 2 });
    await replay.settled();
    replay.assertConsumed();
    // The SDK inside the Worker sent the key from the binding to the base URL from the binding.
    expect(replay.requests.map((r) => `${r.method} ${r.path} ${r.headers['authorization']}`)).toEqual(
      Array(2).fill(`POST /v1/chat/completions Bearer ${CANARY_KEY}`),
    );
    expect(JSON.stringify(result)).not.toContain(CANARY_KEY);
  });
});
