/**
 * Token counts for test models: about one token per four characters, so usage and limits behave
 * plausibly in tests. Parts are counted once (messages do not change once recorded), so
 * estimating a long conversation at every step stays cheap.
 */
import type { ModelMessage, RequestUsage, ResponsePart } from '../contract/messages.js';

const counted = new WeakMap<object, number>();

function tokens(value: unknown): number {
  const length = typeof value === 'string' ? value.length : (JSON.stringify(value) ?? '').length;
  return Math.ceil(length / 4);
}

function partTokens(part: object & { kind: string }): number {
  let n = counted.get(part);
  if (n === undefined) {
    const p = part as { kind: string; args?: unknown; content?: unknown };
    n = p.kind === 'tool-call' ? tokens(p.args) + 1 : tokens(p.content);
    counted.set(part, n);
  }
  return n;
}

/** Usage of a response: the tokens sent in the conversation, and the tokens of the answer. */
export function estimateUsage(messages: readonly ModelMessage[], parts: readonly ResponsePart[]): RequestUsage {
  let input = 50;
  for (const m of messages) for (const p of m.parts) input += partTokens(p);
  let output = 0;
  for (const p of parts) output += partTokens(p);
  return { inputTokens: input, outputTokens: output };
}
