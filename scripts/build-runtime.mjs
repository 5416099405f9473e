/**
 * Builds the runtime package (runtime/dist): declarations with maps from `tsc`, and the code as
 * one ES module per entry point (runtime/entry-points.json) plus chunks they share, from esbuild.
 *
 * Why a bundle: Node loads each ES module separately, and the runtime is a few dozen small files;
 * as one module per entry point (the shared chunk holds the classes and registries, so every entry
 * sees the same ones) it loads in less than half the time. The package ships the bundle only (no
 * second copy as loose modules), with source maps to the TypeScript sources it also ships.
 *
 * Kept out of the bundle (loaded from node_modules): the provider SDKs, DBOS, pg and OpenTelemetry
 * (optional peers), Ajv's compiler and ajv-formats (only hand-written agents compile schemas, and
 * only in Node) and randexp. Bundled in: the small helpers that generated validators call (Ajv's `equal`,
 * `ucs2length`, `uri` and the format checks), so a validator needs nothing else at run time.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { entryPoints } from './entry-points.mjs';

const runtime = fileURLToPath(new URL('../runtime/', import.meta.url));
const tsc = createRequire(import.meta.url)
  .resolve('typescript/package.json')
  .replace(/package\.json$/, 'bin/tsc');

rmSync(`${runtime}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', `${runtime}tsconfig.build.json`], { stdio: 'inherit' });
pruneDeclarations();
inlineDeclarationMaps();

const shared = {
  absWorkingDir: runtime,
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  // Neutral: nothing in the runtime may need Node's built-ins (http/node.ts uses only their types).
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2022',
  external: [
    'openai',
    'openai/*',
    '@anthropic-ai/sdk',
    '@anthropic-ai/sdk/*',
    '@google/genai',
    '@google/genai/*',
    '@aws-sdk/client-bedrock-runtime',
    '@aws-sdk/*',
    'ajv',
    'ajv/dist/2020.js',
    'ajv-formats',
    'randexp',
    '@opentelemetry/api',
    '@opentelemetry/sdk-trace-base',
    '@modelcontextprotocol/client',
    '@modelcontextprotocol/client/*',
    '@modelcontextprotocol/server',
    '@modelcontextprotocol/server/*',
    '@modelcontextprotocol/core',
    '@modelcontextprotocol/node',
    '@dbos-inc/dbos-sdk',
    'pg',
  ],
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
// share, so each class exists once; each standalone one is a single module of its own, which
// imports from those chunks only the modules it `shares` (see linkToSplitBuild).
const split = await build({
  ...shared,
  entryPoints: Object.fromEntries(entries.filter((e) => !e.standalone).map((e) => [e.bundle, e.source])),
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  metafile: true,
});
for (const e of entries.filter((e) => e.standalone)) {
  const { metafile } = await build({ ...shared, entryPoints: { [e.bundle]: e.source }, plugins: [linkToSplitBuild(e)], metafile: true });
  checkSharedImports(e, metafile);
}

/**
 * What a standalone entry takes from the split build instead of bundling a copy: the modules it
 * `shares` (classes that must exist once, such as the errors), from the chunk that holds each,
 * and the other entry points it imports (`schemantic/define` imports the main entry on first use).
 */
function linkToSplitBuild(entry) {
  const files = new Map(entries.filter((e) => !e.standalone).map((e) => [e.source, `dist/${e.bundle}.js`]));
  for (const source of entry.shares ?? []) {
    const file = Object.keys(split.metafile.outputs).find((out) => !out.endsWith('.map') && Object.hasOwn(split.metafile.outputs[out].inputs, source));
    if (!file) throw new Error(`${entry.specifier} shares ${source}, which no entry point of the split build holds`);
    files.set(source, file);
  }
  return {
    name: 'link-to-split-build',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        const source = path.relative(runtime, path.resolve(args.resolveDir, args.path)).replace(/\.js$/, '.ts');
        const file = files.get(source);
        return file === undefined ? undefined : { path: `./${path.relative('dist', file)}`, external: true };
      });
    },
  };
}

/** Fails the build when a standalone entry imports a name its shared chunk does not export (one the bundler renamed). */
function checkSharedImports(entry, metafile) {
  for (const [out, output] of Object.entries(metafile.outputs)) {
    if (out.endsWith('.map')) continue;
    const text = readFileSync(`${runtime}${out}`, 'utf8');
    for (const [, list, from] of text.matchAll(/^import\s*\{([^}]*)\}\s*from\s*"(\.\/chunks\/[^"]+)"/gm)) {
      const exported = split.metafile.outputs[path.join('dist', from)]?.exports ?? [];
      const names = list.split(',').map((n) => n.trim().split(/\s+as\s+/)[0]);
      for (const name of names.filter((n) => n && !exported.includes(n)))
        throw new Error(`${entry.specifier}: ${from} does not export ${name} (${output.entryPoint} shares a module the bundler renamed)`);
    }
  }
}

// The history validator's chunk is generated code (scripts/messages-validator.ts): a map from it to
// its own source helps no one in a debugger, and that map and the source it names (64 KB and
// 109 KB) would count against the size of an install. Both are left out.
for (const out of Object.keys(split.metafile.outputs)) {
  if (!/\/messages-validator-[^/]+\.js$/.test(out)) continue;
  rmSync(`${runtime}${out}.map`, { force: true });
  const file = `${runtime}${out}`;
  writeFileSync(file, readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
}

/**
 * Keeps only the declarations a user's types can reach: those of the entry points and what they
 * import, transitively. The others describe internals no public type names (the run loop, the
 * adapters' mappings, the tracing spans); each costs two small files (and their disk blocks) in
 * every install, which the runtime's size budget cannot spare. The code and its source maps are
 * untouched.
 */
function pruneDeclarations() {
  const types = `${runtime}dist/types/`;
  const reachable = new Set();
  const pending = entryPoints().map((e) => path.join(types, e.source.replace(/\.ts$/, '.d.ts')));
  while (pending.length > 0) {
    const file = pending.pop();
    if (reachable.has(file)) continue;
    reachable.add(file);
    // tsc writes relative specifiers as `from './x.js'`, `import('./x.js')` and `import './x.js'`.
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = path.join(path.dirname(file), match[1]).replace(/\.js$/, '.d.ts');
      if (!existsSync(target)) throw new Error(`${path.relative(types, file)} imports ${match[1]}, which has no declaration`);
      pending.push(target);
    }
  }
  for (const entry of readdirSync(types, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && file.endsWith('.d.ts') && !reachable.has(file)) {
      rmSync(file);
      rmSync(`${file}.map`, { force: true });
    }
  }
}

/**
 * Moves each declaration map into its declaration, as a `data:` URL with its charset, the form
 * TypeScript's language service reads (so "go to definition" still lands in the shipped .ts source). A separate map costs
 * every install a file and its disk block, for about a kilobyte of JSON: kept apart, the maps took
 * more disk than the declarations themselves, against the runtime install's 6 MB budget.
 */
function inlineDeclarationMaps() {
  const types = `${runtime}dist/types/`;
  for (const entry of readdirSync(types, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || !file.endsWith('.d.ts') || !existsSync(`${file}.map`)) continue;
    const map = readFileSync(`${file}.map`);
    const comment = `//# sourceMappingURL=${path.basename(file)}.map`;
    const text = readFileSync(file, 'utf8');
    if (!text.includes(comment)) throw new Error(`${path.relative(types, file)} does not end with its map comment`);
    writeFileSync(file, text.replace(comment, `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${map.toString('base64')}`));
    rmSync(`${file}.map`);
  }
}
