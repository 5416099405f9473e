/**
 * The one list of the runtime's entry points (runtime/entry-points.json), and what is derived from
 * it: the runtime's package.json `exports` and the root tsconfig's `paths`. vitest.config.ts and
 * scripts/build-runtime.mjs read the list themselves.
 *
 *   node scripts/entry-points.mjs          rewrite package.json exports and tsconfig paths
 *   node scripts/entry-points.mjs --check  exit 1 if either is out of date (a test runs this)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The entries: `{ specifier, source, bundle }`, source relative to runtime/. */
export function entryPoints() {
  return JSON.parse(readFileSync(`${root}runtime/entry-points.json`, 'utf8')).entries;
}

/** The `exports` map of runtime/package.json: types first, then the bundled module. */
export function exportsMap(entries = entryPoints()) {
  const map = {};
  for (const e of entries) {
    const key = e.specifier === 'schemantic' ? '.' : `./${e.specifier.slice('schemantic/'.length)}`;
    map[key] = { types: `./dist/types/${e.source.replace(/\.ts$/, '.d.ts')}`, default: `./dist/${e.bundle}.js` };
  }
  map['./package.json'] = './package.json';
  return map;
}

/**
 * The `paths` of the root tsconfig.json: each runtime specifier to its source, and the generator's
 * programmatic entry point (`@schemantic/cli`) to its own.
 */
export function tsconfigPaths(entries = entryPoints()) {
  return { ...Object.fromEntries(entries.map((e) => [e.specifier, [`./runtime/${e.source}`]])), '@schemantic/cli': ['./codegen/index.ts'] };
}

function update(file, edit) {
  const text = readFileSync(file, 'utf8');
  const json = JSON.parse(text);
  edit(json);
  const next = `${JSON.stringify(json, null, 2)}\n`;
  return { file, stale: next !== text, write: () => writeFileSync(file, next) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const changes = [
    update(`${root}runtime/package.json`, (pkg) => (pkg.exports = exportsMap())),
    update(`${root}tsconfig.json`, (cfg) => (cfg.compilerOptions.paths = tsconfigPaths())),
  ];
  const stale = changes.filter((c) => c.stale);
  if (process.argv.includes('--check')) {
    for (const c of stale) console.error(`${c.file} is out of date with runtime/entry-points.json: run node scripts/entry-points.mjs`);
    process.exitCode = stale.length > 0 ? 1 : 0;
  } else {
    for (const c of stale) c.write();
  }
}
