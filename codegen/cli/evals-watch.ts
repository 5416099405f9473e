/**
 * `generate --watch` over the eval datasets: the dataset files directly in the evals folder, and
 * the folder itself. Apart from the definitions watch because the evals folder is optional: it may
 * not exist when the watch starts (a project with no evals yet), and may appear, go or be replaced
 * at any time, or move when the configuration changes, without the watch ever stopping.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { isDatasetFileName } from '../compiler/source-reader.js';
import { watchEntries, watchFiles, type Closer } from './watch.js';

/** The watch of one evals folder (which may change); `close()` stops it. */
export interface EvalsWatch {
  /**
   * Arms the watchers on `folder` as it is now: its dataset files when it exists, and its entry in
   * its parent (or, when that is missing too, the nearest folder above that exists) to see it come,
   * go or be replaced. Cheap when nothing changed. Call it before each run reads the datasets, so
   * that a change made after the read is always seen; never while another call or `close` runs.
   */
  sync(folder: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Watches eval datasets: `onChange` is called on every add, write, delete or rename of a dataset
 * file (`.yaml`, `.yml`, `.json`, as the evals reader lists them) in the folder, and when the
 * folder itself appears, goes or is replaced. Not on other files there (the evals' own TypeScript,
 * `index.ts` and the like) nor anything in its subfolders (fixtures): the generator reads neither.
 * Nothing is watched until the first {@link EvalsWatch.sync}.
 */
export function createEvalsWatch(onChange: () => void, onError: (err: Error) => void): EvalsWatch {
  /** The watcher of the folder's entry (in `dir`, as `name`), keyed by what it was armed on. */
  let entry: { key: string; closer: Closer } | undefined;
  /** The watcher of the dataset files, keyed by the folder (path and inode) it was armed on. */
  let files: { key: string; closer: Closer } | undefined;
  /**
   * Set when the folder came, went or was replaced: its files' watcher may be dead, and comparing
   * inodes cannot tell (a folder deleted and made again often gets the same inode back).
   */
  let stale = false;
  const onEntry = (): void => {
    stale = true;
    onChange();
  };

  return {
    async sync(folder) {
      const { dir, name } = await existingParent(folder);
      const entryKey = `${dir}\0${name}\0${(await folderIdentity(dir)) ?? ''}`;
      if (entry?.key !== entryKey) {
        await entry?.closer.close();
        entry = { key: entryKey, closer: await watchEntries(dir, [name], onEntry, onError) };
      }
      const identity = await folderIdentity(folder);
      const filesKey = identity === undefined ? undefined : `${folder}\0${identity}`;
      if (files && (stale || files.key !== filesKey)) {
        await files.closer.close();
        files = undefined;
      }
      stale = false;
      if (filesKey !== undefined && !files) files = { key: filesKey, closer: await watchFiles(folder, isDatasetFileName, onChange, onError) };
    },
    async close() {
      await Promise.all([entry?.closer.close(), files?.closer.close()]);
      entry = files = undefined;
    },
  };
}

/**
 * The nearest folder above `folder` that exists, and the name in it that leads to `folder`.
 * Usually its parent; higher when `evals` names a folder under one not made yet (chokidar sees
 * nothing appear under a folder that does not exist): that entry's arrival re-arms, one level down.
 */
async function existingParent(folder: string): Promise<{ dir: string; name: string }> {
  let below = folder;
  let dir = path.dirname(folder);
  while (dir !== path.dirname(dir) && (await folderIdentity(dir)) === undefined) {
    below = dir;
    dir = path.dirname(dir);
  }
  return { dir, name: path.basename(below) };
}

/** The device and inode of the folder `abs`, or undefined when there is no folder there. */
async function folderIdentity(abs: string): Promise<string | undefined> {
  const stats = await stat(abs).catch(() => undefined);
  return stats?.isDirectory() ? `${stats.dev}:${stats.ino}` : undefined;
}
