/**
 * What the example's store is built from, read once for everyone who builds it (the example, the
 * tour, the benchmark): the repository's documentation as chunks, and the crawled PydanticAI record.
 */
import { fileURLToPath } from 'node:url';
import type { DocumentChunk } from '../../generated/types/doc-search.js';
import { documentationChunks, readDocumentationSet, type ChunkDraft, type DocFile } from './doc-set.js';
import { naiveNow } from './naive-date-time.js';
import { readRecordFile } from './records.js';

/** The repository root: the documentation set is its README.md and docs/. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The crawled PydanticAI record shipped with the example (a copy of ../shared/seeds/000_*.txt). */
export const SEED_RECORD_FILE = fileURLToPath(new URL('./data/pydantic-ai-run-stream.txt', import.meta.url));

/** The documentation set, read and chunked, and the crawled record. */
export interface Corpus {
  /** The markdown files read. */
  files: DocFile[];
  /** Their chunks, not yet embedded, marked as crawled now. */
  drafts: ChunkDraft[];
  /** The crawled record, with its own embedding. */
  seed: DocumentChunk;
}

/** Reads the corpus under `root` (default: this repository). */
export async function readCorpus(root: string = REPO_ROOT): Promise<Corpus> {
  const files = await readDocumentationSet(root);
  return { files, drafts: documentationChunks(files, { crawledAt: naiveNow() }), seed: await readRecordFile(SEED_RECORD_FILE) };
}
