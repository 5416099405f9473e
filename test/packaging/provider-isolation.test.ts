/**
 * Each provider is its own entry point, and an app that uses one provider's SDK needs no other SDK
 * (issue 17). For each of schemantic/openai, schemantic/anthropic, schemantic/google and
 * schemantic/bedrock, a small app that imports only `schemantic` and that entry point, constructs a
 * model of that provider and runs one agent on it:
 *
 * - bundled for Node by esbuild (project.ts's `bundle`) through the built package, as installed:
 *   a copy of runtime/ (its package.json, dist and sources, as built by the global setup) in the
 *   app's node_modules/schemantic, so that `schemantic` resolves by its package.json exports, and a
 *   rebuild of runtime/dist by a concurrent test run cannot pull files from under the bundler.
 *   Every provider SDK stays resolvable (the repository's node_modules as esbuild's NODE_PATH), so
 *   that nothing but the runtime's own imports decides what goes in. From the metafile: no other provider's SDK is in the bundle or left as an import, no other
 *   provider's entry bundle is in it, the app's own SDK is there and is imported only by that entry
 *   point's bundle (a dynamic import, on the first run), and every package the app carries beyond
 *   what a core-only app carries is reached through that SDK. The bundle then runs alone from an
 *   empty folder against recorded traffic on 127.0.0.1.
 * - installed, in a fresh project holding `schemantic` packed from that same copy and that one SDK (npm
 *   against the local registry of helpers.ts: the lockfile's packages from the npm cache, nothing
 *   from the network): the other SDKs are neither installed nor resolvable, and the same app runs
 *   in plain Node against the same recorded traffic.
 *
 * Bedrock's SDK speaks HTTP/2 by default and the replay server HTTP/1.1: the Bedrock app, which
 * must not import the SDK itself to pick another handler, is answered by a cleartext HTTP/2 server
 * replaying the same cassette.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttp2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_KEY, withReplay } from '../providers/harness.js';
import { loadCassette, type Exchange } from '../providers/replay-server.js';
import { installedPackages, npmInstall, ok, root, run, startRegistry, type Registry } from './helpers.js';
import { bundle, emptyDir, externalImports, isNodeBuiltin, sourceStack, type Bundle } from './project.js';

type Entry = 'openai' | 'anthropic' | 'google' | 'bedrock';

interface Provider {
  entry: Entry;
  /** The SDK the entry point loads, as an app installs it. */
  sdk: string;
  /** Whether an installed package belongs to that SDK (Bedrock's is a family of `@aws-sdk/*` packages). */
  owns: (pkg: string) => boolean;
  /** One recorded non-streamed exchange: instructions and "What is the capital of France?". */
  cassette: string;
  /** The app: what a user writes to run one agent on this provider and nothing else. */
  source: string;
  /** The environment pointing the app at a server (its base URL). */
  env: (url: string) => Record<string, string>;
}

/** Prints what the app saw: the run's output, the prefixes registered, the model it constructed. */
const report = `console.log(JSON.stringify({ output: result.output, requests: result.usage().requests, providers: modelProviders(), constructed: made.name }));`;

