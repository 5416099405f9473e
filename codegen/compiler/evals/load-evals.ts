/**
 * Loading eval datasets: the `.yaml`, `.yml` and `.json` files of the evals folder (`evals/`, not
 * under the definitions), parsed as definitions files are (YAML 1.2, every position kept), each
 * with the hash of its text that its generated module records.
 */
import { parseSource, type LoadedFile } from '../load.js';
import { unreadableFile, type Problem } from '../problems.js';
import type { SourceReader } from '../source-reader.js';
import { datasetSourceHash } from './dataset-hash.js';

/** One dataset file, parsed. `rel` is its path relative to the evals folder, `display` to the working directory. */
export interface LoadedEvalFile extends LoadedFile {
  /** The dataset's name: the file's stem (`bank-support` for `bank-support.yaml`). */
  name: string;
  /** {@link datasetSourceHash} of its text. */
  sourceHash: string;
}

/** Where eval datasets come from, and how their paths are shown (the folder relative to the working directory). */
export interface EvalsSource {
  reader: SourceReader;
  displayPrefix: string;
}

/** The stem of a dataset file (`bank-support.yaml` -> `bank-support`). */
export function datasetName(rel: string): string {
  return rel.replace(/^.*\//, '').replace(/\.(ya?ml|json)$/i, '');
}

/** Reads and parses every dataset file, sorted by path. */
export async function loadEvals(source: EvalsSource): Promise<{ files: LoadedEvalFile[]; problems: Problem[] }> {
  const files: LoadedEvalFile[] = [];
  const problems: Problem[] = [];
  const prefix = source.displayPrefix === '' || source.displayPrefix === '.' ? '' : `${source.displayPrefix.replace(/\/+$/, '')}/`;
  const rels = [...(await source.reader.list())].sort();
  const texts = await Promise.all(
    rels.map((rel) =>
      source.reader.read(rel).catch((err: unknown) => {
        problems.push(unreadableFile(prefix + rel, err));
        return undefined;
      }),
    ),
  );
  rels.forEach((rel, i) => {
    const text = texts[i];
    if (text === undefined) return;
    const parsed = parseSource(rel, prefix + rel, text);
    files.push({ ...parsed.file, name: datasetName(rel), sourceHash: datasetSourceHash(text) });
    problems.push(...parsed.problems);
  });
  return { files, problems };
}
