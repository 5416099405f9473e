/**
 * A user's app bundled for Node into one file by esbuild, through the built package (`schemantic`
 * resolves via its package.json exports to runtime/dist, not via the test aliases to the
 * sources), then run with plain Node from an empty folder: nothing may be left to load from
 * node_modules at run time. Two apps: a generated agent on the built-in `test` model, and a
 * generated agent over the OpenAI adapter against recorded OpenAI traffic on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_KEY, withReplay } from '../providers/harness.js';
import { bundle, emptyDir, externalImports, geoExchanges, geoOutput, inputsFromRepo, isNodeBuiltin, makeProject, sourceStack, type Bundle } from './project.js';

let project: string;
let bank: Bundle;
let geo: Bundle;
const dirs: string[] = [];

beforeAll(async () => {
  project = makeProject();
  dirs.push(project);
  [bank, geo] = await Promise.all([bundle(project, 'node-bank.ts', 'node'), bundle(project, 'node-geo.ts', 'node')]);
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Copies the bundle alone into a new empty folder and runs it there with this Node, without
 * the provider variables of the machine (only those given).
 */
function runAlone(b: Bundle, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = emptyDir();
  dirs.push(dir);
  const file = path.join(dir, path.basename(b.file));
  copyFileSync(b.file, file);
  expect(readdirSync(dir)).toEqual([path.basename(b.file)]);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|_BASE_URL$|^NODE_PATH$|^NODE_OPTIONS$/.test(k)));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: dir, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bundled for Node (esbuild, platform node, one ES module)', () => {
  it('goes through the package exports to the built runtime, and leaves nothing external but Node built-ins', () => {
    for (const b of [bank, geo]) {
      const inputs = inputsFromRepo(b, project);
      // The built runtime, never its TypeScript sources: the bundler saw the package as users get it.
      expect(inputs.some((p) => p.startsWith('runtime/dist/'))).toBe(true);
      expect(inputs.filter((p) => p.startsWith('runtime/') && !p.startsWith('runtime/dist/'))).toEqual([]);
      expect(externalImports(b.metafile).filter((s) => !isNodeBuiltin(s))).toEqual([]);
    }
    // Providers are opt-in: the test-model app does not carry the OpenAI SDK; the OpenAI app bundles it.
    expect(inputsFromRepo(bank, project).filter((p) => p.includes('node_modules/openai/'))).toEqual([]);
    expect(inputsFromRepo(geo, project).some((p) => p.startsWith('node_modules/openai/'))).toBe(true);
  });

  it('runs a generated agent on the `test` model from an empty folder, as the sources do', async () => {
    const { code, stdout, stderr } = await runAlone(bank);
    // On failure, the stack read back in the runtime's sources says which module needed what.
    expect(stderr, sourceStack(stderr, bank)).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { output: { support_advice: unknown; block_card: unknown; risk: number }; pending: unknown[]; requests: number };
    expect(result.output).toEqual({ support_advice: expect.any(String), block_card: expect.any(Boolean), risk: expect.any(Number) });
    expect(Number.isInteger(result.output.risk) && result.output.risk >= 0 && result.output.risk <= 10).toBe(true);
    // The test model called the tool once (with a boolean, as its schema says), then gave the output.
    expect(result.pending).toEqual([expect.any(Boolean)]);
    expect(result.requests).toBe(2);
    // The same app run here from the sources: the test model is deterministic, so the bundle must agree exactly.
    const { runBankSupport } = (await import(/* @vite-ignore */ path.join(project, 'bank-app.ts'))) as { runBankSupport: () => Promise<unknown> };
    expect(result).toEqual(await runBankSupport());
  });

  it('runs a generated agent over the OpenAI adapter against recorded traffic, from the environment', async () => {
    await withReplay(geoExchanges(), async (server) => {
      const { code, stdout, stderr } = await runAlone(geo, { OPENAI_API_KEY: CANARY_KEY, OPENAI_BASE_URL: `${server.url}/v1` });
      expect(stderr, sourceStack(stderr, geo)).toBe('');
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({ output: geoOutput, toolCalls: 1, requests: 2 });
      // The bundled SDK sent the key from the environment, to the base URL from the environment.
      expect(server.requests.map((r) => `${r.method} ${r.path} ${r.headers['authorization']}`)).toEqual(
        Array(2).fill(`POST /v1/chat/completions Bearer ${CANARY_KEY}`),
      );
      const tools = (server.requests[0]!.body as { tools: { function: { name: string } }[] }).tools.map((t) => t.function.name);
      expect(tools).toEqual(['get_user_country', 'final_result']);
      expect(stdout).not.toContain(CANARY_KEY);
    });
    // withReplay has checked that every recorded exchange was requested.
  });
});
