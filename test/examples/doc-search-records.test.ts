/**
 * The crawled record format of examples/doc-search: the seed record (../shared/seeds/000_*.txt,
 * and the copy the example ships) reads into a DocumentChunk the generated validator accepts,
 * writes back byte for byte, and malformed records fail with the file and the field named.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DocumentChunk } from '../../generated/types/doc-search.js';
import { validateDocumentChunk } from '../../generated/validators/types/document-chunk.js';
import { naiveDateTimeProblem, naiveNow } from '../../examples/doc-search/naive-date-time.js';
import { pythonFloat, pythonJson } from '../../examples/doc-search/python-repr.js';
import { formatRecord, parseRecord, RecordError } from '../../examples/doc-search/records.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const shippedPath = path.join(root, 'examples/doc-search/data/pydantic-ai-run-stream.txt');
const shipped = readFileSync(shippedPath, 'utf8');

/** The seed record in ../shared (beside the repository), which CI provides. */
function sharedSeed(): { file: string; text: string } {
  const dir = path.resolve(root, '../shared/seeds');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith('000_') && n.endsWith('.txt'));
  } catch (err) {
    throw new Error(`the seed record is read from ${dir} (../shared beside the repository): ${(err as Error).message}`, { cause: err });
  }
  if (names.length !== 1) throw new Error(`expected one 000_*.txt in ${dir}, found ${names.length}`);
  const file = path.join(dir, names[0]!);
  return { file, text: readFileSync(file, 'utf8') };
}

/** The shipped record with one front-matter line changed (`undefined` drops the line). */
function withLine(field: string, line: string | undefined): string {
  const lines = shipped.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`${field}:`) || l.startsWith(`${field} :`));
  if (at < 0) throw new Error(`no ${field} line`);
  if (line === undefined) lines.splice(at, 1);
  else lines[at] = line;
  return lines.join('\n');
}

/** The error `fn` throws, which must be a RecordError. */
function recordError(fn: () => unknown): RecordError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RecordError);
    return err as RecordError;
  }
  throw new Error('expected a RecordError, nothing was thrown');
}

describe('the seed record', () => {
  it('is shipped with the example as an exact copy of ../shared/seeds/000_*.txt', () => {
    expect(shipped).toBe(sharedSeed().text);
  });

  it('reads into a DocumentChunk the generated validator accepts, keeping every field', () => {
    const { file, text } = sharedSeed();
    const chunk = parseRecord(text, file);
    expect(validateDocumentChunk(structuredClone(chunk))).toBe(true);
    expect(chunk).toMatchObject({
      url: 'https://ai.pydantic.dev/api/agent/',
      session_id: 'pydantic_ai_docs',
      chunk_number: 30,
      title: 'run_stream Function Parameters',
      metadata: { source: 'pydantic_ai_docs', crawled_at: '2025-03-15T11:17:07.730831', url_path: '/api/agent/', chunk_size: 4391 },
      updated_dt: '2025-03-15T11:17:07.733962',
    });
    expect(chunk.summary).toMatch(/^The 'run_stream' function accepts user prompts/);
    expect(chunk.embedding).toHaveLength(1536);
    expect(chunk.embedding[0]).toBe(0.0018986236536875367);
    expect(chunk.content.startsWith('```\nrun_stream(\n')).toBe(true);
    expect(chunk.content.endsWith('#> London')).toBe(true);
    // chunk_size is the content's length in characters.
    expect([...chunk.content].length).toBe(chunk.metadata.chunk_size);
  });

  it('writes back byte for byte (Python number and JSON forms included), and parse -> format -> parse is stable', () => {
    const chunk = parseRecord(shipped, shippedPath);
    const written = formatRecord(chunk);
    expect(written).toBe(shipped);
    expect(parseRecord(written)).toEqual(chunk);
    expect(formatRecord(parseRecord(written))).toBe(written);
  });

  it('round-trips a record with non-ASCII text, extra metadata and a date without microseconds', () => {
    const base = parseRecord(shipped);
    const chunk: DocumentChunk = {
      ...base,
      title: 'Über “quotes” — and a tab\tinside',
      content: '---\nnot the end of the fields\n---\n\nlast line without newline ✓',
      metadata: { ...base.metadata, crawled_at: '2025-03-15T11:17:07', extra: { clé: [1, 2.5, null] } } as DocumentChunk['metadata'],
      updated_dt: '2024-02-29T23:59:59.5',
    };
    const written = formatRecord(chunk);
    expect(written).toContain(
      'metadata : {"source": "pydantic_ai_docs", "crawled_at": "2025-03-15T11:17:07", "url_path": "/api/agent/", "chunk_size": 4391, "extra": {"cl\\u00e9": [1, 2.5, null]}}',
    );
    expect(parseRecord(written)).toEqual(chunk);
    expect(formatRecord(parseRecord(written))).toBe(written);
  });
});

