/**
 * The doc_search agent's three tool handlers, typed from the generated `DocSearchTools`: retrieve
 * the chunks nearest to a query (embedded by the same embedder as the chunks), list the pages,
 * and read one page whole. A mistake the model can fix (a URL the store lacks, a query with no
 * words) is a `ModelRetry`: the model is told what went wrong and how to do better.
 */
import { ModelRetry, type Embedder } from 'schemantic';
import type { DocSearchTools } from '../../generated/agents/doc-search.js';
import type { DocStore } from './store.js';

/** What the handlers need: the store, and the embedder its vectors came from. */
export interface DocSearchDeps {
  store: DocStore;
  embedder: Embedder<1536>;
}

/** Chunks returned when the model does not say how many. */
const DEFAULT_LIMIT = 5;

/** The handlers, by camelCase tool name. */
export const docSearchTools: DocSearchTools<DocSearchDeps> = {
  async retrieveRelevantDocumentation(ctx, { user_query, limit }) {
    const { embeddings } = await ctx.deps.embedder.embed([user_query], { inputType: 'query' });
    const query = embeddings[0]!;
    // A query with no words embeds (offline) as the zero vector, whose cosine distance is undefined.
    if (query.every((x) => x === 0)) throw new ModelRetry(`the query ${JSON.stringify(user_query)} has no words to search for: ask in words`);
    const chunks = await ctx.deps.store.nearest(query, limit ?? DEFAULT_LIMIT);
    return chunks.map(({ url, title, content }) => ({ url, title, content }));
  },

  listDocumentationPages: (ctx) => ctx.deps.store.listPages(),

  async getPageContent(ctx, { url }) {
    const content = await ctx.deps.store.pageContent(url);
    if (content !== undefined) return content;
    // The model often drops or invents an anchor: point at the pages that share the rest.
    const base = url.split('#')[0]!;
    const near = (await ctx.deps.store.listPages()).filter((page) => page.split('#')[0] === base).slice(0, 5);
    throw new ModelRetry(
      `no documentation page has the URL ${url}. Use a URL exactly as list_documentation_pages or retrieve_relevant_documentation returned it` +
        (near.length > 0 ? `; pages at that address: ${near.join(', ')}` : '; call list_documentation_pages to see every page'),
    );
  },
};
