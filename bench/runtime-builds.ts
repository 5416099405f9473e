/**
 * The runtime's bundles, as a benchmark loads them to compare builds: the current one
 * (runtime/dist, as `npm run build -w runtime` leaves it) and the one of an older commit, built on
 * demand. Bundles on both sides, so that neither pays for loose modules or tsx the other does not.
 *
 * An older commit's build: its runtime/ and build script taken with `git archive` (no worktree to
 * register or clean up), the repository's node_modules linked in, `node scripts/build-runtime.mjs`
 * run there. Built once per commit under the system's temporary folder; later runs only import it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './stats.js';

/** The bundles of one build: the main entry point and `schemantic/testing`. */
export interface RuntimeBuild {
  /** The commit built, or `working tree`. */
  commit: string;
  index: typeof import('../runtime/index.js');
  testing: typeof import('../runtime/testing/index.js');
}

/**
 * The current build, with `schemantic/telemetry` loaded (so `instrument` works). Exits with how
 * to build when there is none; warns when a source is newer than the build.
 */
export async function currentRuntime(): Promise<RuntimeBuild> {
  const dist = path.join(ROOT, 'runtime', 'dist');
  if (!existsSync(path.join(dist, 'telemetry.js'))) {
    console.error('runtime/dist has no telemetry.js: build the runtime first (npm run build -w runtime), then run this again.');
    process.exit(1);
  }
  const built = statSync(path.join(dist, 'index.js')).mtimeMs;
  const newer = readdirSync(path.join(ROOT, 'runtime'), { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !/^(dist|node_modules)[\\/]/.test(f) && statSync(path.join(ROOT, 'runtime', f)).mtimeMs > built,
  );
  if (newer.length > 0)
    console.warn(`warning: ${newer.length} runtime source file(s) changed after runtime/dist was built (runtime/${newer[0]}...): npm run build -w runtime`);
  await import(pathToFileURL(path.join(dist, 'telemetry.js')).href);
  return load('working tree', dist);
}

/** The build of the runtime at `ref` (made on first use). */
export async function runtimeAt(ref: string): Promise<RuntimeBuild> {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = path.join(os.tmpdir(), `schemantic-bench-runtime-${commit}`);
  const dist = path.join(dir, 'runtime', 'dist');
  if (!existsSync(path.join(dist, 'testing.js'))) build(commit, dir);
  return load(commit, dist);
}

async function load(commit: string, dist: string): Promise<RuntimeBuild> {
  return {
    commit,
    index: await import(pathToFileURL(path.join(dist, 'index.js')).href),
    testing: await import(pathToFileURL(path.join(dist, 'testing.js')).href),
  };
}

/** Builds into a fresh folder renamed into place last, so that an interrupted build is never reused. */
function build(commit: string, dir: string): void {
  console.log(`building the runtime at ${commit.slice(0, 7)} into ${dir} (once per commit)`);
  const work = `${dir}.${process.pid}.tmp`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const files = execFileSync('git', ['archive', commit, 'runtime', 'scripts', 'package.json', 'tsconfig.json'], { cwd: ROOT, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', work], { input: files });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
  execFileSync(process.execPath, ['scripts/build-runtime.mjs'], { cwd: work, stdio: 'inherit' });
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
}
