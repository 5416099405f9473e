/**
 * Shared by the packaging tests (consumer.test.ts, publish-lint.test.ts): pack both packages as
 * `npm pack` publishes them, install tarballs into fresh projects without reaching any registry,
 * and measure what got installed.
 *
 * Packing runs in a staged copy of the workspace (the packages' sources, the build scripts, the
 * templates and meta-schemas, and a node_modules of links to the repository's), not in the
 * repository itself: `prepack` deletes and rebuilds runtime/dist and codegen/dist and copies the
 * generator's assets into codegen/, and other test files running at the same time read those.
 *
 * Installing: npm 11 resolves every new dependency with full registry metadata, which `npm ci`
 * never puts in the cache (it caches tarballs, and only the abbreviated metadata), so
 * `npm install --offline <tarball>` fails there with ENOTCACHED. Instead the tests run a registry
 * on 127.0.0.1 that knows exactly the packages in the repository's package-lock.json (their
 * manifests from the lockfile, their tarballs from the npm cache by integrity) plus the two packed
 * tarballs, so npm resolves the published manifests for real, and nothing leaves the machine.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** The repository's TypeScript compiler (a consumer project uses it by path instead of installing one). */
export const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

/** Environment for a child npm: none of the `npm_config_*` / `npm_package_*` an enclosing `npm test` sets (local prefix, workspace), so npm acts on the cwd only. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_(config|package|lifecycle)_/i.test(key)) env[key] = value;
  return { ...env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', NO_COLOR: '1', ...extra };
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the event loop (the in-process registry must keep answering). */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: options.env ?? cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ status, stdout, stderr: stderr + (status === null && error !== null ? `\n${error.message}` : '') });
    });
  });
}

/** Fails with the command's output when it did not exit 0. */
export function ok(result: RunResult, what: string): RunResult {
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

export interface Packed {
  /** The `schemantic` tarball (runtime). */
  runtime: string;
  /** The `@schemantic/cli` tarball (generator). */
  cli: string;
}

/**
 * `npm pack` of both workspaces, lifecycle scripts included (prepack builds; the CLI's also copies
 * its assets in, postpack removes them), in a staged copy of the workspace under `work`.
 */
export async function packPackages(work: string): Promise<Packed> {
  const stage = path.join(work, 'stage');
  const out = path.join(work, 'tarballs');
  mkdirSync(out, { recursive: true });
  const skip = (rel: string) => /(^|\/)(node_modules|dist)$/.test(rel) || /^codegen\/(templates|schemas)$/.test(rel);
  for (const item of ['package.json', 'tsconfig.json', '.gitignore', 'scripts', 'templates', 'schemas/meta', 'runtime', 'codegen']) {
    if (!existsSync(path.join(root, item))) continue;
    cpSync(path.join(root, item), path.join(stage, item), { recursive: true, filter: (src) => !skip(path.relative(root, src).split(path.sep).join('/')) });
  }
  // The build tools (esbuild, typescript, @types/node) come from the repository's node_modules;
  // the workspace links point at the staged packages, so the generator builds against the staged runtime.
  const modules = path.join(root, 'node_modules');
  const staged = path.join(stage, 'node_modules');
  const workspaceLinks: Record<string, string> = { schemantic: path.join(stage, 'runtime'), '@schemantic/cli': path.join(stage, 'codegen') };
  for (const entry of readdirSync(modules)) {
    // Not .bin, .package-lock.json or tool caches: packing must not write through to the repository's.
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@') && lstatSync(path.join(modules, entry)).isDirectory()) {
      for (const inner of readdirSync(path.join(modules, entry))) link(`${entry}/${inner}`);
    } else {
      link(entry);
    }
  }
  function link(name: string): void {
    const target = workspaceLinks[name] ?? path.join(modules, name);
    mkdirSync(path.dirname(path.join(staged, name)), { recursive: true });
    symlinkSync(target, path.join(staged, name));
  }
  ok(await run('npm', ['pack', '--pack-destination', out, '--workspace', 'runtime', '--workspace', 'codegen'], { cwd: stage }), 'npm pack');
  const tarballs = readdirSync(out);
  const find = (name: string) => {
    const file = tarballs.find((f) => f === name);
    if (file === undefined) throw new Error(`npm pack did not write ${name} (wrote ${tarballs.join(', ')})`);
    return path.join(out, file);
  };
  return { runtime: find('schemantic-0.1.0.tgz'), cli: find('schemantic-cli-0.1.0.tgz') };
}

