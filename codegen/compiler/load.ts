/**
 * Stage 1, load: read the definition files and parse them, keeping source positions.
 *
 * This is the only stage that reads files. YAML and JSON are both read as YAML 1.2 (JSON is
 * YAML), so every value in either format can be traced back to `line:col`. The `yaml` parser
 * gives those positions, but it is slow; a file is first parsed by the fast path (fast-parse.ts),
 * which is taken only when it gives exactly the value `yaml` gives and `yaml` would report no
 * problem. Such a file's positions are built by `yaml` the first time they are needed, which on a
 * clean run is never (see parseDefinitions).
 */
import { LineCounter, parseDocument, Parser, type Node, type YAMLError } from 'yaml';
import { fastParse, YAML_OPTIONS } from './fast-parse.js';
import { indexPositions, PositionIndex } from './position-index.js';
import { escapePointerSegment, unreadableFile, type Problem, type SourcePos } from './problems.js';
import type { SourceReader } from './source-reader.js';

export { PositionIndex } from './position-index.js';
export { folderReader, isDefinitionPath, memoryReader, type SourceReader } from './source-reader.js';

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
        problems.push(unreadableFile(joinDisplay(options.displayPrefix, rel), err));
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
    const parsed = parseDefinitions(rel, joinDisplay(options.displayPrefix, rel), text);
    options.cache?.set(rel, { text, ...parsed });
    files.push(parsed.file);
    problems.push(...parsed.problems);
  });
  return { files, problems };
}

function joinDisplay(prefix: string, rel: string): string {
  return prefix === '' || prefix === '.' ? rel : `${prefix.replace(/\/+$/, '')}/${rel}`;
}

/**
 * Parses one definitions file's text: with the fast path when it gives exactly what
 * {@link parseSource} gives (then with no problem, and positions built on first use), else with
 * {@link parseSource}. Pure: the same text always gives the same result.
 */
export function parseDefinitions(rel: string, display: string, text: string): { file: LoadedFile; problems: Problem[] } {
  const source = text.replace(/^\uFEFF/, '');
  const fast = fastParse(source);
  if ('declined' in fast) return parseSource(rel, display, text);
  let lines: LineCounter | undefined;
  const positions = new PositionIndex({
    build: (index) => indexSource(source, index),
    // Offsets of keys and items recorded by the fast parse, turned into positions as the yaml
    // parser's LineCounter does.
    key: (pointer) => {
      const offset = fast.keyOffset(pointer);
      return offset === undefined ? undefined : (lines ??= countLines(source)).linePos(offset);
    },
  });
  return { file: { rel, display, value: fast.value, positions }, problems: [] };
}

/** Fills `index` with the positions of every node of `source`, as parseSource does, from a `yaml` parse. */
function indexSource(source: string, index: PositionIndex): void {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { ...YAML_OPTIONS, lineCounter });
  indexPositions(doc.contents as Node | null, '', index, (offset) => lineCounter.linePos(offset), source);
}

/**
 * A LineCounter holding the line starts the `yaml` parser would record for `source`: the start,
 * and after each line feed (a lone carriage return does not end a line there).
 */
function countLines(source: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return lines;
}

/**
 * Parses one file's text with the `yaml` parser: the value, every problem, and every position at
 * once. Pure: the same text always gives the same result.
 */
export function parseSource(rel: string, display: string, text: string): { file: LoadedFile; problems: Problem[] } {
  const problems: Problem[] = [];
  const lineCounter = new LineCounter();
  const source = text.replace(/^\uFEFF/, '');
  const doc = parseDocument(source, { ...YAML_OPTIONS, lineCounter });
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
