/**
 * The tour's streaming step (examples/stream-whales/): a structured output, an array of whales,
 * read as it streams; each row is printed the moment it is complete.
 */
import { createWhalesAgent } from '../../generated/agents/whales.js';
import { whalesDemoModel } from '../stream-whales/demo-model.js';
import { whaleLine } from '../stream-whales/whale-table.js';
import { say } from './say.js';

/** Streams four whales and prints each row once complete, then how many partial outputs came. */
export async function whalesStep(): Promise<void> {
  const whales = createWhalesAgent({ model: whalesDemoModel({ chunkDelayMs: 5 }) });
  say('Rows as they complete (a row is complete once the next one starts; the last, at the end):');
  let printed = 0;
  let partials = 0;
  for await (const event of whales.runStreamEvents('Generate me details of 4 species of whale.')) {
    if (event.kind === 'partial-output') {
      partials++;
      for (; printed < event.output.length - 1; printed++) say(`  ${whaleLine(event.output[printed]!, printed)}`);
    } else if (event.kind === 'run-result') {
      const rows = event.result.output;
      for (; printed < rows.length; printed++) say(`  ${whaleLine(rows[printed]!, printed)}`);
      say(`${rows.length} whales, validated against the Whale schema, read from ${partials} partial outputs as they streamed.`);
    }
  }
}