const providers: Provider[] = [
  {
    entry: 'openai',
    sdk: 'openai',
    owns: (pkg) => pkg === 'openai',
    cassette: 'openai/test_openai_instructions.yaml',
    source: `
import { agent, modelProviders } from 'schemantic';
import { OpenAIChatModel } from 'schemantic/openai';

const made = new OpenAIChatModel('gpt-4o-mini', { apiKey: 'constructed-only' });
const result = await agent({ name: 'capital', model: 'openai:gpt-4o', instructions: 'You are a helpful assistant.' }).run('What is the capital of France?');
${report}
`,
    env: (url) => ({ OPENAI_API_KEY: CANARY_KEY, OPENAI_BASE_URL: `${url}/v1` }),
  },
  {
    entry: 'anthropic',
    sdk: '@anthropic-ai/sdk',
    owns: (pkg) => pkg === '@anthropic-ai/sdk',
    cassette: 'anthropic/test_anthropic_model_instructions.yaml',
    source: `
import { agent, modelProviders } from 'schemantic';
import { AnthropicModel } from 'schemantic/anthropic';

const made = new AnthropicModel('claude-sonnet-5-5', { apiKey: 'constructed-only' });
const result = await agent({ name: 'capital', model: 'anthropic:claude-3-opus-latest', instructions: 'You are a helpful assistant.' }).run('What is the capital of France?');
${report}
`,
    env: (url) => ({ ANTHROPIC_API_KEY: CANARY_KEY, ANTHROPIC_BASE_URL: url }),
  },
  {
    entry: 'google',
    sdk: '@google/genai',
    owns: (pkg) => pkg === '@google/genai',
    cassette: 'google/test_google_model_instructions.yaml',
    source: `
import { agent, modelProviders } from 'schemantic';
import { GoogleModel } from 'schemantic/google';

const made = new GoogleModel('gemini-2.5-flash', { apiKey: 'constructed-only' });
const result = await agent({ name: 'capital', model: 'google:gemini-2.0-flash', instructions: 'You are a helpful assistant.' }).run('What is the capital of France?');
${report}
`,
    env: (url) => ({ GEMINI_API_KEY: CANARY_KEY, GOOGLE_GEMINI_BASE_URL: url }),
  },
  {
    entry: 'bedrock',
    sdk: '@aws-sdk/client-bedrock-runtime',
    owns: (pkg) => /^@(aws-sdk|smithy|aws-crypto)\//.test(pkg),
    cassette: 'bedrock/test_bedrock_model.yaml',
    // By constructor: the endpoint is not an environment variable of the SDK's.
    source: `
import { agent, modelProviders } from 'schemantic';
import { BedrockModel } from 'schemantic/bedrock';

const made = new BedrockModel('us.amazon.nova-micro-v1:0', {
  region: 'us-east-1',
  endpoint: process.env.BEDROCK_ENDPOINT,
  credentials: { accessKeyId: 'AKIDISOLATIONTEST', secretAccessKey: process.env.BEDROCK_SECRET },
  maxRetries: 0,
});
const result = await agent({ name: 'chat', model: made, instructions: 'You are a chatbot.' }).run('Hello!');
${report}
`,
    // The SDK warns on stderr that its 2027 releases will need Node 22: the AWS switch for that warning.
    env: (url) => ({ BEDROCK_ENDPOINT: url, BEDROCK_SECRET: CANARY_KEY, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }),
  },
];

/** The core-only app: the built-in `test` model, no provider entry point. */
const coreApp = `
import { agent, modelProviders } from 'schemantic';

const result = await agent({ name: 'core', model: 'test' }).run('Hello');
console.log(JSON.stringify({ output: result.output, providers: modelProviders() }));
`;

/** The id prefixes each entry point registers (beside none from the core). */
const prefixes: Record<Entry, string[]> = {
  openai: ['deepseek', 'groq', 'mistral', 'ollama', 'openai', 'openai-responses', 'openrouter', 'vllm'],
  anthropic: ['anthropic'],
  google: ['gemini', 'google'],
  bedrock: ['bedrock'],
};

/** The model name the app constructs. */
const constructed: Record<Entry, string> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-sonnet-5-5',
  google: 'gemini-2.5-flash',
  bedrock: 'us.amazon.nova-micro-v1:0',
};

/** What each recorded exchange answers. */
const outputs: Record<Entry, string> = {
  openai: 'The capital of France is Paris.',
  anthropic: 'The capital of France is Paris.',
  google: 'The capital of France is Paris.\n',
  bedrock: "Hello! How can I assist you today? Whether you have questions, need information, or just want to chat, I'm here to help.",
};

/** The package a file belongs to (`node_modules/@aws-sdk/core/dist-es/x.js` -> `@aws-sdk/core`), if any. */
function packageOf(file: string): string | undefined {
  const at = file.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const [first, second] = file.slice(at + 'node_modules/'.length).split('/');
  return first!.startsWith('@') ? `${first}/${second}` : first;
}

/** Where the bundled app finds the runtime, relative to its project. */
const RT = 'node_modules/schemantic/';

/** A bundle's import graph with every file relative to the app's project (`node_modules/schemantic/dist/index.js`). */
interface Graph {
  inputs: string[];
  /** importer -> its bundled imports (target, kind, specifier as written). */
  imports: Map<string, { path: string; kind: string; original: string | undefined }[]>;
}

