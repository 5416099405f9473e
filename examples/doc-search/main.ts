/**
 * npm run example:doc-search — the reference's RAG example, end to end: build a vector store of a
 * documentation set, then let the doc_search agent (schemas/doc-search.yaml) answer questions from
 * it with its three tools. `--help` lists the options; cli-options.ts has them.
 *
 * With no key and no server it runs on PGlite (PostgreSQL in this process, with pgvector), the
 * offline deterministic embedder and a scripted model (demo-model.ts); DATABASE_URL moves the
 * store to a PostgreSQL server, OPENAI_API_KEY to OpenAI's embeddings and model.
 */
import type { ModelLike } from 'schemantic';
import { createDocSearchAgent } from '../../generated/agents/doc-search.js';
import { openDatabase, type Database } from '../db/database.js';
import { providerModel } from '../provider-model.js';
import { stdinLines } from '../stdin-lines.js';
import { buildStore, EMBED_BATCH_SIZE } from './build-store.js';
import { parseCliOptions, SAMPLE_QUESTIONS, USAGE, type CliOptions } from './cli-options.js';
import { docSearchDemoModel } from './demo-model.js';
import { readCorpus } from './corpus.js';
import { DEFAULT_CHUNK_CHARS, SITE_ROOT } from './doc-set.js';
import { chooseEmbedder } from './embedder-choice.js';
import { DocStore } from './store.js';
import { docSearchTools, type DocSearchDeps } from './tools.js';

async function main(options: CliOptions): Promise<void> {
  const provider = providerModel();
  const model: ModelLike = provider.id ?? docSearchDemoModel;
  const choice = chooseEmbedder();
  console.log('Documentation search (RAG) on PostgreSQL with pgvector.');
  console.log(
    `  answers: ${provider.id ? provider.reason : 'a scripted model that calls the real tools and quotes what they return (set OPENAI_API_KEY for a real one)'}`,
  );
  console.log(`  embeddings: ${choice.description}`);

  const db = await openDatabase({ dataDir: options.dataDir, vector: true });
  try {
    console.log(`  store: ${db.label}, PostgreSQL ${(await db.serverVersion()).split(' ')[0]}\n`);
    const store = await DocStore.open(db);
    await build(store, choice);
    const deps: DocSearchDeps = { store, embedder: choice.embedder };
    const agent = createDocSearchAgent<DocSearchDeps>({ model, tools: docSearchTools });
    const ask = async (question: string) => {
      console.log(`\nQuestion: ${question}`);
      const result = await agent.run(question, { deps, context: { site: { name: 'Schemantic', root_url: SITE_ROOT } }, usageLimits: { requests: 10 } });
      const calls = result.allMessages().flatMap((m) => (m.kind === 'response' ? m.parts.flatMap((p) => (p.kind === 'tool-call' ? [p.toolName] : [])) : []));
      console.log(`Tools called: ${calls.join(', ') || 'none'}`);
      console.log(`Answer:\n${indent(result.output)}`);
      await printCitations(db, store, result.output);
    };
    if (options.interactive) {
      const input = stdinLines();
      console.log('\nAsk about the documentation, one question a line (end the input to stop).');
      for (let line = await input.read('> '); line !== undefined; line = await input.read('> ')) if (line.trim() !== '') await ask(line.trim());
      input.close();
    } else for (const question of options.questions.length > 0 ? options.questions : SAMPLE_QUESTIONS) await ask(question);
  } finally {
    await db.close();
  }
}

/** Builds (or brings up to date) the store, saying what it does and how long it took. */
async function build(store: DocStore, choice: ReturnType<typeof chooseEmbedder>): Promise<void> {
  const { files, drafts, seed } = await readCorpus();
  console.log(
    `Documentation set: ${files.length} markdown files (README.md and docs/), ${new Set(drafts.map((d) => d.url)).size} sections (one page each), ` +
      `${drafts.length} chunks of at most ${DEFAULT_CHUNK_CHARS} characters; plus 1 crawled PydanticAI record (${seed.url}, chunk ${seed.chunk_number}).`,
  );
  console.log(
    choice.keepsSeedEmbedding
      ? 'The PydanticAI record keeps its own embedding: it was made by text-embedding-3-small, the embedder used here.'
      : 'The PydanticAI record comes with an OpenAI text-embedding-3-small embedding, which is only comparable to other OpenAI embeddings: ' +
          'its content is embedded again with the deterministic embedder, like every other chunk (the record file is unchanged).',
  );
  console.log(`Building the store (embedding in batches of ${EMBED_BATCH_SIZE}):`);
  const report = await buildStore({
    store,
    embedder: choice.embedder,
    embedderName: choice.name,
    drafts,
    seed: { chunk: seed, keepEmbedding: choice.keepsSeedEmbedding },
    onProgress: ({ embedded, total }) => console.log(`  embedded ${embedded}/${total} chunks`),
  });
  if (report.replacedEmbedder) console.log(`  (the store was built with ${report.replacedEmbedder} before: everything was embedded again)`);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `Store ready: ${report.chunks} chunks, built in ${s(report.ms.total)} (embedding ${s(report.ms.embed)}, writing ${s(report.ms.write)}); ` +
      `${report.embedded} embedded, ${report.unchanged} unchanged since the last build, ${report.removed} removed.`,
  );
}

/** Lists the URLs the answer cites, each checked against the store's pages. */
async function printCitations(db: Database, store: DocStore, answer: string): Promise<void> {
  const cited = [...new Set(answer.match(/https?:\/\/[^\s)"'<>,;]+/g) ?? [])].map((u) => u.replace(/[.:]+$/, ''));
  if (cited.length === 0) {
    console.log('Cited URLs: none');
    return;
  }
  const pages = new Set(await store.listPages());
  console.log(`Cited URLs (checked against the pages in ${db.engine === 'pglite' ? 'the embedded store' : 'the server'}):`);
  for (const url of cited) console.log(`  ${pages.has(url) ? 'in the store ' : 'NOT a page   '} ${url}`);
}

/** Text indented by two spaces, line by line. */
function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

let options: CliOptions;
try {
  options = parseCliOptions(process.argv.slice(2));
} catch (err) {
  console.error(`doc-search: ${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) console.log(USAGE);
else {
  await main(options).catch((err: unknown) => {
    console.error(`doc-search: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