/** One file out of a tarball (`package/...`), through the system `tar`. */
export function readFromTarball(tarball: string, file: string): string {
  const result = spawnSync('tar', ['-xOzf', tarball, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`tar: ${file} not in ${tarball}: ${result.stderr}`);
  return result.stdout;
}

/** The npm cache folder (`npm ci` leaves every locked tarball there). */
function npmCache(): string {
  const fromEnv = process.env['npm_config_cache'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const result = spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8', env: cleanEnv() });
  if (result.status !== 0) throw new Error(`npm config get cache: ${result.stderr}`);
  return result.stdout.trim();
}

interface LockEntry {
  name?: string;
  version?: string;
  integrity?: string;
  link?: boolean;
  [key: string]: unknown;
}

interface Served {
  manifest: Record<string, unknown>;
  /** Where the tarball bytes are: a file, or the npm cache entry for this integrity. */
  file: string;
}

export interface Registry {
  url: string;
  /** Package names npm asked for that the registry does not know (optional peers, typically). */
  unknown: Set<string>;
  close(): Promise<void>;
}

/**
 * A read-only npm registry on 127.0.0.1 serving the packages of the repository's lockfile (from
 * the npm cache) and the given packed tarballs. A package not in either is a 404, as on a registry
 * that does not have it.
 */
export async function startRegistry(packed: string[]): Promise<Registry> {
  const cache = path.join(npmCache(), '_cacache', 'content-v2');
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const packages = new Map<string, Map<string, Served>>();
  const add = (name: string, version: string, manifest: Record<string, unknown>, file: string) => {
    if (!packages.has(name)) packages.set(name, new Map());
    packages.get(name)!.set(version, { manifest, file });
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    const at = key.lastIndexOf('node_modules/');
    if (at < 0 || entry.link === true || entry.version === undefined || entry.integrity === undefined) continue;
    const name = entry.name ?? key.slice(at + 'node_modules/'.length);
    const [algorithm, digest] = entry.integrity.split(/\s+/)[0]!.split('-') as [string, string];
    const hex = Buffer.from(digest, 'base64').toString('hex');
    const { dev: _dev, optional: _optional, devOptional: _devOptional, peer: _peer, name: _name, link: _link, resolved: _resolved, ...fields } = entry;
    add(name, entry.version, { ...fields, name, version: entry.version }, path.join(cache, algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4)));
  }
  for (const file of packed) {
    const manifest = JSON.parse(readFromTarball(file, 'package/package.json')) as Record<string, unknown> & { name: string; version: string };
    const integrity = `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
    add(manifest.name, manifest.version, { ...manifest, integrity }, file);
  }

  const tarballs = new Map<string, string>();
  const unknown = new Set<string>();
  const server = createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const tarball = tarballs.get(url);
    if (tarball !== undefined) {
      if (!existsSync(tarball)) {
        res.writeHead(404).end(`not in the npm cache (run npm ci): ${url}`);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(tarball));
      return;
    }
    const name = url.slice(1);
    const versions = packages.get(name);
    if (versions === undefined) {
      unknown.add(name);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
      return;
    }
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const packument: { name: string; 'dist-tags': Record<string, string>; versions: Record<string, unknown> } = { name, 'dist-tags': {}, versions: {} };
    for (const [version, served] of versions) {
      const tarballPath = `/${name}/-/${name.split('/').pop()}-${version}.tgz`;
      tarballs.set(tarballPath, served.file);
      const { integrity, ...manifest } = served.manifest;
      packument.versions[version] = { ...manifest, dist: { tarball: `${base}${tarballPath}`, integrity } };
      // The highest release is `latest` (prereleases only when there is nothing else).
      const latest = packument['dist-tags']['latest'];
      if (latest === undefined || (compareVersions(version, latest) > 0 && !version.includes('-'))) packument['dist-tags']['latest'] = version;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    unknown,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split('-')[0]!.split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** `npm install` of the given specs into `project`, against the local registry, with a fresh cache (the user's stays untouched). */
export async function npmInstall(project: string, registry: Registry, cache: string, specs: string[]): Promise<RunResult> {
  return ok(
    await run('npm', ['install', '--registry', registry.url, '--cache', cache, '--no-audit', '--no-fund', ...specs], { cwd: project }),
    `npm install ${specs.map((s) => path.basename(s)).join(' ')}`,
  );
}

export interface FolderSize {
  /** Sum of the files' sizes. */
  bytes: number;
  /** Space taken on disk (allocated blocks, as `du` counts). */
  diskBytes: number;
  files: number;
}

/** The size of a folder, files and links counted once, as `du` would. */
export function folderSize(dir: string): FolderSize {
  const total: FolderSize = { bytes: 0, diskBytes: 0, files: 0 };
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      const stat = lstatSync(full);
      total.diskBytes += stat.blocks * 512;
      if (entry.isDirectory()) walk(full);
      else {
        total.bytes += stat.size;
        total.files += 1;
      }
    }
  };
  walk(dir);
  return total;
}

/** Every package installed under a node_modules folder (nested ones too), as `name@version`. */
export function installedPackages(nodeModules: string): string[] {
  const found: string[] = [];
  const visit = (modules: string) => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      if (entry.startsWith('@')) {
        for (const inner of readdirSync(path.join(modules, entry))) visitPackage(path.join(modules, entry, inner));
      } else {
        visitPackage(path.join(modules, entry));
      }
    }
  };
  const visitPackage = (dir: string) => {
    const manifest = path.join(dir, 'package.json');
    if (!existsSync(manifest)) return;
    const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; version: string };
    found.push(`${name}@${version}`);
    visit(path.join(dir, 'node_modules'));
  };
  visit(nodeModules);
  return found.sort();
}

export const MB = 1024 * 1024;
