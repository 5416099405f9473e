/**
 * The model `npm run example:stream-markdown` and its page run on without a provider key: a
 * scripted FunctionModel that streams a markdown answer (headings, a numbered and a bulleted list,
 * two code blocks) word by word with a pause between words, as a provider streams text.
 *
 * The answer quotes the question back. That is on purpose: text from a user (or a web page, or a
 * tool) that reaches a model can come back in its answer, so the page must treat the answer as
 * untrusted; the tests ask a question full of HTML and check that none of it runs.
 */
import type { ModelMessage } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { latestPrompt } from '../latest-prompt.js';

/** Options of {@link markdownDemoModel}. */
export interface MarkdownDemoOptions {
  /** Pause before each piece (default 15 ms: slow enough to watch; tests pass less). */
  chunkDelayMs?: number;
}

/** The scripted answer to `question` (quoted on one line, after the heading). */
export function demoAnswer(question: string): string {
  const quoted = question.replace(/\s+/g, ' ').trim();
  return `# A first Schemantic agent

> You asked: ${quoted}

Schemantic turns agent definitions written in YAML into typed TypeScript. Three steps:

1. **Define** the agent in \`schemas/\`: its model, instructions, tools and output.
2. **Generate** the code with \`npx schemantic generate\`.
3. **Run** it with the factory the generator wrote.

## The definition

\`\`\`yaml
spec: schemantic/v1
agents:
  haiku_writer:
    description: Writes a haiku about a topic.
    model: openai:gpt-4o
    instructions: Answer with one haiku, nothing else.
\`\`\`

## The code

\`\`\`ts
import 'schemantic/openai'; // registers the openai: model ids
import { createHaikuWriterAgent } from './generated/agents/haiku-writer.js';

const run = createHaikuWriterAgent().runStream('A haiku about whales, please.');
for await (const text of run.textStream({ delta: true })) process.stdout.write(text);
console.log(run.usage());
\`\`\`

## What you get

- A typed output: \`string\` here, or your own type with \`output:\`.
- Tool arguments checked against their schemas before a handler runs.
- Streaming, retries and usage limits from the runtime.
`;
}

/** The pieces a text streams in: a word with the spaces after it (line breaks included). */
export function wordPieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** A scripted streaming model answering every request with {@link demoAnswer} of its latest prompt. */
export function markdownDemoModel(options: MarkdownDemoOptions = {}): FunctionModel {
  const { chunkDelayMs = 15 } = options;
  return new FunctionModel(undefined, {
    name: 'markdown-demo',
    stream: async function* (messages: readonly ModelMessage[]) {
      for (const piece of wordPieces(demoAnswer(latestPrompt(messages)))) {
        if (chunkDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, chunkDelayMs));
        yield piece;
      }
    },
  });
}
