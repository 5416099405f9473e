/**
 * The generator's identity for the manifest: a hash of everything that decides what `generate`
 * writes for given definitions. The package version alone is not enough: in a checkout, or a
 * package linked from one, the code changes under the same version, and a manifest that trusted
 * the version would call output made by older code up to date.
 *
 * Hashed: the generator's TypeScript sources (shipped in the package beside dist/), its version
 * and dependency pins, its templates and meta-schemas, and the runtime code it shares
 * (`schemantic/internal`, one bundled file). The build (`npm run build`, scripts/build-cli.mjs)
 * stores the sources' part in dist/generator-id.json, so that an installed generator reads one
 * file instead of a hundred; run from sources (tests, tsx), it is computed from the same files the
 * same way. The templates and meta-schemas, read at run time, are hashed at run time too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assetRoot } from '../assets.js';
import { contentHash } from '../compiler/content-hash.js';

/** The package folder of the generator (`codegen/` in the repository). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

/** Every file under `dir` whose name passes `keep`, relative and `/`-separated, sorted. */
function filesUnder(dir: string, keep: (name: string) => boolean, skip: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const walk = (sub: string): void => {
    for (const e of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub === '' ? e.name : `${sub}/${e.name}`;
      if (e.isDirectory()) {
        if (!skip.has(e.name) && !e.name.startsWith('.')) walk(rel);
      } else if (keep(e.name)) {
        out.push(rel);
      }
    }
  };
  if (existsSync(dir)) walk('');
  return out.sort();
}

/** The hash of the generator's code: its TypeScript sources, version and dependency pins. */
export function sourcesId(root = packageRoot()): string {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string; dependencies?: Record<string, string> };
  const lines = [`version ${pkg.version ?? ''}`, `dependencies ${JSON.stringify(pkg.dependencies ?? {})}`];
  const sources = filesUnder(root, (n) => n.endsWith('.ts') && !n.endsWith('.d.ts'), new Set(['dist', 'node_modules', 'templates', 'schemas']));
  for (const rel of sources) lines.push(`src/${rel} ${contentHash(readFileSync(path.join(root, rel)))}`);
  return contentHash(lines.join('\n'));
}

/**
 * The hash of the files the generator reads as it runs: its templates and meta-schemas. Always
 * computed from the files themselves (a few small ones), never stored: they can change after a
 * build, and what they say is what a run writes.
 */
function assetsId(): string {
  const lines: string[] = [];
  for (const sub of ['templates', path.join('schemas', 'meta')]) {
    const dir = path.join(assetRoot(), sub);
    for (const rel of filesUnder(dir, () => true)) lines.push(`${sub}/${rel} ${contentHash(readFileSync(path.join(dir, rel)))}`);
  }
  return contentHash(lines.join('\n'));
}

let memo: string | undefined;

/** The generator's identity (see the module comment). */
export function generatorId(): string {
  if (memo !== undefined) return memo;
  let sources: string | undefined;
  // Compiled: the build stored the sources' hash beside the code (dist/generator-id.json).
  if (import.meta.url.endsWith('.js')) {
    try {
      sources = (JSON.parse(readFileSync(new URL('../generator-id.json', import.meta.url), 'utf8')) as { sources?: unknown }).sources as string;
    } catch {
      sources = undefined;
    }
  }
  if (typeof sources !== 'string') sources = sourcesId();
  const internal = createRequire(import.meta.url).resolve('schemantic/internal');
  return (memo = contentHash(`${sources}\n${assetsId()}\n${contentHash(readFileSync(internal))}`));
}
