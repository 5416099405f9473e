/**
 * The crawled record format: one chunk per file, as the reference's crawler wrote its store
 * (../shared/seeds/000_*.txt, and the copy in data/). Front matter between two `---` lines, one
 * field a line (`url`, `session_id`, `chunk_number`, `title`, `summary`, `embedding` as a JSON
 * list, `metadata : {json}` with a space before its colon, `updated_dt`), then the content,
 * everything after the closing `---` line, as it was, with no final newline added.
 *
 * `parseRecord` reads one into a `DocumentChunk` checked by the generated validator (plus the
 * calendar check of its dates, which a pattern cannot do); `formatRecord` writes one back, byte
 * for byte as the crawler did.
 */
import { readFile } from 'node:fs/promises';
import type { DocumentChunk } from '../../generated/types/doc-search.js';
import { validateDocumentChunk } from '../../generated/validators/types/document-chunk.js';
import { naiveDateTimeProblem } from './naive-date-time.js';
import { pythonFloat, pythonJson } from './python-repr.js';

/** The front matter's fields, in the order the crawler writes them. */
export const RECORD_FIELDS = ['url', 'session_id', 'chunk_number', 'title', 'summary', 'embedding', 'metadata', 'updated_dt'] as const;

/** The metadata's fields, in the order the crawler writes them (others follow, as found). */
const METADATA_FIELDS = ['source', 'crawled_at', 'url_path', 'chunk_size'] as const;

/** A record that cannot be read or written: says which file and which field. */
export class RecordError extends Error {
  /** The file (or `<record>` for text that came from no file). */
  readonly file: string;
  /** The field at fault (`embedding`, `metadata.crawled_at`, `embedding[3]`), when one is. */
  readonly field: string | undefined;

  /** @param detail what is wrong, in words. */
  constructor(file: string, field: string | undefined, detail: string) {
    super(`${file}: ${field === undefined ? '' : `field ${field}: `}${detail}`);
    this.name = 'RecordError';
    this.file = file;
    this.field = field;
  }
}

/** Reads a record file into a checked `DocumentChunk`; errors name the file and the field. */
export async function readRecordFile(path: string): Promise<DocumentChunk> {
  return parseRecord(await readFile(path, 'utf8'), path);
}

/** Parses one record's text; `file` names it in errors. Throws a {@link RecordError}. */
export function parseRecord(text: string, file = '<record>'): DocumentChunk {
  // A record checked out with Windows line endings (git's core.autocrlf) is the same record.
  if (text.startsWith('---\r\n')) text = text.replace(/\r\n/g, '\n');
  if (!text.startsWith('---\n')) throw new RecordError(file, undefined, 'a record starts with a line of three dashes (---), then its fields');
  // The front matter ends at the next line of three dashes; the content may hold more of them.
  const close = text.indexOf('\n---\n', 3);
  const end = close >= 0 ? close : text.endsWith('\n---') ? text.length - 4 : -1;
  if (end < 0) throw new RecordError(file, undefined, 'the fields are not closed by a line of three dashes (---)');
  const content = close >= 0 ? text.slice(close + 5) : '';

  const raw = new Map<string, string>();
  for (const line of text.slice(4, end + 1).split('\n')) {
    if (line.trim() === '') continue;
    // `s`: a value may hold U+2028 or U+2029, which `.` would not match; lines end only at \n.
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)$/s.exec(line);
    if (!match) throw new RecordError(file, undefined, `${JSON.stringify(line.slice(0, 60))} is not a "name: value" line`);
    const [, name, value] = match as unknown as [string, string, string];
    if (!(RECORD_FIELDS as readonly string[]).includes(name)) throw new RecordError(file, name, `unknown field (a record has ${RECORD_FIELDS.join(', ')})`);
    if (raw.has(name)) throw new RecordError(file, name, 'appears twice');
    raw.set(name, value.replace(/^ /, ''));
  }

  const record: Record<string, unknown> = {};
  for (const name of RECORD_FIELDS) {
    const value = raw.get(name);
    if (value === undefined) continue; // the validator reports it, with the others
    record[name] = convert(file, name, value);
  }
  record['content'] = content;
  return checkChunk(record, file);
}

