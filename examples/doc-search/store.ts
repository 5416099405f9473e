/**
 * The documentation store: one table of `DocumentChunk`s in PostgreSQL with pgvector, the same SQL
 * on PGlite (embedded) and on a server (examples/db/database.ts). Every field of the chunk type
 * has its column: `metadata` as jsonb (its `crawled_at` stays the text the crawler wrote),
 * `updated_dt` as `timestamp` (no zone, microseconds, written back as Python's isoformat), the
 * embedding as `vector(1536)`, which holds float32: a vector reads back as `Math.fround` of what
 * was written.
 *
 * The index is HNSW with cosine distance (`vector_cosine_ops`, the `<=>` operator). HNSW rather
 * than IVFFlat because IVFFlat picks its list centres from the rows present when the index is
 * built, so an index made on an empty table (as here, before the build) searches badly until it
 * is rebuilt; HNSW learns nothing up front and takes rows as they come. Cosine because the
 * embedders' vectors are compared by direction (OpenAI's are unit length, so L2 would rank the
 * same; the deterministic embedder's are too, except the zero vector of a text with no words).
 */
import pgvector from 'pgvector';
import type { Embedding } from 'schemantic';
import type { Database } from '../db/database.js';
import type { DocumentChunk, RetrievedChunk } from '../../generated/types/doc-search.js';
import { isoformatFromMicroseconds } from './naive-date-time.js';
import { checkChunk } from './records.js';

/** The schema: created when missing, so a persisted store (`--data-dir`, a server) is reused. */
export const DOC_SEARCH_SCHEMA = `
CREATE TABLE IF NOT EXISTS doc_chunks (
  id bigserial PRIMARY KEY,
  url text NOT NULL,
  session_id text NOT NULL,
  chunk_number integer NOT NULL CHECK (chunk_number >= 0),
  title text NOT NULL,
  summary text NOT NULL,
  content text NOT NULL,
  metadata jsonb NOT NULL,
  updated_dt timestamp NOT NULL,
  -- text-embedding-3-small's size, and the deterministic embedder's default
  embedding vector(1536) NOT NULL,
  UNIQUE (url, chunk_number)
);
CREATE INDEX IF NOT EXISTS doc_chunks_embedding_idx ON doc_chunks USING hnsw (embedding vector_cosine_ops);
CREATE TABLE IF NOT EXISTS doc_search_settings (name text PRIMARY KEY, value text NOT NULL);
`;

/** A retrieved chunk with its position and its cosine distance from the query (0: same direction). */
export interface NearChunk extends RetrievedChunk {
  chunk_number: number;
  distance: number;
}

/** Where a chunk is: its page and its number there. */
export interface ChunkKey {
  url: string;
  chunk_number: number;
}

/** Rows written by one INSERT: 9 parameters each, far from PostgreSQL's limit of 65535. */
const UPSERT_BATCH = 100;

/** Every column, the timestamp and vector as text (neither engine then needs a type parser). */
const CHUNK_COLUMNS = `url, session_id, chunk_number, title, summary, content, metadata,
  to_char(updated_dt, 'YYYY-MM-DD"T"HH24:MI:SS.US') AS updated_dt, embedding::text AS embedding`;

/** The chunks of a documentation set in PostgreSQL with pgvector: writes, nearest chunks, pages. */
export class DocStore {
  /** The database it lives in. */
  readonly db: Database;

  private constructor(db: Database) {
    this.db = db;
  }

  /** Creates the schema when missing (the database must have been opened with `vector: true`). */
  static async open(db: Database): Promise<DocStore> {
    await db.exec(DOC_SEARCH_SCHEMA);
    return new DocStore(db);
  }

