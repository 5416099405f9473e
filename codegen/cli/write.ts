/**
 * Stage 10, write: the only stage that writes. Compares the generated tree with what is on disk,
 * rewrites only changed files (each atomically: a temporary file renamed over the old one, so a
 * crash leaves either the old or the new file), and removes generated files that are no longer
 * produced. Files under the output folder without our banner are never touched.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { wellFormed } from '../targets/typescript/format.js';
import { BANNERS, isGenerated, TEMP_FILE } from './banner.js';

export { isGenerated } from './banner.js';

/** What a write did (or, in check mode, would do). Paths are relative to the output folder. */
export interface WritePlan {
  /** Files that are new. */
  missing: string[];
  /** Files whose content changes. */
  changed: string[];
  /** Files already up to date. */
  unchanged: string[];
  /** Generated files no longer produced. */
  extra: string[];
}

/** The current content of generated files, read from disk or remembered from the last run. */
export type DiskState = Map<string, string>;

/**
 * Reads the generated files (those with our banner) under `outDir`. With `orphans`, also lists
 * there the temporary files a write that was killed left behind (see {@link isOrphanTemp}).
 */
export async function readGenerated(outDir: string, orphans?: string[]): Promise<DiskState> {
  const state: DiskState = new Map();
  async function walk(sub: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(path.join(outDir, sub), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    await Promise.all(
      entries.map(async (e) => {
        const rel = sub === '' ? e.name : `${sub}/${e.name}`;
        if (e.isDirectory()) return walk(rel);
        if (orphans && e.isFile() && TEMP_FILE.test(e.name)) {
          if (await isOrphanTemp(path.join(outDir, rel))) orphans.push(rel);
          return;
        }
        if (!e.isFile() || !Object.hasOwn(BANNERS, path.extname(e.name))) return;
        const text = await readFile(path.join(outDir, rel), 'utf8');
        if (isGenerated(rel, text)) state.set(rel, text);
      }),
    );
  }
  await walk('');
  orphans?.sort();
  return state;
}

/**
 * True when `file`, named like one of {@link writeAtomic}'s temporary files, is one a write left
 * behind: the file it was to become is a kind we generate, it holds nothing or starts with our
 * banner (a write killed early may have written nothing yet), and the process that wrote it is
 * gone (a temporary file of a run still going on is that run's to rename).
 */
async function isOrphanTemp(file: string): Promise<boolean> {
  const match = TEMP_FILE.exec(path.basename(file));
  if (!match || !Object.hasOwn(BANNERS, path.extname(match[1]!))) return false;
  const pid = Number(match[2]);
  if (pid !== process.pid && isRunning(pid)) return false;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return false;
  }
  return text === '' || isGenerated(match[1]!, text);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes orphan temporary files (paths relative to `outDir`), and their folders once empty. */
export async function removeOrphans(outDir: string, orphans: readonly string[]): Promise<void> {
  for (const rel of orphans) rmSync(path.join(outDir, rel), { force: true });
  await removeEmptyDirs(outDir, orphans);
}

/** Compares the wanted tree with the current one. */
export function planWrite(wanted: ReadonlyMap<string, string>, current: ReadonlyMap<string, string>): WritePlan {
  const plan: WritePlan = { missing: [], changed: [], unchanged: [], extra: [] };
  for (const [rel, text] of wanted) {
    const old = current.get(rel);
    if (old === undefined) plan.missing.push(rel);
    else if (old !== text && old !== wellFormed(text)) plan.changed.push(rel);
    else plan.unchanged.push(rel);
  }
  for (const rel of current.keys()) if (!wanted.has(rel)) plan.extra.push(rel);
  for (const list of Object.values(plan)) (list as string[]).sort();
  return plan;
}

/**
 * Files the plan would create that already exist without our banner: someone else's files, which
 * generation must not overwrite. Only new files can conflict (the others carry the banner).
 */
export function findConflicts(outDir: string, plan: WritePlan): string[] {
  return plan.missing.filter((rel) => existsSync(path.join(outDir, rel)));
}

/**
 * Applies a plan: writes missing and changed files atomically, removes extra ones. Synchronous
 * file calls on purpose: for thousands of small files they are faster than queueing them on
 * libuv's thread pool, and nothing else runs meanwhile.
 */
export async function applyWrite(outDir: string, wanted: ReadonlyMap<string, string>, plan: WritePlan): Promise<void> {
  const made = new Set<string>();
  for (const rel of [...plan.missing, ...plan.changed]) {
    const file = path.join(outDir, rel);
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeAtomic(file, wanted.get(rel)!);
  }
  for (const rel of plan.extra) rmSync(path.join(outDir, rel), { force: true });
  await removeEmptyDirs(outDir, plan.extra);
}

let tempCounter = 0;

/** Writes a file through a temporary sibling and a rename, so readers see the old or the new file. */
export function writeAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${++tempCounter}.tmp`;
  try {
    writeFileSync(temp, text, 'utf8');
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

async function removeEmptyDirs(outDir: string, removed: readonly string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const rel of removed) {
    for (let d = path.dirname(rel); d !== '.' && d !== ''; d = path.dirname(d)) dirs.add(d);
  }
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    try {
      await rmdir(path.join(outDir, d));
    } catch {
      // not empty, or already gone: either way nothing to do
    }
  }
}

/** A unified diff of one file, old to new, labelled with its display path. */
export function unifiedDiff(displayPath: string, oldText: string, newText: string): string {
  return createTwoFilesPatch(`a/${displayPath}`, `b/${displayPath}`, oldText, newText, undefined, undefined, { context: 3 });
}
