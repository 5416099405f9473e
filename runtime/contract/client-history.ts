/**
 * The trust boundary of a message history: what of a conversation a client may see, and what of a
 * history a client sends may reach the model.
 *
 * A history is the model's whole view of a conversation, and most of it is the server's word:
 * system prompts and instructions, tool calls, what tools returned, retry prompts. Anything a
 * client sends can be forged (nothing in a history is signed), so a history from a client keeps
 * only what a client could have written or been shown anyway: the user's prompts and the
 * assistant's text. The server never trusts a client to tell it what its tools returned; what a
 * tool returned reaches later turns through the assistant's text that followed it. A conversation
 * that needs its tool results later keeps its history on the server (`result.allMessagesJson()`
 * stored by conversation id, read back with `parseMessages`).
 *
 * The same view is what the HTTP helpers send a browser by default (`run-result`), so a client
 * can post back exactly what it was sent.
 */
import type { ModelMessage, ModelRequest, ModelResponse, RequestPart, ResponsePart, TextPart, UserPromptPart } from './messages.js';
import { toolCallArgsJson } from './messages.js';

/** Output tools are named by the runtime (`final_result`, `final_result_<Member>`); the generator keeps other tools off these names. */
export const OUTPUT_TOOL_NAME = /^final_result(_|$)/;

/**
 * The part of a history a client may see and send back: user prompts (text; images, documents,
 * audio and video by URL or as bytes: the same rule for every kind)
 * and the assistant's text. Dropped: system prompts and instructions, retry prompts, thinking, tool
 * calls and tool returns. A call to an output tool (`final_result…`) is kept as the assistant's
 * text, the JSON of its arguments (the answer the user got), unless the run answered it with a
 * retry prompt (an attempt that failed validation). A response keeps its model name and timestamp
 * and no other field (provider response id and details, warnings, finish reason, interrupted); its usage reads zero (the
 * run's usage is reported on its own). Messages left empty are dropped, and consecutive requests
 * (or responses) are joined into one.
 *
 * Idempotent, and it never mutates its input: `clientMessages(clientMessages(h))` equals
 * `clientMessages(h)`.
 */
export function clientMessages(messages: readonly ModelMessage[]): ModelMessage[] {
  // Output tool calls the run answered with a retry prompt were attempts, not answers.
  const retried = new Set<string>();
  for (const message of messages) {
    if (message.kind !== 'request') continue;
    for (const part of message.parts) if (part.kind === 'retry-prompt' && part.toolCallId !== undefined) retried.add(part.toolCallId);
  }
  const out: ModelMessage[] = [];
  for (const message of messages) {
    const kept = message.kind === 'request' ? clientRequest(message) : clientResponse(message, retried);
    if (kept === undefined) continue;
    const last = out.at(-1);
    if (last?.kind === 'request' && kept.kind === 'request') out[out.length - 1] = { kind: 'request', parts: [...last.parts, ...kept.parts] };
    else if (last?.kind === 'response' && kept.kind === 'response') out[out.length - 1] = { ...last, parts: [...last.parts, ...kept.parts] };
    else out.push(kept);
  }
  return out;
}

function clientRequest(request: ModelRequest): ModelRequest | undefined {
  const parts: RequestPart[] = request.parts
    .filter((part): part is UserPromptPart => part.kind === 'user-prompt')
    .map((part) => ({ kind: 'user-prompt', content: typeof part.content === 'string' ? part.content : part.content.map(copy), timestamp: part.timestamp }));
  return parts.length === 0 ? undefined : { kind: 'request', parts };
}

function clientResponse(response: ModelResponse, retried: ReadonlySet<string>): ModelResponse | undefined {
  const parts: ResponsePart[] = [];
  for (const part of response.parts) {
    if (part.kind === 'text') parts.push({ kind: 'text', content: part.content } satisfies TextPart);
    else if (part.kind === 'tool-call' && OUTPUT_TOOL_NAME.test(part.toolName) && !retried.has(part.toolCallId))
      parts.push({ kind: 'text', content: toolCallArgsJson(part) });
  }
  if (parts.length === 0) return undefined;
  return { kind: 'response', parts, modelName: response.modelName, timestamp: response.timestamp, usage: { inputTokens: 0, outputTokens: 0 } };
}

/** A shallow copy of an item of a user prompt (strings as they are). */
function copy<T>(item: T): T {
  return typeof item === 'object' && item !== null ? { ...item } : item;
}