  /** Inserts the chunks, or updates those already there (same url and chunk_number), in one transaction. */
  async upsert(chunks: readonly DocumentChunk[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (let start = 0; start < chunks.length; start += UPSERT_BATCH) {
        const batch = chunks.slice(start, start + UPSERT_BATCH);
        const params: unknown[] = [];
        const rows = batch.map((c) => {
          const at = params.length;
          params.push(
            c.url,
            c.session_id,
            c.chunk_number,
            c.title,
            c.summary,
            c.content,
            JSON.stringify(c.metadata),
            c.updated_dt,
            pgvector.toSql([...c.embedding]),
          );
          return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, $${at + 7}::jsonb, $${at + 8}::timestamp, $${at + 9}::vector)`;
        });
        await tx.query(
          `INSERT INTO doc_chunks (url, session_id, chunk_number, title, summary, content, metadata, updated_dt, embedding)
           VALUES ${rows.join(',\n')}
           ON CONFLICT (url, chunk_number) DO UPDATE SET session_id = EXCLUDED.session_id, title = EXCLUDED.title,
             summary = EXCLUDED.summary, content = EXCLUDED.content, metadata = EXCLUDED.metadata,
             updated_dt = EXCLUDED.updated_dt, embedding = EXCLUDED.embedding`,
          params,
        );
      }
    });
  }

  /** The `limit` chunks nearest to `embedding` by cosine distance, nearest first. */
  async nearest(embedding: Embedding<1536> | readonly number[], limit: number): Promise<NearChunk[]> {
    const { rows } = await this.db.query<NearChunk>(
      `SELECT url, chunk_number, title, content, embedding <=> $1::vector AS distance
       FROM doc_chunks ORDER BY embedding <=> $1::vector LIMIT $2`,
      [pgvector.toSql([...embedding]), limit],
    );
    return rows.map((r) => ({ ...r, distance: Number(r.distance) }));
  }

  /** Every page's URL, once, sorted by code point (the same order on every server's collation). */
  async listPages(): Promise<string[]> {
    const { rows } = await this.db.query<{ url: string }>('SELECT url FROM doc_chunks GROUP BY url ORDER BY url COLLATE "C"');
    return rows.map((r) => r.url);
  }

  /** A page's content: its chunks in order, joined with blank lines; undefined for a URL the store lacks. */
  async pageContent(url: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ content: string }>('SELECT content FROM doc_chunks WHERE url = $1 ORDER BY chunk_number', [url]);
    return rows.length === 0 ? undefined : rows.map((r) => r.content).join('\n\n');
  }

  /** One chunk with every field, read back and checked as a `DocumentChunk`; undefined when absent. */
  async get(url: string, chunkNumber: number): Promise<DocumentChunk | undefined> {
    const { rows } = await this.db.query<Record<string, unknown>>(`SELECT ${CHUNK_COLUMNS} FROM doc_chunks WHERE url = $1 AND chunk_number = $2`, [
      url,
      chunkNumber,
    ]);
    const row = rows[0];
    if (!row) return undefined;
    return checkChunk(
      {
        ...row,
        updated_dt: isoformatFromMicroseconds(String(row['updated_dt'])),
        // The column holds float32: each number as the float32 it was stored as.
        embedding: pgvector.fromSql(String(row['embedding'])).map((x: number) => Math.fround(x)),
      },
      `${this.db.label}, chunk ${chunkNumber} of ${url}`,
    );
  }

  /** How many chunks the store holds. */
  async count(): Promise<number> {
    const { rows } = await this.db.query<{ n: number | string }>('SELECT count(*)::int AS n FROM doc_chunks');
    return Number(rows[0]!.n);
  }

  /** Where each chunk of a crawl is, and what its embedding was made from (title and content). */
  async existing(sessionId: string): Promise<(ChunkKey & { title: string; content: string })[]> {
    const { rows } = await this.db.query<ChunkKey & { title: string; content: string }>(
      'SELECT url, chunk_number, title, content FROM doc_chunks WHERE session_id = $1',
      [sessionId],
    );
    return rows;
  }

  /** Deletes the chunks at `keys` (those a rebuild no longer makes). */
  async remove(keys: readonly ChunkKey[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const key of keys) await tx.query('DELETE FROM doc_chunks WHERE url = $1 AND chunk_number = $2', [key.url, key.chunk_number]);
    });
  }

  /** Deletes every chunk and setting (the embeddings came from another embedder, say). */
  async clear(): Promise<void> {
    await this.db.exec('DELETE FROM doc_chunks; DELETE FROM doc_search_settings');
  }

  /** A setting of the store (which embedder made its vectors), or undefined. */
  async setting(name: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ value: string }>('SELECT value FROM doc_search_settings WHERE name = $1', [name]);
    return rows[0]?.value;
  }

  /** Writes a setting of the store. */
  async setSetting(name: string, value: string): Promise<void> {
    await this.db.query('INSERT INTO doc_search_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value', [name, value]);
  }
}
