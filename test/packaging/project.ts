/**
 * Shared pieces of the bundling tests: a throwaway app project laid out as a user's would be,
 * esbuild bundles of it, and a way to read a bundle's stack traces back in the runtime's sources.
 *
 * The project lives in a temp folder outside the repository, so no tsconfig `paths` of the repo
 * (which point `schemantic` at the TypeScript sources) can apply: `schemantic` resolves through
 * project/node_modules/schemantic (a link to runtime/) and its package.json exports, to the built
 * runtime/dist, exactly as a user's bundler would see an installed package.
 *
 * Two agents: the repo's committed generated bank_support agent (structured output, a tool that
 * reads deps), run on the built-in `test` model; and a `geo` agent generated here by the built CLI
 * from a definition that matches a recorded OpenAI run (test_openai_tool_output.yaml: one call of
 * get_user_country, then final_result with the city), run through the OpenAI adapter.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules, SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { loadCassette, type Exchange } from '../providers/replay-server.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** A definition whose agent, tool and output match the recorded run of `geoExchanges`. */
const geoDefinition = `spec: schemantic/v1
description: The largest city of the user's country (matches a recorded OpenAI run).
types:
  City:
    description: A city and its country.
    type: object
    properties:
      city: { type: string }
      country: { type: string }
    required: [city, country]
tools:
  get_user_country:
    description: The user's country.
    parameters: { type: object, properties: {}, additionalProperties: false }
    returns: { type: string }
agents:
  geo:
    description: Finds the largest city in the user's country.
    model: openai:gpt-4o
    tools: [get_user_country]
    output: { $ref: '#/types/City' }
`;

/**
 * The apps' sources. Each app module is what a user would write; the entries only wrap them for
 * Node (print the result) or as a Worker (answer the request with it, or with the error and its
 * stack, so a failure inside workerd can be traced to a runtime module).
 */
const sources: Record<string, string> = {
  // (a) A generated agent on the built-in `test` model: no provider, no network.
  'bank-app.ts': `
import { createBankSupportAgent } from './generated/agents/bank-support.js';

export async function runBankSupport() {
  const pending: boolean[] = [];
  const support = createBankSupportAgent<{ customerId: number }>({
    model: 'test',
    tools: { customerBalance: (ctx, { include_pending }) => (pending.push(include_pending), \`$\${ctx.deps.customerId}.45\`) },
  });
  const result = await support.run('What is my balance?', { deps: { customerId: 123 }, context: { customer_name: 'John' } });
  return { output: result.output, pending, requests: result.usage().requests };
}
`,
  // (b) A generated agent on OpenAI; with no model given it runs on its own \`openai:gpt-4o\`.
  'geo-app.ts': `
import 'schemantic/openai';
import type { ModelLike } from 'schemantic';
import { createGeoAgent } from './geo/agents/geo.js';

export async function runGeo(model?: ModelLike) {
  let toolCalls = 0;
  const geo = createGeoAgent({ ...(model ? { model } : {}), tools: { getUserCountry: () => (toolCalls++, 'Mexico') } });
  const result = await geo.run('What is the largest city in the user country?');
  return { output: result.output, toolCalls, requests: result.usage().requests };
}
`,
  'node-bank.ts': `
import { runBankSupport } from './bank-app.js';
console.log(JSON.stringify(await runBankSupport()));
`,
  // The key and base URL come from OPENAI_API_KEY and OPENAI_BASE_URL, as for any Node app.
  'node-geo.ts': `
import { runGeo } from './geo-app.js';
console.log(JSON.stringify(await runGeo()));
`,
  'worker-bank.ts': `
import { runBankSupport } from './bank-app.js';
export default {
  async fetch(): Promise<Response> {
    try {
      return Response.json(await runBankSupport());
    } catch (err) {
      return Response.json({ error: String(err), stack: (err as Error).stack }, { status: 500 });
    }
  },
};
`,
  // A Worker has no environment variables: the key and base URL arrive as bindings.
  'worker-geo.ts': `
import { OpenAIChatModel } from 'schemantic/openai';
import { runGeo } from './geo-app.js';
interface Env { OPENAI_API_KEY: string; OPENAI_BASE_URL: string }
export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    try {
      return Response.json(await runGeo(OpenAIChatModel.connect('gpt-4o', { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL, maxRetries: 0 })));
    } catch (err) {
      return Response.json({ error: String(err), stack: (err as Error).stack }, { status: 500 });
    }
  },
};
`,
};

/** The recorded OpenAI run the geo agent replays: a tool call, then the output tool. */
export function geoExchanges(): Exchange[] {
  return loadCassette('openai/test_openai_tool_output.yaml');
}