describe('Python number and JSON forms', () => {
  it('writes floats as repr does', () => {
    const cases: [number, string][] = [
      [5.1239007007097825e-5, '5.1239007007097825e-05'],
      [-5.719703040085733e-5, '-5.719703040085733e-05'],
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [0.0018986236536875367, '0.0018986236536875367'],
      [1, '1.0'],
      [-0, '-0.0'],
      [123.456, '123.456'],
      [1e16, '1e+16'],
      [1.5e300, '1.5e+300'],
    ];
    for (const [value, text] of cases) expect(pythonFloat(value), String(value)).toBe(text);
  });

  it('writes JSON as json.dumps does', () => {
    expect(pythonJson({ a: 1, b: 'é', c: [true, null, 0.5] })).toBe('{"a": 1, "b": "\\u00e9", "c": [true, null, 0.5]}');
  });
});

describe('naive dates and times', () => {
  it('checks the calendar and the clock, which the pattern cannot', () => {
    expect(naiveDateTimeProblem('2024-02-29T00:00:00')).toBeUndefined();
    expect(naiveDateTimeProblem('2025-03-15T11:17:07.730831')).toBeUndefined();
    expect(naiveDateTimeProblem('2025-02-29T00:00:00')).toMatch(/has day 29, and that month has 28/);
    expect(naiveDateTimeProblem('2025-13-01T00:00:00')).toMatch(/month 13/);
    expect(naiveDateTimeProblem('2025-01-01T24:00:00')).toMatch(/not a time of day/);
    expect(naiveDateTimeProblem('2025-01-01T10:00:00Z')).toMatch(/no time zone/);
  });

  it('writes now as Python would: microseconds, or none when they are zeros', () => {
    expect(naiveNow(new Date(Date.UTC(2025, 2, 15, 11, 17, 7, 730)))).toBe('2025-03-15T11:17:07.730000');
    expect(naiveNow(new Date(Date.UTC(2025, 2, 15, 11, 17, 7, 0)))).toBe('2025-03-15T11:17:07');
  });
});

describe('malformed records', () => {
  const file = 'crawl/bad-record.txt';

  it('a missing field: names the file and the field', () => {
    const error = recordError(() => parseRecord(withLine('updated_dt', undefined), file));
    expect(error.field).toBe('updated_dt');
    expect(error.message).toBe('crawl/bad-record.txt: field updated_dt: is missing');
  });

  it('an embedding of the wrong size', () => {
    const short = parseRecord(shipped).embedding.slice(0, 1535);
    const error = recordError(() => parseRecord(withLine('embedding', `embedding: [${short.join(', ')}]`), file));
    expect(error.field).toBe('embedding');
    expect(error.message).toContain('crawl/bad-record.txt: field embedding: has 1535 numbers, not 1536');
  });

  it('an embedding holding something else than numbers, or no JSON at all', () => {
    const values = parseRecord(shipped).embedding.map(String);
    values[3] = '"x"';
    expect(recordError(() => parseRecord(withLine('embedding', `embedding: [${values.join(', ')}]`), file)).message).toMatch(
      /field embedding\[3\]: must be number/,
    );
    expect(recordError(() => parseRecord(withLine('embedding', 'embedding: [0.1, 0.2'), file)).message).toMatch(/field embedding: is not JSON/);
  });

  it('a zone-less date that is no date, in updated_dt and in metadata.crawled_at', () => {
    const updated = recordError(() => parseRecord(withLine('updated_dt', 'updated_dt: 2025-02-30T11:17:07.733962'), file));
    expect(updated.field).toBe('updated_dt');
    expect(updated.message).toMatch(/^crawl\/bad-record\.txt: field updated_dt: "2025-02-30T11:17:07.733962" has day 30/);
    const metadata = parseRecord(shipped).metadata;
    const crawled = recordError(() =>
      parseRecord(withLine('metadata', `metadata : ${JSON.stringify({ ...metadata, crawled_at: '2025-13-15T11:17:07' })}`), file),
    );
    expect(crawled.field).toBe('metadata.crawled_at');
    expect(crawled.message).toContain('month 13');
    // A date with a zone is not the naive form the schema describes.
    const zoned = recordError(() => parseRecord(withLine('updated_dt', 'updated_dt: 2025-03-15T11:17:07Z'), file));
    expect(zoned.field).toBe('updated_dt');
  });

  it('a bad chunk number, an unknown or repeated field, a missing fence', () => {
    expect(recordError(() => parseRecord(withLine('chunk_number', 'chunk_number: thirty'), file)).message).toBe(
      'crawl/bad-record.txt: field chunk_number: "thirty" is not a whole number',
    );
    expect(recordError(() => parseRecord(shipped.replace('title:', 'author: someone\ntitle:'), file)).field).toBe('author');
    expect(recordError(() => parseRecord(shipped.replace('title:', 'url: https://x.test/\ntitle:'), file)).message).toMatch(/field url: appears twice/);
    expect(recordError(() => parseRecord(shipped.slice(4), file)).message).toMatch(/starts with a line of three dashes/);
    expect(recordError(() => parseRecord(shipped.replace('\n---\n', '\n'), file)).message).toMatch(/not closed/);
    expect(recordError(() => parseRecord('', file)).file).toBe(file);
  });

  it('a field with a line break cannot be written', () => {
    const chunk = { ...parseRecord(shipped), title: 'two\nlines' };
    expect(recordError(() => formatRecord(chunk)).field).toBe('title');
  });
});
