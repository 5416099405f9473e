/**
 * Models of `npm run serve` (examples/server.ts) that stream as a provider streams, so that the
 * page shows a run as it would with a real model: no network, no key.
 */
import type { ModelMessage, ResponsePart } from 'schemantic';
import { FunctionModel, type AgentInfo, type StreamChunk } from 'schemantic/testing';

/** What a streamed model answers a request with: the parts of its response. */
export type Answer = (messages: readonly ModelMessage[], info: AgentInfo) => readonly ResponsePart[] | Promise<readonly ResponsePart[]>;

/**
 * A model whose responses are `answer`'s, streamed in pieces: text word by word, tool arguments in
 * fragments, with a pause of `delayMs` between pieces.
 */
export function streamedModel(name: string, answer: Answer, delayMs: number): FunctionModel {
  return new FunctionModel(undefined, {
    name,
    stream: async function* (messages, info) {
      let call = 0;
      for (const part of await answer(messages, info)) {
        let pieces: StreamChunk[] = [];
        if (part.kind === 'text') pieces = part.content.match(/\S+\s*|\s+/g) ?? [];
        else if (part.kind === 'tool-call') {
          const key = call++;
          const json = typeof part.args === 'string' ? part.args : JSON.stringify(part.args);
          pieces = (json.match(/[^]{1,16}/g) ?? ['']).map((jsonArgs, i) => ({
            [key]: i === 0 ? { name: part.toolName, toolCallId: part.toolCallId, jsonArgs } : { jsonArgs },
          }));
        }
        for (const piece of pieces) {
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          yield piece;
        }
      }
    },
  });
}