function graphOf(metafile: Metafile, project: string): Graph {
  const rel = (p: string) => path.relative(project, path.resolve(project, p));
  const imports = new Map<string, { path: string; kind: string; original: string | undefined }[]>();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    imports.set(
      rel(file),
      input.imports.filter((i) => i.external !== true).map((i) => ({ path: rel(i.path), kind: i.kind, original: i.original })),
    );
  }
  return { inputs: [...imports.keys()], imports };
}

/** Every file reachable in the graph from `starts` (included). */
function reachable(graph: Graph, starts: string[]): Set<string> {
  const seen = new Set(starts);
  const queue = [...starts];
  while (queue.length > 0) for (const i of graph.imports.get(queue.pop()!) ?? []) if (!seen.has(i.path)) (seen.add(i.path), queue.push(i.path));
  return seen;
}

/** Every provider SDK, resolvable by the bundler from the app's runtime copy. */
const nodePaths = [path.join(root, 'node_modules')];

/**
 * The `require` an ES module bundle needs for the CommonJS modules it holds (google-auth-library,
 * under @google/genai, and the AWS SDK's dist-cjs require Node built-ins), as esbuild's documentation
 * has Node apps add: without it their `require('child_process')` throws at run time.
 */
const banner = { js: "import { createRequire as __schemanticRequire } from 'node:module'; const require = __schemanticRequire(import.meta.url);" };

/**
 * Optional native add-ons of `ws` (under @google/genai), required inside a try/catch: esbuild
 * leaves them to run time, where their absence is expected.
 */
const optionalAddons = ['bufferutil', 'utf-8-validate'];

let project: string;
let work: string;
let core: { bundle: Bundle; graph: Graph };
const bundles = new Map<Entry, { bundle: Bundle; graph: Graph }>();
let tarball: string;
let registry: Registry | undefined;
const installs = new Map<Entry, Promise<string>>();

/**
 * `npm pack` of the copy of the runtime the bundles use: scripts skipped, since prepack would only
 * rebuild what the global setup built.
 */
async function packRuntime(): Promise<string> {
  const out = path.join(work, 'tarballs');
  mkdirSync(out, { recursive: true });
  ok(await run('npm', ['pack', '--ignore-scripts', '--pack-destination', out], { cwd: path.join(project, RT) }), 'npm pack');
  return path.join(out, 'schemantic-0.1.0.tgz');
}

/** The version of an SDK the repository is tested with (its devDependencies), which the lockfile and npm cache hold. */
function testedVersion(sdk: string): string {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  return manifest.devDependencies[sdk]!;
}

