/**
 * The tour's documentation-search step (examples/doc-search/): a pgvector store built from this
 * repository's own documentation in the embedded database, then a question answered with the
 * agent's three tools.
 */
import { DeterministicEmbedder } from 'schemantic';
import { createDocSearchAgent } from '../../generated/agents/doc-search.js';
import type { Database } from '../db/database.js';
import { buildStore } from '../doc-search/build-store.js';
import { docSearchDemoModel } from '../doc-search/demo-model.js';
import { readCorpus } from '../doc-search/corpus.js';
import { SITE_ROOT } from '../doc-search/doc-set.js';
import { DocStore } from '../doc-search/store.js';
import { docSearchTools, type DocSearchDeps } from '../doc-search/tools.js';
import { say, seconds } from './say.js';

/** Builds the store on `db` (which has pgvector) and asks one question on the scripted model. */
export async function docSearchStep(db: Database): Promise<void> {
  const { drafts, seed } = await readCorpus();
  const embedder = new DeterministicEmbedder();
  const store = await DocStore.open(db);
  let last = 0;
  const report = await buildStore({
    store,
    embedder,
    embedderName: 'deterministic',
    drafts,
    seed: { chunk: seed, keepEmbedding: false },
    onProgress: ({ embedded, total }) => {
      // One line at the end of each quarter: enough to see the batches go by.
      if (embedded === total || embedded - last >= total / 4) (say(`  embedded ${embedded}/${total} chunks`), (last = embedded));
    },
  });
  say(
    `Built a vector store of ${report.chunks} chunks (README.md and docs/ cut at their headings, plus one crawled PydanticAI record)`,
    `in ${seconds(report.ms.total)}: each chunk embedded (an offline deterministic embedder here) and stored with pgvector.`,
  );
  const agent = createDocSearchAgent<DocSearchDeps>({ model: docSearchDemoModel, tools: docSearchTools });
  const question = 'How do durable runs use PostgreSQL?';
  say(`Question: ${question}`);
  const result = await agent.run(question, { deps: { store, embedder }, context: { site: { name: 'Schemantic', root_url: SITE_ROOT } } });
  const tools = result.allMessages().flatMap((m) => (m.kind === 'response' ? m.parts.flatMap((p) => (p.kind === 'tool-call' ? [p.toolName] : [])) : []));
  say(`The model called ${tools.join(', ')}, then answered:`);
  say(
    ...result.output
      .split('\n')
      .slice(0, 6)
      .map((line) => `  ${line}`),
  );
}
