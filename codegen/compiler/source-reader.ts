/**
 * Where definitions files come from: a folder on disk, memory (tests, other revisions) or git.
 * Kept apart from load.ts (which parses) so that listing and hashing the definitions, as the
 * up-to-date check does, loads no parser.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Reads the files of a definitions folder. Injectable so callers can read from git or memory. */
export interface SourceReader {
  /** Every definitions file, relative to the folder, `/`-separated. */
  list(): Promise<string[]>;
  /** The text of one file. */
  read(rel: string): Promise<string>;
}

const DEFINITION_FILE = /\.(ya?ml|json)$/i;

/** True when a file name or path is one of a definitions file (`.yaml`, `.yml` or `.json`). */
export function isDefinitionPath(rel: string): boolean {
  return DEFINITION_FILE.test(rel);
}

/**
 * True when a file name (no folder) is one of an eval dataset: a definitions file name that is not
 * a dot file. What {@link evalsReader} lists, and what `generate --watch` watches in the folder.
 */
export function isDatasetFileName(name: string): boolean {
  return !name.startsWith('.') && isDefinitionPath(name);
}

/** A reader over a folder on disk. Skips `meta/` (the format's own schemas) and dot folders. */
export function folderReader(dir: string): SourceReader {
  return {
    async list() {
      const out: string[] = [];
      async function walk(sub: string): Promise<void> {
        const entries = await readdir(path.join(dir, sub), { withFileTypes: true });
        for (const e of entries) {
          if (e.name.startsWith('.') || e.name === 'node_modules') continue;
          const rel = sub === '' ? e.name : `${sub}/${e.name}`;
          if (e.isDirectory()) {
            if (rel !== 'meta') await walk(rel);
          } else if (e.isFile() && isDefinitionPath(e.name)) {
            out.push(rel);
          }
        }
      }
      await walk('');
      return out.sort();
    },
    read(rel) {
      return readFile(path.join(dir, rel), 'utf8');
    },
  };
}

/**
 * A reader over a folder of eval datasets: its `.yaml`, `.yml` and `.json` files, not those of
 * its subfolders (which hold whatever the evals need: fixtures, the entry module's helpers). A
 * missing folder holds no datasets.
 */
export function evalsReader(dir: string): SourceReader {
  return {
    async list() {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
        throw err;
      }
      return entries
        .filter((e) => e.isFile() && isDatasetFileName(e.name))
        .map((e) => e.name)
        .sort();
    },
    read(rel) {
      return readFile(path.join(dir, rel), 'utf8');
    },
  };
}

/** A reader over files held in memory (tests, the watch cache, other revisions). */
export function memoryReader(files: Readonly<Record<string, string>>): SourceReader {
  return {
    list: () =>
      Promise.resolve(
        Object.keys(files)
          .filter((f) => isDefinitionPath(f))
          .sort(),
      ),
    read: (rel) => {
      const text = files[rel];
      return text === undefined ? Promise.reject(new Error(`no file ${rel}`)) : Promise.resolve(text);
    },
  };
}
