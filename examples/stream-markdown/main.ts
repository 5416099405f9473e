/**
 * npm run example:stream-markdown - the reference's stream markdown: the markdown_writer agent's
 * text answer read as it streams (`runStream(...).textStream({ delta: true })`).
 *
 * In a terminal the markdown is drawn as it arrives (headings bold, lists with bullets, code
 * blocks set off), the line being written redrawn in place; piped or logged, the markdown text
 * itself is written as it streams. Without a key it runs on a scripted model (demo-model.ts);
 * with OPENAI_API_KEY or ANTHROPIC_API_KEY (or SCHEMANTIC_MODEL) a real model answers.
 */
import { parseArgs } from 'node:util';
import type { ModelLike } from 'schemantic';
import { createMarkdownWriterAgent } from '../../generated/agents/markdown-writer.js';
import { providerModel } from '../provider-model.js';
import { LiveRegion } from '../stream-pages/live-region.js';
import { DEFAULT_PROMPT } from './default-prompt.js';
import { markdownDemoModel } from './demo-model.js';
import { TerminalMarkdown } from './terminal-markdown.js';

const USAGE = `Usage: npm run example:stream-markdown [-- --prompt "Explain JSON Schema in a few lines."]

Streams the markdown_writer agent's answer, drawing the markdown as it arrives.

Options:
  --prompt TEXT   ask this instead of the default question
  --help          show this help

Environment (all optional):
  OPENAI_API_KEY, ANTHROPIC_API_KEY, SCHEMANTIC_MODEL   run on a real model (default: a scripted one)`;

function pickModel(): { model: ModelLike; why: string } {
  const { id, reason } = providerModel();
  if (id !== undefined) return { model: id, why: `Model: ${reason}.` };
  return {
    model: markdownDemoModel(),
    why: 'Model: a scripted demo model that streams a markdown answer word by word (set OPENAI_API_KEY or ANTHROPIC_API_KEY for a real one).',
  };
}

/** Draws the markdown in a terminal: finished lines once, the line being written in place. */
function terminalWriter(): { add(delta: string): void; end(): void } {
  const markdown = new TerminalMarkdown();
  const live = new LiveRegion();
  let pending = '';
  return {
    add(delta) {
      pending += delta;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      const settled = lines.map((line) => markdown.line(line, true));
      live.update(pending === '' ? [] : [markdown.line(pending, false)], settled);
    },
    end() {
      live.update(pending === '' ? [] : [markdown.line(pending, true)]);
      live.keep();
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { prompt: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.prompt !== undefined && values.prompt.trim() === '')
    throw new Error('--prompt needs a question, such as --prompt "Explain JSON Schema in a few lines."');
  const prompt = values.prompt ?? DEFAULT_PROMPT;
  const { model, why } = pickModel();
  console.log(why);
  console.log(`Asking: ${prompt}\n`);

  const tty = process.stdout.isTTY === true;
  const terminal = tty ? terminalWriter() : undefined;
  const run = createMarkdownWriterAgent({ model }).runStream(prompt);
  let pieces = 0;
  for await (const delta of run.textStream({ delta: true })) {
    pieces++;
    if (terminal) terminal.add(delta);
    else process.stdout.write(delta);
  }
  const answer = await run.output();
  if (terminal) terminal.end();
  else if (!answer.endsWith('\n')) process.stdout.write('\n');
  const usage = run.usage();
  console.log(
    `\nDone: ${answer.length} characters of markdown in ${pieces} streamed pieces (${usage.requests} model request${usage.requests === 1 ? '' : 's'}, ${usage.totalTokens} tokens).`,
  );
}

main().catch((err: unknown) => {
  console.error(`stream-markdown example failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