/** What the geo agent must output on that recording. */
export const geoOutput = { city: 'Mexico City', country: 'Mexico' };

/**
 * Makes the app project in a new temp folder: the apps, a copy of the repo's generated/ (the
 * bank_support agent), the geo agent generated by the built `schemantic` command, and
 * node_modules/schemantic linking to the runtime package. Returns the folder.
 */
export function makeProject(): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'schemantic-packaging-')));
  try {
    for (const [name, text] of Object.entries(sources)) writeFileSync(path.join(dir, name), text.trimStart());
    cpSync(path.join(root, 'generated'), path.join(dir, 'generated'), { recursive: true });
    mkdirSync(path.join(dir, 'schemas'));
    writeFileSync(path.join(dir, 'schemas', 'geo.yaml'), geoDefinition);
    execFileSync(process.execPath, [path.join(root, 'codegen/bin/schemantic.js'), 'generate', '--schemas', 'schemas', '--out', 'geo'], {
      cwd: dir,
      stdio: 'pipe',
    });
    mkdirSync(path.join(dir, 'node_modules'));
    // An installed package, as a workspace link is: its package.json exports decide what a bundler loads.
    symlinkSync(path.join(root, 'runtime'), path.join(dir, 'node_modules', 'schemantic'), 'dir');
    return dir;
  } catch (err) {
    // The caller never learns the folder's name when this fails: remove it here.
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

export interface Bundle {
  /** The single output file. */
  file: string;
  /** Its source map (kept out of the folder the bundle runs from). */
  mapFile: string;
  bytes: number;
  metafile: Metafile;
}

/**
 * Bundles one entry of the project into one ES module with esbuild, everything included (no
 * `external`, `packages` left at its default of bundling). `node`: for Node. `worker`: what a
 * Worker bundler does (web platform, with the workerd/worker/browser export conditions).
 * `options`: `nodePaths`, folders where bare imports not found up the folders resolve (esbuild's
 * NODE_PATH); `banner`, code put first in the output.
 */
export async function bundle(
  project: string,
  entry: string,
  target: 'node' | 'worker',
  options: Pick<BuildOptions, 'nodePaths' | 'banner'> = {},
): Promise<Bundle> {
  const file = path.join(project, 'out', `${path.basename(entry, '.ts')}.mjs`);
  const result = await build({
    absWorkingDir: project,
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    ...(target === 'node'
      ? { platform: 'node' }
      : { platform: 'browser', conditions: ['workerd', 'worker', 'browser'], mainFields: ['browser', 'module', 'main'] }),
    // Composed with the runtime's own maps, so a stack can be read in the runtime's TypeScript.
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
    ...options,
  });
  return { file, mapFile: `${file}.map`, bytes: statSync(file).size, metafile: result.metafile };
}

/** Every import the bundle left to be loaded at run time (esbuild's `external` ones). */
export function externalImports(metafile: Metafile): string[] {
  return [...new Set(Object.values(metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external).map((i) => i.path)))].sort();
}

/** Whether an import names a Node built-in (`node:fs`, `fs`, `fs/promises`). */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier);
}

/** The bundle's input files, relative to the repository root (`runtime/dist/index.js`, `node_modules/openai/...`). */
export function inputsFromRepo(bundle: Bundle, project: string): string[] {
  return Object.keys(bundle.metafile.inputs).map((p) => path.relative(root, path.resolve(project, p)));
}

/**
 * Rewrites the positions of a stack trace that point into the bundle (`<name>.mjs:line:col`,
 * with or without a file URL) to the original sources, relative to the repository root
 * (`runtime/schema/compile.ts:37:11`). Lines it cannot map are left as they are.
 */
export function sourceStack(text: string, bundle: Bundle): string {
  const map = new SourceMap(JSON.parse(readFileSync(bundle.mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  const name = path.basename(bundle.file).replace(/[.]/g, '\\.');
  return text.replace(new RegExp(`(?:file://[^\\s()]*/)?${name}:(\\d+):(\\d+)`, 'g'), (all, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.originalSource === undefined) return all;
    const source = path.relative(root, path.resolve(path.dirname(bundle.mapFile), entry.originalSource));
    return `${source}:${entry.originalLine! + 1}:${entry.originalColumn! + 1}`;
  });
}

/** A fresh empty temp folder (no node_modules anywhere above it that could help). */
export function emptyDir(): string {
  return realpathSync(mkdtempSync(path.join(os.tmpdir(), 'schemantic-bundle-run-')));
}
