/**
 * The tree `generate` writes (and `--check` compares): the pipeline's files plus the manifest
 * that describes them. Reuses what the up-to-date check proved unchanged, so that after an edit
 * only the files made from the edited entries are emitted again.
 */
import { contentHash } from '../../compiler/content-hash.js';
import { hasErrors } from '../../compiler/problems.js';
import { evalsReader, folderReader, type SourceReader } from '../../compiler/source-reader.js';
import { wellFormed } from '../../targets/typescript/format.js';
import { runPipeline, type PipelineOptions, type PipelineResult, type PreviousOutput } from '../../targets/typescript/pipeline.js';
import { generatorId } from '../generator-id.js';
import { MANIFEST_FILE, renderManifest } from '../manifest.js';
import { evalsInputKey, type TreeState } from '../up-to-date.js';
import type { GeneratePaths } from './generate-settings.js';

/** A generated tree, ready to write or compare. */
export interface GeneratedTree {
  result: PipelineResult;
  /** The pipeline's files and the manifest; empty when the definitions have errors. */
  files: Map<string, string>;
}

/**
 * Hashes a run keeps so that the next one (in watch mode) hashes only what changed: definitions
 * files and generated files, by path, with the text each hash is of.
 */
export interface HashCache {
  inputs: Map<string, { text: string; hash: string }>;
  outputs: Map<string, { text: string; hash: string }>;
}

/** A fresh, empty hash cache. */
export function createHashCache(): HashCache {
  return { inputs: new Map(), outputs: new Map() };
}

/** Runs the pipeline on the definitions and datasets of `p`. */
export async function generateTree(p: GeneratePaths, state: TreeState | undefined): Promise<GeneratedTree> {
  const inputs = new Map<string, string>();
  const previous = state ? previousOutput(state) : undefined;
  const source = p.schemasShown;
  const result = await runPipeline({
    ...pipelineSources(p, inputs, state?.inputs),
    // A run that reuses files emits few: a worker thread would cost more to start than it saves.
    parallel: previous === undefined,
    ...(previous ? { previous } : {}),
  });
  return { result, files: withManifest(result, inputs, source) };
}

/**
 * The pipeline's files and the manifest that describes them (none when the definitions have
 * errors). `inputs` holds the hash of each definitions file the run read.
 */
export function withManifest(result: PipelineResult, inputs: ReadonlyMap<string, string>, source: string, cache?: HashCache): Map<string, string> {
  if (hasErrors(result.problems) || !result.outputs) return new Map();
  const files = new Map(result.files);
  const outputs = new Map<string, { fingerprint: string; hash: string }>();
  for (const [rel, text] of result.files) outputs.set(rel, { fingerprint: result.outputs.fingerprints.get(rel)!, hash: hashOf(rel, text, cache?.outputs) });
  const ir = result.ir;
  files.set(
    MANIFEST_FILE,
    renderManifest({
      generator: generatorId(),
      source,
      summary: {
        agents: ir?.agents.length ?? 0,
        tools: ir?.tools.length ?? 0,
        types: ir?.types.length ?? 0,
        ...(ir && ir.mcp.length > 0 ? { mcp: ir.mcp.length } : {}),
        ...(ir && ir.graphs.length > 0 ? { graphs: ir.graphs.length } : {}),
        ...(ir && ir.evals.length > 0 ? { datasets: ir.evals.length } : {}),
        files: result.fileCount,
      },
      inputs,
      outputs,
      warnings: result.problems,
      pending: new Map([...result.outputs.warnings].filter(([rel, list]) => list.length > 0 && result.files.has(rel))),
    }),
  );
  return files;
}

/** The hash of a generated file as it will be on disk (written as UTF-8), remembered in `cache`. */
function hashOf(rel: string, text: string, cache: HashCache['outputs'] | undefined): string {
  const known = cache?.get(rel);
  if (known && known.text === text) return known.hash;
  const hash = contentHash(wellFormed(text));
  cache?.set(rel, { text, hash });
  return hash;
}

/**
 * What of the tree on disk a run may reuse: the files whose content the up-to-date check matched
 * with the manifest, each with its recorded fingerprint (the pipeline emits a file again when its
 * fingerprint now differs).
 */
function previousOutput(state: TreeState): PreviousOutput | undefined {
  const { manifest, disk } = state;
  if (!manifest || !disk) return undefined;
  const fingerprints = new Map<string, string>();
  const files = new Map<string, string>();
  for (const rel of [...state.verified].sort()) {
    const recorded = manifest.outputs.get(rel);
    const text = disk.get(rel);
    if (!recorded || text === undefined || rel === MANIFEST_FILE) continue;
    fingerprints.set(rel, recorded.fingerprint);
    files.set(rel, text);
  }
  return fingerprints.size === 0 ? undefined : { fingerprints, files, warnings: manifest.pending };
}

/**
 * `reader`, recording the hash of each file it reads into `hashes` (remembered in `cache`), under
 * `key(rel)` (default: its path).
 */
export function hashingReader(
  reader: SourceReader,
  hashes: Map<string, string>,
  cache?: HashCache['inputs'],
  key: (rel: string) => string = (rel) => rel,
): SourceReader {
  return {
    list: () => reader.list(),
    async read(rel) {
      const text = await reader.read(rel);
      const k = key(rel);
      const known = cache?.get(k);
      const hash = known && known.text === text ? known.hash : contentHash(text);
      cache?.set(k, { text, hash });
      hashes.set(k, hash);
      return text;
    },
  };
}

/**
 * What the pipeline reads for `p`: the definitions, and the datasets of the evals folder, each
 * file's hash recorded into `hashes` by its manifest key.
 */
export function pipelineSources(
  p: GeneratePaths,
  hashes: Map<string, string>,
  cache?: HashCache['inputs'],
): Pick<PipelineOptions, 'reader' | 'displayPrefix' | 'evals'> {
  return {
    reader: hashingReader(folderReader(p.schemasAbs), hashes, cache),
    displayPrefix: p.schemasShown,
    evals: {
      reader: hashingReader(evalsReader(p.evalsAbs), hashes, cache, (rel) => evalsInputKey(p.schemasAbs, p.evalsAbs, rel)),
      displayPrefix: p.evalsShown,
    },
  };
}
