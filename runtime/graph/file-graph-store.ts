/**
 * `schemantic/graph/file`: graph snapshots as JSON files, one per run (`<dir>/<run id>.json`),
 * each written atomically (a temp file beside it, renamed over it), so that a process killed
 * mid-write leaves the run's previous snapshot, never half of one. Node only: the file system is
 * reached through `process.getBuiltinModule` (Node 20.16 and later), not an import, so the rest
 * of the runtime keeps bundling for any platform.
 */
import { UserError } from '../contract/errors.js';
import type { GraphPersistence } from './graph-persistence.js';
import { readGraphSnapshot, type GraphSnapshot } from './graph-snapshot.js';

/** The part of `node:fs/promises` the store uses. */
interface FileSystem {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: string, encoding: 'utf8'): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
}

interface Host {
  process?: { getBuiltinModule?: (id: string) => FileSystem | undefined };
}

/** `node:fs/promises`, or a UserError that says this store needs Node. */
function fileSystem(): FileSystem {
  const fs = (globalThis as Host).process?.getBuiltinModule?.('node:fs/promises');
  if (!fs) throw new UserError('FileGraphStore needs Node.js 20.16 or later (the file system); elsewhere, keep graph snapshots in another GraphPersistence');
  return fs;
}

/** A {@link GraphPersistence} in a folder: one JSON file per run. */
export class FileGraphStore implements GraphPersistence {
  private readonly fs: FileSystem;
  private made: Promise<unknown> | undefined;

  constructor(
    /** The folder (made on the first save when missing). */
    readonly dir: string,
  ) {
    this.fs = fileSystem();
  }

  /**
   * The file of a run. The id is percent-encoded (`encodeURIComponent`), so any id names one file
   * inside the folder: no `/`, and never `.` or `..` (the name ends in `.json`). An id that is not
   * well-formed Unicode (a lone surrogate) has no encoding, and is refused with a UserError.
   */
  fileOf(runId: string): string {
    if (/\p{Cs}/u.test(runId))
      throw new UserError(`FileGraphStore: run id ${JSON.stringify(runId)} is not well-formed Unicode (a lone surrogate), so it names no file`);
    return `${this.dir.replace(/[\\/]+$/, '')}/${encodeURIComponent(runId)}.json`;
  }

  async save(runId: string, snapshot: GraphSnapshot): Promise<void> {
    this.made ??= this.fs.mkdir(this.dir, { recursive: true }).catch((err: unknown) => {
      this.made = undefined;
      throw err;
    });
    await this.made;
    const file = this.fileOf(runId);
    // A name of its own per write: two writers never share a temp file, and the rename is atomic.
    const temp = `${file}.${globalThis.crypto.randomUUID()}.tmp`;
    try {
      await this.fs.writeFile(temp, `${JSON.stringify(snapshot)}\n`, 'utf8');
      await this.fs.rename(temp, file);
    } catch (err) {
      await this.fs.rm(temp, { force: true }).catch(() => {});
      throw err;
    }
  }

  async load(runId: string): Promise<GraphSnapshot | undefined> {
    const file = this.fileOf(runId);
    let text: string;
    try {
      text = await this.fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as { code?: unknown } | null)?.code === 'ENOENT') return undefined;
      throw err;
    }
    return readGraphSnapshot(text, `the snapshot file ${file}`);
  }

  /** Removes a run's file (nothing happens when there is none). */
  async delete(runId: string): Promise<void> {
    await this.fs.rm(this.fileOf(runId), { force: true });
  }
}
