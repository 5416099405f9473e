/**
 * Stage 1, load: read the definition files and parse them, keeping source positions.
 *
 * This is the only stage that reads files. YAML and JSON both go through the `yaml` parser (JSON
 * is YAML 1.2), so every value in either format can be traced back to `line:col`.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, Parser, type Node, type YAMLError } from 'yaml';
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
  /** For string values holding `{{`: where each `{` of the value is written in the source. */
  private readonly braces = new Map<string, SourcePos[]>();

  /** Records where each `{` of the string value at `pointer` is written. */
  setBraces(pointer: string, positions: SourcePos[]): void {
    this.braces.set(pointer, positions);
  }

  /**
   * The position of the character at `index` of the string `value` found at `pointer`, when it
   * is a `{` (a placeholder's start): where it is written, in a quoted scalar, a folded one or a
   * block. Falls back to the value's position when that is not known (an alias, an escape).
   */
  findBrace(pointer: string, value: string, index: number): SourcePos {
    const positions = this.braces.get(pointer);
    if (positions && value[index] === '{') {
      let before = 0;
      for (let i = value.indexOf('{'); i >= 0 && i < index; i = value.indexOf('{', i + 1)) before++;
      const hit = positions[before];
      if (hit) return hit;
    }
    return this.find(pointer);
  }

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
  const source = text.replace(/^\uFEFF/, '');
  const doc = parseDocument(source, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: false,
    version: '1.2',
  });
  const positions = new PositionIndex();
  const at = (offset: number): SourcePos => lineCounter.linePos(offset);
  for (const err of doc.errors) {
    const pos = at(brokenAt(source, err));
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
  indexPositions(doc.contents as Node | null, '', positions, at, source);
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

/**
 * Where a syntax error is: the parser reports a quote or a flow collection left open where it
 * gives up on it (the next line, or the end of the file), but what is broken is where it was
 * opened: the last one of that kind before the error that is never closed. Every other error is
 * where the parser found it.
 */
function brokenAt(source: string, err: YAMLError): number {
  const found = err.pos[0];
  const quote = /^Missing closing (["'])quote/.exec(err.message)?.[1];
  const bracket = /^Flow (?:sequence|map)\b.*\bend with an? ([\]}])/.exec(err.message)?.[1];
  if (quote === undefined && bracket === undefined) return found;
  let opened: number | undefined;
  const consider = (offset: number) => {
    if (offset < found && (opened === undefined || offset > opened)) opened = offset;
  };
  const walk = (token: unknown): void => {
    if (Array.isArray(token)) {
      for (const t of token) walk(t);
      return;
    }
    if (typeof token !== 'object' || token === null) return;
    const t = token as { type?: string; offset?: number; source?: string; start?: { offset: number; source: string }; end?: { source: string }[] };
    if (t.type === 'flow-collection' && bracket !== undefined && t.start?.source === (bracket === ']' ? '[' : '{')) {
      if (!(t.end ?? []).some((e) => e.source === bracket)) consider(t.start.offset);
    } else if (quote !== undefined && t.type === (quote === '"' ? 'double-quoted-scalar' : 'single-quoted-scalar') && typeof t.source === 'string') {
      const closed = quote === '"' ? /^"(?:[^"\\]|\\[\s\S])*"\s*$/ : /^'(?:[^']|'')*'\s*$/;
      if (!closed.test(t.source)) consider(t.offset ?? found);
    }
    for (const [key, value] of Object.entries(t)) if (key !== 'start' && key !== 'end') walk(value);
  };
  for (const token of new Parser().parse(source)) walk(token);
  return opened ?? found;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function indexPositions(
  node: Node | null,
  pointer: string,
  positions: PositionIndex,
  at: (offset: number) => SourcePos,
  source: string,
  key?: SourcePos,
): void {
  if (!node) return;
  const range = node.range;
  if (range) positions.set(pointer, at(range[0]), key);
  if (isAlias(node)) return;
  if (isScalar(node) && typeof node.value === 'string' && node.value.includes('{{') && range) {
    const offsets = braceOffsets(source.slice(range[0], range[1]), node.type);
    const count = node.value.split('{').length - 1;
    if (offsets.length === count)
      positions.setBraces(
        pointer,
        offsets.map((o) => at(range[0] + o)),
      );
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      const name = isScalar(k) ? String(k.value) : String(k);
      const keyPos = k?.range ? at(k.range[0]) : undefined;
      const child = `${pointer}/${escapePointerSegment(name)}`;
      const v = pair.value as Node | null;
      if (v) indexPositions(v, child, positions, at, source, keyPos);
      else if (keyPos) positions.set(child, keyPos, keyPos);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => indexPositions(item as Node, `${pointer}/${i}`, positions, at, source));
  }
}

/**
 * Where the `{` characters of a string scalar's value are written in its source text (`raw`,
 * the scalar as written), in order. In a double-quoted scalar a `{` may be written as an escape
 * (`\x7b`), which counts at its backslash; a block scalar's header line is not part of the value.
 */
function braceOffsets(raw: string, type: string | undefined): number[] {
  const out: number[] = [];
  const start = type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED' ? raw.indexOf('\n') + 1 : 0;
  if (start === 0 && (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED')) return out;
  for (let i = start; i < raw.length; i++) {
    const c = raw[i];
    if (c === '{') {
      out.push(i);
    } else if (c === '\\' && type === 'QUOTE_DOUBLE') {
      const next = raw[i + 1];
      const digits = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : undefined;
      if (digits !== undefined && Number.parseInt(raw.slice(i + 2, i + 2 + digits), 16) === 0x7b) out.push(i);
      i += 1 + (digits ?? 0);
    }
  }
  return out;
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
