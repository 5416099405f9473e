/** The command line of `npm run example:doc-search`: its options, their checks, and its help. */
import { parseArgs } from 'node:util';

/** What the command line asks for. */
export interface CliOptions {
  /** Questions to ask (none given: the sample questions). */
  questions: string[];
  /** A folder to keep the PGlite store in, across runs. */
  dataDir: string | undefined;
  /** Read questions from stdin, one a line. */
  interactive: boolean;
  help: boolean;
}

/** The questions asked when none is given. */
export const SAMPLE_QUESTIONS = ['How do durable runs use PostgreSQL?', 'How do I build a vector store with embeddings?'];

/** The help text. */
export const USAGE = `Documentation search (RAG): builds a vector store of Schemantic's documentation (README.md and
docs/, split into sections and chunks, each embedded) plus one crawled PydanticAI record, then lets
the doc_search agent answer questions with its three tools, citing the pages it used.

Usage: npm run example:doc-search -- [options]

Options:
  --question TEXT   ask TEXT (may be repeated); default: ${SAMPLE_QUESTIONS.map((q) => JSON.stringify(q)).join(' and ')}
  --data-dir DIR    keep the embedded store (PGlite) in DIR: a second run embeds only what changed
  --interactive     read questions from stdin, one a line, until the end of the input
  --help            show this help

Environment:
  DATABASE_URL      use this PostgreSQL server (with pgvector) instead of the embedded PGlite
  OPENAI_API_KEY    embed with OpenAI's text-embedding-3-small and answer with openai:gpt-4o
                    (without it: the offline deterministic embedder and a scripted model)
  SCHEMANTIC_MODEL  answer with this model id instead (e.g. anthropic:claude-sonnet-5-5)`;

/** Reads the command line; an unknown option or a missing value throws, with a message for the user. */
export function parseCliOptions(args: readonly string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      question: { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      interactive: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const questions = (values.question ?? []).map((q) => q.trim());
  if (questions.some((q) => q === '')) throw new Error('--question needs some text');
  const dataDir = values['data-dir'];
  if (dataDir !== undefined && env['DATABASE_URL'])
    throw new Error('--data-dir keeps the embedded PGlite store; DATABASE_URL is set, so the store is on that server: use one or the other');
  if (values.interactive && questions.length > 0) throw new Error('--interactive reads the questions from stdin: give no --question with it');
  return { questions, dataDir, interactive: values.interactive ?? false, help: values.help ?? false };
}
