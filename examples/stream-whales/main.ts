/**
 * npm run example:stream-whales - the reference's stream whales: the whales agent's structured
 * output (an array of Whale objects) read as it streams, and drawn as a table that gains rows and
 * fills its cells while the model is still writing.
 *
 * In a terminal the table is redrawn in place; piped or logged, it prints one line per whale once
 * that whale is complete (the model has moved on to the next one), then the final table. Without a
 * key it runs on a scripted model that streams seven real species (demo-model.ts); with
 * OPENAI_API_KEY or ANTHROPIC_API_KEY (or SCHEMANTIC_MODEL) a real model answers.
 */
import { parseArgs } from 'node:util';
import type { ModelLike } from 'schemantic';
import { createWhalesAgent } from '../../generated/agents/whales.js';
import { providerModel } from '../provider-model.js';
import { LiveRegion } from '../stream-pages/live-region.js';
import { DEFAULT_PROMPT } from './default-prompt.js';
import { whalesDemoModel } from './demo-model.js';
import { whaleLine, whaleTable } from './whale-table.js';

const USAGE = `Usage: npm run example:stream-whales [-- --prompt "Generate me details of 5 species of whale."]

Streams the whales agent's output (a list of whale species) and shows it as a table that fills in
as the model writes it.

Options:
  --prompt TEXT   ask this instead of the default question
  --help          show this help

Environment (all optional):
  OPENAI_API_KEY, ANTHROPIC_API_KEY, SCHEMANTIC_MODEL   run on a real model (default: a scripted one)`;

function pickModel(): { model: ModelLike; why: string } {
  const { id, reason } = providerModel();
  if (id !== undefined) return { model: id, why: `Model: ${reason}.` };
  return {
    model: whalesDemoModel(),
    why: 'Model: a scripted demo model that streams seven species as a provider would (set OPENAI_API_KEY or ANTHROPIC_API_KEY for a real one).',
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { prompt: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.prompt !== undefined && values.prompt.trim() === '') throw new Error('--prompt needs a question, such as --prompt "Five whales, please."');
  const prompt = values.prompt ?? DEFAULT_PROMPT;
  const { model, why } = pickModel();
  console.log(why);
  console.log(`Asking: ${prompt}`);

  const tty = process.stdout.isTTY === true;
  const width = Math.min(process.stdout.columns || 120, 140);
  const live = new LiveRegion();
  const run = createWhalesAgent({ model }).runStream(prompt);
  let printed = 0;
  let updates = 0;
  // Each value is the output so far: whales begun, fields present as they arrive (a live value,
  // read here before the next one arrives). In a terminal a short debounce keeps redraws cheap.
  for await (const whales of run.outputStream({ debounceMs: tty ? 30 : 0 })) {
    updates++;
    if (tty) live.update(whaleTable(whales, width));
    else
      // A whale is complete once the next one has begun: the model writes them in order.
      for (; printed < whales.length - 1; printed++) console.log(whaleLine(whales[printed]!, printed));
  }
  const whales = await run.output();
  if (tty) live.update(whaleTable(whales, width, true));
  else {
    for (; printed < whales.length; printed++) console.log(whaleLine(whales[printed]!, printed));
    console.log('');
    for (const line of whaleTable(whales, width, true)) console.log(line);
  }
  const usage = run.usage();
  console.log(
    `\nDone: ${whales.length} species, validated against the Whale schema, after ${updates} partial updates (${usage.requests} model request${usage.requests === 1 ? '' : 's'}, ${usage.totalTokens} tokens).`,
  );
}

main().catch((err: unknown) => {
  console.error(`stream-whales example failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
