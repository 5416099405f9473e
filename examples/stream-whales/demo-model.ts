/**
 * The model `npm run example:stream-whales` and its page run on without a provider key: a scripted
 * FunctionModel that streams what a provider streams for a structured output, the arguments of the
 * `final_result` tool (`{"response": [...]}`) in small pieces with a pause between them, so the
 * table visibly fills in row by row, cell by cell.
 */
import type { ModelMessage } from 'schemantic';
import { FunctionModel, type StreamChunk } from 'schemantic/testing';
import type { Whale } from '../../generated/types/stream-whales.js';
import { latestPrompt } from '../latest-prompt.js';
import { WHALE_SPECIES } from './whale-species.js';

/** Options of {@link whalesDemoModel}. */
export interface WhalesDemoOptions {
  /** Pause before each piece (default 25 ms: slow enough to watch; tests pass less). */
  chunkDelayMs?: number;
  /** Characters per piece of the JSON arguments (default 8, about what a provider sends per token or two). */
  chunkChars?: number;
  /** The species to answer with (default {@link WHALE_SPECIES}). */
  species?: readonly Whale[];
}

/**
 * How many species the prompt asks for: the first whole number in it ("details of 5 species"),
 * kept between 1 and `available`; every species when it names no number.
 */
export function speciesAsked(prompt: string, available: number): number {
  const asked = /\b(\d{1,3})\b/.exec(prompt)?.[1];
  if (asked === undefined) return available;
  return Math.min(available, Math.max(1, Number(asked)));
}

/** A scripted streaming model answering every request with the first species the prompt asks for. */
export function whalesDemoModel(options: WhalesDemoOptions = {}): FunctionModel {
  const { chunkDelayMs = 25, chunkChars = 8, species = WHALE_SPECIES } = options;
  return new FunctionModel(undefined, {
    name: 'whales-demo',
    stream: async function* (messages: readonly ModelMessage[], info): AsyncGenerator<StreamChunk> {
      const tool = info.outputTools[0];
      if (!tool) throw new Error('the whales demo model needs an agent with an output tool (structured output)');
      const picked = species.slice(0, speciesAsked(latestPrompt(messages), species.length));
      const json = JSON.stringify({ response: picked });
      for (let at = 0; at < json.length; at += chunkChars) {
        if (chunkDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, chunkDelayMs));
        const jsonArgs = json.slice(at, at + chunkChars);
        // The first piece names the call, as a provider's first tool-call delta does.
        yield { 0: at === 0 ? { name: tool.name, toolCallId: 'whales-1', jsonArgs } : { jsonArgs } };
      }
    },
  });
}