/** A fresh project with the runtime tarball and one SDK installed, and the app; its folder. */
async function install(p: Provider): Promise<string> {
  const dir = path.join(work, `app-${p.entry}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `app-${p.entry}`, version: '1.0.0', private: true, type: 'module' }));
  writeFileSync(path.join(dir, 'app.mjs'), p.source);
  await npmInstall(dir, registry!, path.join(work, `npm-cache-${p.entry}`), [tarball, `${p.sdk}@${testedVersion(p.sdk)}`]);
  return dir;
}

beforeAll(async () => {
  project = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'schemantic-isolation-')));
  work = path.join(project, 'installed');
  mkdirSync(work);
  for (const p of providers) writeFileSync(path.join(project, `app-${p.entry}.ts`), p.source);
  writeFileSync(path.join(project, 'app-core.ts'), coreApp);
  cpSync(path.join(root, 'runtime'), path.join(project, RT), { recursive: true, filter: (src) => !src.split(path.sep).includes('node_modules') });
  for (const e of [...providers.map((p) => p.entry), 'index'])
    expect(existsSync(path.join(project, RT, 'dist', `${e}.js`)), `runtime/dist/${e}.js (rerun if a concurrent build removed it)`).toBe(true);

  // The installs start now and are awaited by their tests; the bundles are made meanwhile.
  const installing = (async () => {
    tarball = await packRuntime();
    registry = await startRegistry([tarball]);
    for (const p of providers) {
      const pending = install(p);
      // A failed install is reported by its test.
      pending.catch(() => undefined);
      installs.set(p.entry, pending);
    }
  })();
  const bundling = Promise.all(
    ['core' as const, ...providers.map((p) => p.entry)].map(
      async (name) => [name, await bundle(project, `app-${name}.ts`, 'node', { nodePaths, banner })] as const,
    ),
  );
  // Both settle before the hook ends, so that a failure of one does not remove the folder under the other.
  const [bundled, installed] = await Promise.allSettled([bundling, installing]);
  if (bundled.status === 'rejected') throw bundled.reason;
  if (installed.status === 'rejected') throw installed.reason;
  for (const [name, b] of bundled.value) {
    const entry = { bundle: b, graph: graphOf(b.metafile, project) };
    if (name === 'core') core = entry;
    else bundles.set(name, entry);
  }
});

afterAll(async () => {
  if (installs.size > 0) await Promise.allSettled(installs.values());
  await registry?.close();
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

/** Runs a Node script with the given environment only (PATH besides), from `cwd`. */
function node(cwd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Seen {
  method: string;
  path: string;
}

/**
 * Runs `test` against a server answering the provider's cassette, and gives what it received: the
 * replay server, or for Bedrock a cleartext HTTP/2 server answering the recorded exchanges in order.
 */
async function againstRecording(p: Provider, test: (url: string) => Promise<void>): Promise<Seen[]> {
  const exchanges = loadCassette(p.cassette);
  if (p.entry !== 'bedrock') {
    return withReplay(exchanges, async (server) => {
      await test(server.url);
      return server.requests.map((r) => ({ method: r.method, path: r.path }));
    });
  }
  const seen: Seen[] = [];
  const server = createHttp2Server();
  server.on('stream', (stream, headers) => {
    const exchange: Exchange | undefined = exchanges[seen.length];
    seen.push({ method: String(headers[':method']), path: String(headers[':path']) });
    stream.resume();
    stream.on('end', () => {
      if (exchange === undefined || exchange.response.kind !== 'json') {
        stream.respond({ ':status': 500 });
        stream.end('no recorded exchange left');
        return;
      }
      stream.respond({ ':status': exchange.response.status, 'content-type': 'application/json' });
      stream.end(JSON.stringify(exchange.response.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await test(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  expect(seen.length, 'every recorded exchange requested').toBe(exchanges.length);
  return seen;
}

/** What the app must print and the server must have seen, on the recorded exchange. */
function expectRan(p: Provider, ran: { code: number | null; stdout: string; stderr: string }, seen: Seen[], stack = ''): void {
  expect(ran.stderr, stack).toBe('');
  expect(ran.code).toBe(0);
  expect(JSON.parse(ran.stdout)).toEqual({
    output: outputs[p.entry],
    requests: 1,
    providers: [...prefixes[p.entry], 'test'].sort(),
    constructed: constructed[p.entry],
  });
  expect(seen).toEqual(loadCassette(p.cassette).map((e) => ({ method: e.request.method, path: e.request.path })));
  expect(ran.stdout).not.toContain(CANARY_KEY);
}

describe.each(providers)('an app on schemantic/$entry alone', (p) => {
  const others = providers.filter((o) => o.entry !== p.entry);

  it('bundles none of the other providers: their SDKs and entry points are neither in the bundle nor imported by it', () => {
    const { bundle: b, graph } = bundles.get(p.entry)!;
    const packages = [...new Set(graph.inputs.map(packageOf).filter((x) => x !== undefined))].sort();
    for (const o of others) expect(packages.filter(o.owns), `${o.sdk} in the ${p.entry} bundle`).toEqual([]);
    // Nothing is left to load at run time but Node's built-ins (and ws's optional add-ons): no other SDK as an external import either.
    expect(externalImports(b.metafile).filter((s) => !isNodeBuiltin(s) && !optionalAddons.includes(s))).toEqual([]);
    // Of the runtime's entry bundles, the core's and this provider's only (the rest are shared chunks).
    expect(graph.inputs.filter((f) => f.startsWith(`${RT}dist/`) && !f.startsWith(`${RT}dist/chunks/`)).sort()).toEqual(
      [`${RT}dist/index.js`, `${RT}dist/${p.entry}.js`].sort(),
    );
    // The built runtime, never its TypeScript sources.
    expect(graph.inputs.filter((f) => f.startsWith(RT) && !f.startsWith(`${RT}dist/`))).toEqual([]);
  });

  it('loads its own SDK only through the entry point, on first use, and carries nothing else beyond the core', () => {
    const { graph } = bundles.get(p.entry)!;
    // The app imports `schemantic` and the entry point, nothing else.
    const app = graph.imports.get(`app-${p.entry}.ts`)!;
    expect(app.map((i) => `${i.original} -> ${i.path}`).sort()).toEqual(
      [`schemantic -> ${RT}dist/index.js`, `schemantic/${p.entry} -> ${RT}dist/${p.entry}.js`].sort(),
    );
    // The SDK is in the bundle, and every import of it from outside it is the entry point's dynamic import.
    const inSdk = (f: string) => p.owns(packageOf(f) ?? '');
    expect(graph.inputs.some((f) => packageOf(f) === p.sdk)).toBe(true);
    const into = [...graph.imports].flatMap(([from, list]) =>
      inSdk(from) ? [] : list.filter((i) => inSdk(i.path)).map((i) => `${from} ${i.kind} ${i.original}`),
    );
    expect([...new Set(into)]).toEqual([`${RT}dist/${p.entry}.js dynamic-import ${p.sdk}`]);
    // Any package the core-only app does not carry is one the SDK brought (reached through it).
    const fromSdk = reachable(
      graph,
      (graph.imports.get(`${RT}dist/${p.entry}.js`) ?? []).filter((i) => inSdk(i.path)).map((i) => i.path),
    );
    const corePackages = new Set(core.graph.inputs.map(packageOf));
    const stray = graph.inputs.filter((f) => packageOf(f) !== undefined && !corePackages.has(packageOf(f)) && !fromSdk.has(f));
    expect(stray).toEqual([]);
    // And the core-only app carries no provider SDK at all.
    expect(core.graph.inputs.map(packageOf).filter((pkg) => pkg !== undefined && providers.some((o) => o.owns(pkg)))).toEqual([]);
  });

  it('runs the bundle alone from an empty folder against recorded traffic', async () => {
    const { bundle: b } = bundles.get(p.entry)!;
    const dir = emptyDir();
    try {
      copyFileSync(b.file, path.join(dir, path.basename(b.file)));
      expect(readdirSync(dir)).toEqual([path.basename(b.file)]);
      let ran!: Awaited<ReturnType<typeof node>>;
      const seen = await againstRecording(p, async (url) => {
        ran = await node(dir, [path.basename(b.file)], p.env(url));
      }).catch((err: Error) => {
        throw new Error(`${err.message}\nthe app's stderr: ${sourceStack(ran?.stderr ?? '', b)}`, { cause: err });
      });
      expectRan(p, ran, seen, sourceStack(ran.stderr, b));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('installed with its SDK alone (packed tarball, offline registry): the other SDKs are absent, and the app runs', async () => {
    const dir = await installs.get(p.entry)!;
    const names = installedPackages(path.join(dir, 'node_modules')).map((x) => x.slice(0, x.lastIndexOf('@')));
    expect(names).toContain('schemantic');
    expect(names).toContain(p.sdk);
    for (const o of others) expect(names.filter(o.owns), `${o.sdk} installed beside ${p.sdk}`).toEqual([]);
    // Not resolvable from the app either (no copy higher up).
    const probe = `for (const s of ${JSON.stringify(others.map((o) => o.sdk))}) { try { await import(s); console.log(s, 'found'); } catch (e) { console.log(s, e.code); } }`;
    const probed = await node(dir, ['--input-type=module', '-e', probe], {});
    expect(probed.stdout.trim().split('\n')).toEqual(others.map((o) => `${o.sdk} ERR_MODULE_NOT_FOUND`));

    let ran!: Awaited<ReturnType<typeof node>>;
    const seen = await againstRecording(p, async (url) => {
      ran = await node(dir, ['app.mjs'], p.env(url));
    }).catch((err: Error) => {
      throw new Error(`${err.message}\nthe app's stderr: ${ran?.stderr}`, { cause: err });
    });
    expectRan(p, ran, seen);
  }, 90_000);
});
