/**
 * Whether a generated tree is up to date, from hashes alone: the manifest (manifest.ts) against
 * the definitions files and the files on disk. This is what `generate` and `generate --check` do
 * first; when it proves the tree current, they load nothing else (no parser, no emitter), and when
 * it does not, the files it proved unchanged are offered to the pipeline for reuse.
 *
 * It proves, or it says no: a missing, corrupt or foreign manifest, a changed definitions file, a
 * generated file whose content differs from its recorded hash (edited by hand), a generated file
 * the manifest does not list, a missing one, or the leftovers of an interrupted write all make
 * the tree "not fresh", and the full run then reports what differs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { contentHash } from '../compiler/content-hash.js';
import { evalsReader, folderReader } from '../compiler/source-reader.js';
import { BANNERS, isGenerated, TEMP_FILE } from './banner.js';
import { generatorId } from './generator-id.js';
import { MANIFEST_FILE, parseManifest, type Manifest } from './manifest.js';

/**
 * The manifest key of eval dataset `rel` of the evals folder `evalsAbs`: its path relative to the
 * definitions folder (`../evals/bank-support.yaml`), which no definitions file can have, since
 * the evals folder is never inside the definitions folder.
 */
export function evalsInputKey(schemasAbs: string, evalsAbs: string, rel: string): string {
  return path.relative(schemasAbs, path.join(evalsAbs, rel)).split(path.sep).join('/');
}

/** What the up-to-date check found. */
export interface TreeState {
  /** True when a run would change nothing: every input and output matches the manifest. */
  fresh: boolean;
  /** The manifest, when there is one made by this generator from this definitions folder. */
  manifest?: Manifest;
  /**
   * The generated files on disk (those with the banner, the manifest included), by path. Left out
   * when the folder holds leftovers of an interrupted write: the writer then reads the folder
   * itself, and removes them.
   */
  disk?: Map<string, string>;
  /** Generated files whose content is what the manifest recorded. */
  verified: Set<string>;
  /** The definitions files the check read, with their hashes (the run that follows reads them again, and need not hash them again). */
  inputs?: Map<string, { text: string; hash: string }>;
}

/**
 * Checks the tree under `outAbs` against its manifest and the definitions under `schemasAbs`.
 * `source` is the definitions folder as shown (it appears in banners, so it is part of the inputs).
 */
export async function readTreeState(schemasAbs: string, outAbs: string, source: string, evalsAbs?: string): Promise<TreeState> {
  const verified = new Set<string>();
  let manifest: Manifest | undefined;
  try {
    manifest = parseManifest(readFileSync(path.join(outAbs, MANIFEST_FILE), 'utf8'));
  } catch {
    manifest = undefined;
  }
  if (!manifest || manifest.generator !== generatorId() || manifest.source !== source) return { fresh: false, verified };

  let inputsSame = true;
  const inputs = new Map<string, { text: string; hash: string }>();
  const files: [key: string, abs: string][] = (await folderReader(schemasAbs).list()).map((rel) => [rel, path.join(schemasAbs, rel)]);
  if (evalsAbs !== undefined)
    for (const rel of await evalsReader(evalsAbs).list()) files.push([evalsInputKey(schemasAbs, evalsAbs, rel), path.join(evalsAbs, rel)]);
  if (files.length !== manifest.inputs.size) inputsSame = false;
  for (const [key, abs] of files) {
    if (!inputsSame) break;
    // As text, as the pipeline reads it (a file that is not valid UTF-8 hashes the same both ways).
    const text = readFileSync(abs, 'utf8');
    const hash = contentHash(text);
    inputs.set(key, { text, hash });
    inputsSame = manifest.inputs.get(key) === hash;
  }

  const bytes = new Map<string, Buffer>();
  let leftovers = false;
  let unlisted = false;
  const walk = (sub: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(outAbs, sub), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const rel = sub === '' ? e.name : `${sub}/${e.name}`;
      if (e.isDirectory()) {
        walk(rel);
      } else if (e.isFile() && TEMP_FILE.test(e.name)) {
        leftovers = true;
      } else if (e.isFile() && Object.hasOwn(BANNERS, path.extname(e.name))) {
        const data = readFileSync(path.join(outAbs, rel));
        const recorded = manifest!.outputs.get(rel);
        if (recorded && recorded.hash === contentHash(data)) {
          // Its hash was recorded from a text that starts with the banner.
          verified.add(rel);
          bytes.set(rel, data);
        } else if (rel === MANIFEST_FILE || isGenerated(rel, data.toString('utf8', 0, 200))) {
          bytes.set(rel, data);
          if (rel !== MANIFEST_FILE) unlisted ||= !recorded;
        }
      }
    }
  };
  walk('');
  const fresh = inputsSame && !leftovers && !unlisted && verified.size === manifest.outputs.size;
  if (fresh) return { fresh, manifest, verified, inputs };
  const disk = leftovers ? undefined : new Map([...bytes].map(([rel, data]) => [rel, data.toString('utf8')]));
  return { fresh, manifest, verified, inputs, ...(disk ? { disk } : {}) };
}
