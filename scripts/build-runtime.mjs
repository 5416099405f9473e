/**
 * Builds the runtime package (runtime/dist): declarations with maps from `tsc`, and the code as
 * one ES module per entry point (runtime/entry-points.json) plus chunks they share, from esbuild.
 *
 * Why a bundle: Node loads each ES module separately, and the runtime is a few dozen small files;
 * as one module per entry point (the shared chunk holds the classes and registries, so every entry
 * sees the same ones) it loads in less than half the time. The package ships the bundle only (no
 * second copy as loose modules), with source maps to the TypeScript sources it also ships.
 *
 * Kept out of the bundle (loaded from node_modules): the provider SDKs (optional peers), Ajv's
 * compiler and ajv-formats (only hand-written agents compile schemas, and only in Node) and
 * randexp. Bundled in: the small helpers that generated validators call (Ajv's `equal`,
 * `ucs2length`, `uri` and the format checks), so a validator needs nothing else at run time.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { entryPoints } from './entry-points.mjs';

const runtime = fileURLToPath(new URL('../runtime/', import.meta.url));
const tsc = createRequire(import.meta.url)
  .resolve('typescript/package.json')
  .replace(/package\.json$/, 'bin/tsc');

rmSync(`${runtime}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', `${runtime}tsconfig.build.json`], { stdio: 'inherit' });

const shared = {
  absWorkingDir: runtime,
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  // Neutral: nothing in the runtime may need Node's built-ins (http/node.ts uses only their types).
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2022',
  external: ['openai', 'openai/*', '@anthropic-ai/sdk', '@anthropic-ai/sdk/*', 'ajv', 'ajv/dist/2020.js', 'ajv-formats', 'randexp'],
  sourcemap: true,
  // The maps point at the TypeScript sources the package ships: no second copy inside them.
  sourcesContent: false,
  // Not minified: readable in a stack trace or a debugger, and small enough as it is.
  minify: false,
  // Error classes are told apart by name (`isInstance`, `error.name`): never rename them.
  keepNames: true,
  logLevel: 'warning',
};

const entries = entryPoints();
// The entry points that share state (classes, registries, scopes) are split into chunks they
// share, so each class exists once; each standalone one is a single module of its own.
await build({
  ...shared,
  entryPoints: Object.fromEntries(entries.filter((e) => !e.standalone).map((e) => [e.bundle, e.source])),
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
});
for (const e of entries.filter((e) => e.standalone)) await build({ ...shared, entryPoints: { [e.bundle]: e.source } });
