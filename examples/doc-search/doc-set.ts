/**
 * The documentation set the example searches, which ships in the repo: Schemantic's README.md
 * and every docs/**\/*.md, each split into sections (a section is a page of the store, with its
 * own URL) and each section into chunks. Titles and summaries are derived offline (the heading
 * trail, and the first sentence of the chunk), where the reference's crawler asked a model.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { DocumentChunk } from '../../generated/types/doc-search.js';
import { chunkText, splitSections } from './sections.js';

/** A chunk before it is embedded. */
export type ChunkDraft = Omit<DocumentChunk, 'embedding'>;

/** Where the pages of this documentation set live (a site it could be published at). */
export const SITE_ROOT = 'https://schemantic.dev/';

/** The crawl (`session_id`) and `metadata.source` of this documentation set. */
export const SCHEMANTIC_SESSION = 'schemantic_docs';

/** Chunks hold at most this many characters: a few paragraphs, well within an embedding model's input. */
export const DEFAULT_CHUNK_CHARS = 1800;

/** A markdown file of the set: its path from the repository root (`/` separators) and its text. */
export interface DocFile {
  path: string;
  text: string;
}

/** Options of {@link documentationChunks}. */
export interface ChunkOptions {
  /** When the files were read ("crawled"), as a naive UTC date and time. */
  crawledAt: string;
  /** When the chunks are written (`updated_dt`); default `crawledAt`. */
  updatedAt?: string;
  /** The most characters a chunk holds; default {@link DEFAULT_CHUNK_CHARS}. */
  maxChars?: number;
  /** Sections shorter than this join the one before them; default `MIN_SECTION_CHARS` (sections.ts). */
  minSectionChars?: number;
}

/** Reads README.md and docs/**\/*.md under `root`, sorted by path. */
export async function readDocumentationSet(root: string): Promise<DocFile[]> {
  const paths = ['README.md', ...(await markdownUnder(root, 'docs'))];
  return Promise.all(paths.map(async (path) => ({ path, text: await readFile(join(root, path), 'utf8') })));
}

/** The files' chunks: per file, per section, in order; `chunk_number` counts within a section's page. */
export function documentationChunks(files: readonly DocFile[], options: ChunkOptions): ChunkDraft[] {
  const maxChars = options.maxChars ?? DEFAULT_CHUNK_CHARS;
  const drafts: ChunkDraft[] = [];
  const fileOf = new Map<string, string>();
  for (const file of files) {
    const urlPath = pageUrlPath(file.path);
    // Two files at one address would give chunks the same (url, chunk_number): one would overwrite the other.
    const other = fileOf.get(urlPath);
    if (other !== undefined) throw new Error(`${other} and ${file.path} are both the page ${SITE_ROOT}${urlPath.slice(1)}: rename one of them`);
    fileOf.set(urlPath, file.path);
    for (const section of splitSections(file.text, options.minSectionChars)) {
      const url = `${SITE_ROOT}${urlPath.slice(1)}${section.anchor ? `#${section.anchor}` : ''}`;
      const title = section.headings.join(' > ') || file.path;
      chunkText(section.text, maxChars).forEach((content, chunk_number) => {
        drafts.push({
          url,
          session_id: SCHEMANTIC_SESSION,
          chunk_number,
          title,
          summary: summarize(content, title),
          content,
          // chunk_size counts characters as the crawler (Python) did: code points, not UTF-16 units.
          metadata: { source: SCHEMANTIC_SESSION, crawled_at: options.crawledAt, url_path: urlPath, chunk_size: [...content].length },
          updated_dt: options.updatedAt ?? options.crawledAt,
        });
      });
    }
  }
  return drafts;
}

/** The site path of a markdown file: `docs/durable-runs.md` is `/docs/durable-runs/`, a README its folder's index. */
export function pageUrlPath(path: string): string {
  const page = path.replace(/(^|\/)README\.md$/i, '$1').replace(/\.md$/i, '/');
  return `/${page}`;
}

/**
 * A chunk's first sentence of prose (headings, code, tables and list markers skipped, markdown
 * links as their text), at most 200 characters; for a chunk of code only, says whose code it is.
 */
export function summarize(content: string, title: string): string {
  let inFence = false;
  const prose: string[] = [];
  for (const line of content.split('\n')) {
    if (/^ {0,3}(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    else if (!inFence && !/^\s*(#|\||<)/.test(line) && line.trim() !== '') prose.push(line.trim().replace(/^([-*+]|\d+\.)\s+/, ''));
    if (prose.length > 0 && (inFence || line.trim() === '')) break;
  }
  const text = prose
    .join(' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|__/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return `Code from "${title}".`;
  const sentence = /^.*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;
  return sentence.length <= 200 ? sentence : `${sentence.slice(0, 199).trimEnd()}…`;
}

/** Markdown files under `dir` (relative to `root`), as sorted `/`-separated paths. */
async function markdownUnder(root: string, dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}
