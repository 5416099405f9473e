/**
 * npx tsx bench/doc-search-store.ts — how long the documentation-search example's store takes to
 * build and to query, on PGlite (embedded, in memory) and on a PostgreSQL server with pgvector.
 *
 * The corpus is the example's own: README.md and docs/ as chunks, plus the crawled PydanticAI
 * record, embedded with the deterministic embedder (offline; an OpenAI build adds the API's
 * latency, which no local figure says anything about). A larger corpus repeats it under other
 * URLs (`BENCH_SCALE`, default 5), to see how the build and the HNSW search grow.
 *
 * - build: a fresh store (schema with its HNSW index), every chunk embedded in batches and
 *   upserted: the embedding and writing shares as buildStore reports them, median of BENCH_REPS
 *   builds (default 3);
 * - query: 50 retrievals of different questions; the nearest-5 query alone (`ORDER BY embedding
 *   <=> $1 LIMIT 5`), and with the question's embedding (what the tool does); medians. The plan
 *   the server chose is shown (HNSW index scan, or a sequential scan when the table is small).
 *
 * PostgreSQL: a database of its own, created on the server of DATABASE_URL, else of
 * SCHEMANTIC_TEST_DATABASE_URL (the suite's, 127.0.0.1:54329, by default), and dropped at the end.
 * Not a test: nothing here asserts a time.
 */
import pg from 'pg';
import { DeterministicEmbedder } from '../runtime/index.js';
import { openDatabase, redactUrl, type Database } from '../examples/db/database.js';
import { buildStore } from '../examples/doc-search/build-store.js';
import { readCorpus } from '../examples/doc-search/corpus.js';
import type { ChunkDraft } from '../examples/doc-search/doc-set.js';
import { DocStore } from '../examples/doc-search/store.js';
import { benchReps, median, ROOT } from './stats.js';

const REPS = benchReps(3);
const SCALE = Number(process.env['BENCH_SCALE'] ?? 5);
const QUERIES = 50;
const SERVER_URL = process.env['DATABASE_URL'] ?? process.env['SCHEMANTIC_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:54329/postgres';

/** One row of the table. */
interface Row {
  engine: string;
  chunks: number;
  embedMs: number;
  writeMs: number;
  buildMs: number;
  nearestMs: number;
  retrieveMs: number;
  plan: string;
}

const embedder = new DeterministicEmbedder();
const { drafts: base, seed } = await readCorpus(ROOT);
/** The corpus `times` over: copies under other URLs (`?copy=2`), so that every chunk is a row of its own. */
const corpus = (times: number): ChunkDraft[] =>
  Array.from({ length: times }, (_, k) =>
    base.map((d) => (k === 0 ? d : { ...d, url: d.url.includes('#') ? d.url.replace('#', `?copy=${k}#`) : `${d.url}?copy=${k}` })),
  ).flat();
/** Questions in the documentation's words, all different. */
const questions = base.slice(0, QUERIES).map((d) => `${d.title}: ${d.summary}`);

/** Builds and queries the store on `db`, for each corpus size. */
async function measure(engine: string, db: Database): Promise<Row[]> {
  const rows: Row[] = [];
  const store = await DocStore.open(db);
  for (const times of [1, SCALE]) {
    const drafts = corpus(times);
    const builds = [];
    for (let r = 0; r < REPS; r++) {
      // A fresh table each time, its index included: what a first build does.
      await db.exec('DROP TABLE IF EXISTS doc_chunks; DROP TABLE IF EXISTS doc_search_settings');
      await DocStore.open(db);
      builds.push(await buildStore({ store, embedder, embedderName: 'deterministic', drafts, seed: { chunk: seed, keepEmbedding: false } }));
    }
    const vectors = (await embedder.embed(questions, { inputType: 'query' })).embeddings;
    const nearest: number[] = [];
    const retrieve: number[] = [];
    for (let r = 0; r < REPS; r++) {
      for (const [i, vector] of vectors.entries()) {
        let t = performance.now();
        await store.nearest(vector, 5);
        nearest.push(performance.now() - t);
        t = performance.now();
        const [own] = (await embedder.embed([questions[i]!], { inputType: 'query' })).embeddings;
        await store.nearest(own!, 5);
        retrieve.push(performance.now() - t);
      }
    }
    const { rows: plan } = await db.query<Record<string, string>>('EXPLAIN SELECT url FROM doc_chunks ORDER BY embedding <=> $1::vector LIMIT 5', [
      JSON.stringify([...vectors[0]!]),
    ]);
    const scan = plan.map((p) => Object.values(p)[0]!).find((line) => /Scan/.test(line)) ?? '?';
    rows.push({
      engine,
      chunks: builds[0]!.chunks,
      embedMs: median(builds.map((b) => b.ms.embed)),
      writeMs: median(builds.map((b) => b.ms.write)),
      buildMs: median(builds.map((b) => b.ms.total)),
      nearestMs: median(nearest),
      retrieveMs: median(retrieve),
      plan: /Index Scan/.test(scan) ? 'HNSW index scan' : /Seq Scan/.test(scan) ? 'sequential scan' : scan.trim(),
    });
  }
  await db.exec('DROP TABLE IF EXISTS doc_chunks; DROP TABLE IF EXISTS doc_search_settings');
  return rows;
}

/** A database of its own on the server at SERVER_URL, and how to drop it. */
async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `schemantic_bench_docsearch_${Math.random().toString(36).slice(2, 8)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

const results: Row[] = [];
let started = performance.now();
const lite = await openDatabase({ url: undefined, vector: true });
const liteOpen = performance.now() - started;
const liteVersion = await lite.serverVersion();
results.push(...(await measure('PGlite (in memory)', lite)));
await lite.close();

let serverNote: string;
try {
  const scratch = await scratchDatabase();
  try {
    started = performance.now();
    const server = await openDatabase({ url: scratch.url, vector: true });
    const serverOpen = performance.now() - started;
    const version = await server.serverVersion();
    const { rows } = await server.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
    results.push(...(await measure('PostgreSQL', server)));
    await server.close();
    serverNote = `PostgreSQL ${version} with pgvector ${rows[0]?.extversion} at ${redactUrl(SERVER_URL)} (connecting took ${serverOpen.toFixed(0)} ms)`;
  } finally {
    await scratch.drop();
  }
} catch (err) {
  serverNote = `PostgreSQL: not measured (${(err as Error).message}; set DATABASE_URL or start scripts/test-postgres.sh)`;
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
console.log(`Documentation-search store: build and query times (Node ${process.versions.node}; ${REPS} builds per row, ${QUERIES * REPS} queries; medians)`);
console.log(`PGlite ${liteVersion} with @electric-sql/pglite-pgvector (starting it took ${liteOpen.toFixed(0)} ms); ${serverNote}\n`);
console.log('| engine | chunks | build: embed (ms) | build: write (ms) | build total (ms) | nearest 5 (ms) | embed + nearest 5 (ms) | plan |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results)
  console.log(`| ${r.engine} | ${r.chunks} | ${ms(r.embedMs)} | ${ms(r.writeMs)} | ${ms(r.buildMs)} | ${ms(r.nearestMs)} | ${ms(r.retrieveMs)} | ${r.plan} |`);
