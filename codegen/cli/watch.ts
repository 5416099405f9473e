/**
 * File watching for `generate --watch`, on chokidar: a folder and everything under it (the
 * definitions), chosen files directly in one folder (the eval datasets), and chosen entries of one
 * folder (the configuration files; the definitions and evals folders themselves, seen from their
 * parents, so that they can be found again when they are renamed away, replaced or deleted).
 *
 * Chokidar follows a file saved by rename (a new inode) and sees files that do not exist yet, but a
 * watched folder that goes away leaves its watcher dead: the caller arms a new one on the folder
 * when the parent reports it back (see `watch` in commands/generate.ts). Errors are handed to the
 * caller, never thrown.
 */
import path from 'node:path';
import { watch as chokidar, type FSWatcher } from 'chokidar';

/** A running watcher; `close()` stops it. */
export interface Closer {
  close(): Promise<void>;
}

/** What a watcher saw: the event (`add`, `change`, `unlink`, `addDir`, `unlinkDir`) and the absolute path. */
export type OnChange = (event: string, abs: string) => void;

/**
 * Watches `folder` and everything under it except dot entries and node_modules (which the
 * definitions reader skips too). Resolves once the initial scan is done, so that every change made
 * after it is reported.
 */
export function watchTree(folder: string, onChange: OnChange, onError: (err: Error) => void): Promise<Closer> {
  const ignored = (abs: string): boolean => {
    const rel = path.relative(folder, abs);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    return rel.split(path.sep).some((segment) => segment.startsWith('.') || segment === 'node_modules');
  };
  return started(chokidar(folder, { ignoreInitial: true, ignored }), onChange, onError);
}

/**
 * Watches the entries `names` directly in `dir`, whether or not they exist yet: their creation,
 * every write (in place or by rename), deletion and renaming away. Nothing else in `dir`.
 */
export function watchEntries(dir: string, names: readonly string[], onChange: OnChange, onError: (err: Error) => void): Promise<Closer> {
  const wanted = new Set(names.map((name) => path.join(dir, name)));
  const ignored = (abs: string): boolean => abs !== dir && !wanted.has(abs);
  return started(chokidar(dir, { ignoreInitial: true, depth: 0, ignored }), (event, abs) => wanted.has(abs) && onChange(event, abs), onError);
}

/**
 * Watches the files directly in `dir` whose name `accept`s (nothing in its subfolders, which are
 * not even listed): their creation, every write (in place or by rename), deletion and renaming.
 * `dir` must exist; when it goes, the watcher is dead (watch its entry in its parent to know).
 */
export function watchFiles(dir: string, accept: (name: string) => boolean, onChange: OnChange, onError: (err: Error) => void): Promise<Closer> {
  const wanted = (abs: string): boolean => path.dirname(abs) === dir && accept(path.basename(abs));
  const ignored = (abs: string): boolean => abs !== dir && !wanted(abs);
  // A subfolder whose name passes `accept` (`fixtures.json/`) is seen, but not its content: depth 0.
  const files = new Set(['add', 'change', 'unlink']);
  return started(chokidar(dir, { ignoreInitial: true, depth: 0, ignored }), (event, abs) => files.has(event) && wanted(abs) && onChange(event, abs), onError);
}

function started(watcher: FSWatcher, onChange: OnChange, onError: (err: Error) => void): Promise<Closer> {
  watcher.on('all', (event, abs) => onChange(event, abs));
  watcher.on('error', (err) => onError(err instanceof Error ? err : new Error(String(err))));
  return new Promise((resolve) => watcher.once('ready', () => resolve({ close: () => watcher.close() })));
}
