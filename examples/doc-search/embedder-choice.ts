/**
 * Which embedder the example uses: OpenAI's text-embedding-3-small when OPENAI_API_KEY is set
 * (the model the reference's store was built with), the offline deterministic embedder otherwise.
 * Both are `Embedder<1536>`: their vectors fit the `vector(1536)` column and the chunk type.
 */
import { DeterministicEmbedder, type Embedder } from 'schemantic';
import { OpenAIEmbedder } from 'schemantic/openai';

/** The model the seed record's embedding was made with. */
export const SEED_EMBEDDING_MODEL = 'openai:text-embedding-3-small';

/** An embedder, its name (stored with the vectors it made) and what that means for the seed record. */
export interface EmbedderChoice {
  embedder: Embedder<1536>;
  /** `openai:text-embedding-3-small` or `deterministic`: a store's vectors all come from one. */
  name: string;
  /**
   * Whether its vectors can be compared with the seed record's own (made by
   * text-embedding-3-small): then the record keeps its embedding, else its content is embedded
   * again, since distances between vectors of two models mean nothing.
   */
  keepsSeedEmbedding: boolean;
  /** One line for the user. */
  description: string;
}

/** OpenAI's embedder with a key, the deterministic one without. */
export function chooseEmbedder(env: NodeJS.ProcessEnv = process.env): EmbedderChoice {
  if (env['OPENAI_API_KEY']) {
    return {
      embedder: OpenAIEmbedder.connect({ model: 'text-embedding-3-small', dimensions: 1536 }),
      name: SEED_EMBEDDING_MODEL,
      keepsSeedEmbedding: true,
      description: 'OpenAI text-embedding-3-small (OPENAI_API_KEY is set)',
    };
  }
  return {
    embedder: new DeterministicEmbedder(),
    name: 'deterministic',
    keepsSeedEmbedding: false,
    description: 'the offline deterministic embedder (words and word pieces hashed: no key, no network, matches words, not meaning)',
  };
}
