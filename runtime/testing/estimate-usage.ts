/**
 * Token counts for test models: words, roughly, so usage and limits behave plausibly in tests.
 */
import type { ModelMessage, RequestUsage, ResponsePart } from '../messages.js';

function words(value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return text.split(/[\s",:{}[\]]+/).filter((w) => w !== '').length;
}

/** Usage of a response: the words sent in the conversation, and the words of the answer. */
export function estimateUsage(messages: readonly ModelMessage[], parts: readonly ResponsePart[]): RequestUsage {
  let input = 50;
  for (const m of messages) {
    for (const p of m.parts) {
      if (p.kind === 'tool-call') input += words(p.args);
      else if (p.kind === 'retry-prompt') input += words(p.content);
      else if ('content' in p) input += words(p.content);
    }
  }
  let output = 0;
  for (const p of parts) output += p.kind === 'tool-call' ? words(p.args) + 1 : words(p.content);
  return { inputTokens: input, outputTokens: output };
}
