/**
 * Stage 1, load: read the definition files and parse them, keeping source positions.
 *
 * This is the only stage that reads files. YAML and JSON both go through the `yaml` parser (JSON
 * is YAML 1.2), so every value in either format can be traced back to `line:col`.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { escapePointerSegment, type Problem, type SourcePos } from './problems.js';

/** One definitions file, parsed. */
export interface LoadedFile {
  /** Path relative to the schemas folder, `/`-separated (e.g. `team/common.yaml`). */
  rel: string;
  /** Path shown in problems and banners: relative to the working directory, `/`-separated. */
  display: string;
  /** The parsed document as plain JSON data (undefined when the file could not be parsed). */
  value: unknown;
  /** Where each JSON pointer of the document starts in the source. */
  positions: PositionIndex;
}

/** Key and value positions of every node of a document, by JSON pointer. */
export class PositionIndex {
  private readonly keys = new Map<string, SourcePos>();
  private readonly values = new Map<string, SourcePos>();

  /** Records where the key and the value of `pointer` start. */
  set(pointer: string, value: SourcePos, key?: SourcePos): void {
    this.values.set(pointer, value);
    if (key) this.keys.set(pointer, key);
  }

  /**
   * The position of `pointer`: its key when `prefer` is `key` and it has one, else its value.
   * A pointer with no recorded node (inside an alias, or one that does not exist yet, such as a
   * missing key) resolves to its nearest recorded ancestor.
   */
  find(pointer: string, prefer: 'key' | 'value' = 'value'): SourcePos {
    let p = pointer;
    for (;;) {
      const hit = (prefer === 'key' ? this.keys.get(p) : undefined) ?? this.values.get(p);
      if (hit) return hit;
      if (p === '') return { line: 1, col: 1 };
      p = p.slice(0, p.lastIndexOf('/'));
    }
  }
}

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

/** Options of {@link load}. */
export interface LoadOptions {
  /** How to show a file's path in problems: prefix joined to its folder-relative path. */
  displayPrefix: string;
  /** Parsed files from an earlier run, reused when the text is unchanged (watch mode). */
  cache?: Map<string, { text: string; file: LoadedFile; problems: Problem[] }>;
}

/** Reads and parses every definitions file. Files are sorted, so input order never matters. */
export async function load(reader: SourceReader, options: LoadOptions): Promise<{ files: LoadedFile[]; problems: Problem[] }> {
  const files: LoadedFile[] = [];
  const problems: Problem[] = [];
  const rels = [...(await reader.list())].sort();
  const texts = await Promise.all(
    rels.map(async (rel) => {
      try {
        return await reader.read(rel);
      } catch (err) {
        problems.push({
          code: 'io-error',
          message: `cannot read file: ${(err as Error).message}`,
          file: joinDisplay(options.displayPrefix, rel),
          line: 0,
          col: 0,
          pointer: '',
          severity: 'error',
        });
        return undefined;
      }
    }),
  );
  rels.forEach((rel, i) => {
    const text = texts[i];
    if (text === undefined) return;
    const cached = options.cache?.get(rel);
    if (cached && cached.text === text) {
      files.push(cached.file);
      problems.push(...cached.problems);
      return;
    }
    const parsed = parseSource(rel, joinDisplay(options.displayPrefix, rel), text);
    options.cache?.set(rel, { text, ...parsed });
    files.push(parsed.file);
    problems.push(...parsed.problems);
  });
  return { files, problems };
}

function joinDisplay(prefix: string, rel: string): string {
  return prefix === '' || prefix === '.' ? rel : `${prefix.replace(/\/+$/, '')}/${rel}`;
}

/** Parses one file's text. Pure: the same text always gives the same result. */
export function parseSource(rel: string, display: string, text: string): { file: LoadedFile; problems: Problem[] } {
  const problems: Problem[] = [];
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: false,
    version: '1.2',
  });
  const positions = new PositionIndex();
  const at = (offset: number): SourcePos => lineCounter.linePos(offset);
  for (const err of doc.errors) {
    const pos = at(err.pos[0]);
    const duplicate = err.code === 'DUPLICATE_KEY';
    problems.push({
      code: duplicate ? 'duplicate-key' : 'yaml-syntax',
      message: firstLine(err.message),
      file: display,
      line: pos.line,
      col: pos.col,
      pointer: '',
      severity: 'error',
    });
  }
  if (doc.errors.length > 0) {
    return { file: { rel, display, value: undefined, positions }, problems };
  }
  indexPositions(doc.contents as Node | null, '', positions, at);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    problems.push({
      code: 'yaml-syntax',
      message: firstLine((err as Error).message),
      file: display,
      line: 1,
      col: 1,
      pointer: '',
      severity: 'error',
    });
    return { file: { rel, display, value: undefined, positions }, problems };
  }
  for (const bad of nonJsonValues(value, '')) {
    const pos = positions.find(bad.pointer);
    problems.push({
      code: 'not-json',
      message: bad.message,
      file: display,
      line: pos.line,
      col: pos.col,
      pointer: bad.pointer,
      severity: 'error',
    });
  }
  return { file: { rel, display, value, positions }, problems };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function indexPositions(node: Node | null, pointer: string, positions: PositionIndex, at: (offset: number) => SourcePos, key?: SourcePos): void {
  if (!node) return;
  const range = node.range;
  if (range) positions.set(pointer, at(range[0]), key);
  if (isAlias(node)) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      const name = isScalar(k) ? String(k.value) : String(k);
      const keyPos = k?.range ? at(k.range[0]) : undefined;
      const child = `${pointer}/${escapePointerSegment(name)}`;
      const v = pair.value as Node | null;
      if (v) indexPositions(v, child, positions, at, keyPos);
      else if (keyPos) positions.set(child, keyPos, keyPos);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => indexPositions(item as Node, `${pointer}/${i}`, positions, at));
  }
}

/** Values YAML can express but JSON cannot: non-finite numbers, binary, dates, and the like. */
function* nonJsonValues(value: unknown, pointer: string): Generator<{ pointer: string; message: string }> {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) yield { pointer, message: `${value} is not a JSON number` };
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* nonJsonValues(value[i], `${pointer}/${i}`);
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) yield* nonJsonValues(v, `${pointer}/${escapePointerSegment(k)}`);
    return;
  }
  yield { pointer, message: `a ${describe(value)} value is not JSON data` };
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