/** Checks a value read from a record (or a database row) as a `DocumentChunk`. */
export function checkChunk(value: Record<string, unknown>, file: string): DocumentChunk {
  if (!validateDocumentChunk(value)) {
    const problems = (validateDocumentChunk.errors ?? []).map((e) => {
      const field = fieldName(e.instancePath, e.params['missingProperty']);
      if (e.keyword === 'required') return { field, detail: 'is missing' };
      if (field === 'embedding' && (e.keyword === 'minItems' || e.keyword === 'maxItems'))
        return { field, detail: `has ${(value['embedding'] as unknown[]).length} numbers, not 1536 (the size of text-embedding-3-small's vectors)` };
      return { field, detail: e.message ?? e.keyword };
    });
    const [first] = problems;
    const rest = problems.slice(1).map((p) => `; field ${p.field}: ${p.detail}`);
    throw new RecordError(file, first?.field, `${first?.detail ?? 'is not a document chunk'}${rest.join('')}`);
  }
  for (const [field, text] of [
    ['updated_dt', value.updated_dt],
    ['metadata.crawled_at', value.metadata.crawled_at],
  ] as const) {
    const problem = naiveDateTimeProblem(text);
    if (problem) throw new RecordError(file, field, problem);
  }
  return value;
}

/** Writes a chunk in the record format (the inverse of {@link parseRecord}). */
export function formatRecord(chunk: DocumentChunk): string {
  const lines = ['---'];
  for (const name of RECORD_FIELDS) {
    if (name === 'embedding') lines.push(`embedding: [${chunk.embedding.map(pythonFloat).join(', ')}]`);
    else if (name === 'metadata') lines.push(`metadata : ${pythonJson(orderedMetadata(chunk.metadata))}`);
    else {
      const value = String(chunk[name]);
      // One field a line: a line break would end the field early and start a bogus one.
      if (/[\r\n]/.test(value)) throw new RecordError('<record>', name, 'has a line break, which the record format cannot hold');
      lines.push(`${name}: ${value}`);
    }
  }
  lines.push('---', '');
  return lines.join('\n') + chunk.content;
}

/** A field's value from its text: numbers and JSON where the format has them. */
function convert(file: string, name: string, value: string): unknown {
  if (name === 'chunk_number') {
    if (!/^\d+$/.test(value.trim())) throw new RecordError(file, name, `${JSON.stringify(value)} is not a whole number`);
    return Number(value);
  }
  if (name === 'embedding' || name === 'metadata') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (err) {
      throw new RecordError(file, name, `is not JSON (${(err as Error).message})`);
    }
    if (name === 'embedding' && !Array.isArray(parsed)) throw new RecordError(file, name, 'is not a JSON list of numbers');
    if (name === 'metadata' && (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)))
      throw new RecordError(file, name, 'is not a JSON object');
    return parsed;
  }
  return value;
}

/** `/metadata/crawled_at` as `metadata.crawled_at`, `/embedding/3` as `embedding[3]`. */
function fieldName(instancePath: string, missing: unknown): string {
  const steps = instancePath.split('/').slice(1);
  if (typeof missing === 'string') steps.push(missing);
  return steps.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : `${i > 0 ? '.' : ''}${s}`)).join('') || '(the record)';
}

/** The metadata with its known fields first, in the crawler's order (a jsonb column sorts keys). */
function orderedMetadata(metadata: DocumentChunk['metadata']): Record<string, unknown> {
  // Entries, not assignments and `in`: a key such as `constructor` or `__proto__` is data here.
  const others = Object.entries(metadata).filter(([key]) => !(METADATA_FIELDS as readonly string[]).includes(key));
  return Object.fromEntries([...METADATA_FIELDS.map((key) => [key, metadata[key]]), ...others]);
}
