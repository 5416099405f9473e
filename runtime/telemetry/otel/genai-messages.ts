/**
 * Messages in the conventions' format, for content capture: Schemantic's neutral messages as the
 * GenAI `gen_ai.input.messages` / `gen_ai.output.messages` JSON (role + typed parts), or as the
 * span events of the 1.36 set. Serialised once and redacted as text: API keys and key-shaped
 * strings never reach an attribute.
 */
import { redactText } from '../../contract/redact.js';
import type { ModelMessage, ModelResponse, RequestPart, ResponsePart, UserContent } from '../../contract/messages.js';
import { finishReason } from './genai-attributes.js';

/** One part of a message, as the conventions spell it. */
type Part = Record<string, unknown> & { type: string };

/** One message: a role and its parts (and, for a model's output, why it stopped). */
interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  parts: Part[];
  finish_reason?: string;
}

/** A value as text, whatever it is (`String()` throws for an object without a prototype, or whose `toString` throws). */
export function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * JSON of a value, redacted. Never throws: a value JSON cannot hold (a BigInt, a cycle) is
 * described instead, since tracing must not fail a run that would have succeeded untraced.
 */
export function redactedJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  return redactText(text ?? JSON.stringify(describe(value)));
}

/** The arguments of a tool call as a value (parsed when they are JSON text). */
function argsValue(args: string | object): unknown {
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

function modality(mediaType: string | undefined): string | undefined {
  const kind = mediaType?.split('/')[0];
  return kind === 'image' || kind === 'audio' || kind === 'video' ? kind : undefined;
}

/** What a URL kind says of its modality; a document's comes from its media type (a video sent as a document-url). */
const URL_MODALITY: Readonly<Record<string, string>> = { 'image-url': 'image', 'audio-url': 'audio', 'video-url': 'video' };

function contentPart(content: UserContent, binary: boolean): Part {
  if (typeof content === 'string') return { type: 'text', content };
  if (content.kind === 'binary') {
    const part: Part = { type: 'blob', mime_type: content.mediaType };
    const kind = modality(content.mediaType);
    if (kind) part['modality'] = kind;
    if (binary) part['content'] = content.data;
    return part;
  }
  const part: Part = { type: 'uri', uri: content.url };
  if (content.mediaType) part['mime_type'] = content.mediaType;
  const kind = URL_MODALITY[content.kind] ?? modality(content.mediaType);
  if (kind) part['modality'] = kind;
  return part;
}

function requestPart(part: RequestPart, binary: boolean): { role: ChatMessage['role']; parts: Part[] } {
  switch (part.kind) {
    case 'system-prompt':
      return { role: 'system', parts: [{ type: 'text', content: part.content }] };
    case 'user-prompt':
      return {
        role: 'user',
        parts: typeof part.content === 'string' ? [{ type: 'text', content: part.content }] : part.content.map((c) => contentPart(c, binary)),
      };
    case 'tool-return':
      return { role: 'tool', parts: [{ type: 'tool_call_response', id: part.toolCallId, response: part.content }] };
    case 'retry-prompt': {
      const text = typeof part.content === 'string' ? part.content : part.content.map((d) => `${d.path}: ${d.message}`).join('\n');
      return part.toolCallId !== undefined
        ? { role: 'tool', parts: [{ type: 'tool_call_response', id: part.toolCallId, response: text }] }
        : { role: 'user', parts: [{ type: 'text', content: text }] };
    }
  }
}

function responsePart(part: ResponsePart): Part | undefined {
  switch (part.kind) {
    case 'text':
      return { type: 'text', content: part.content };
    case 'tool-call':
      return { type: 'tool_call', id: part.toolCallId, name: part.toolName, arguments: argsValue(part.args) };
    case 'thinking':
      // Redacted thinking is opaque provider data, not text.
      return part.redacted ? undefined : { type: 'reasoning', content: part.content };
  }
}

/**
 * A response as one assistant message. The conventions require a finish reason on an output
 * message: a response that reports none (a test model, an interrupted stream) gets the one its
 * parts imply (`tool_call` when it calls a tool, else `stop`).
 */
function outputMessage(response: ModelResponse): ChatMessage {
  const parts = response.parts.map(responsePart).filter((p): p is Part => p !== undefined);
  const implied = response.parts.some((p) => p.kind === 'tool-call') ? 'tool_call' : 'stop';
  return { role: 'assistant', parts, finish_reason: response.finishReason ? finishReason(response.finishReason) : implied };
}

/** Messages in the conventions' format; consecutive request parts of one role share a message. */
export function chatMessages(messages: readonly ModelMessage[], binary: boolean): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    if (message.kind === 'response') {
      out.push(outputMessage(message));
      continue;
    }
    let last: ChatMessage | undefined;
    for (const part of message.parts) {
      const { role, parts } = requestPart(part, binary);
      if (last?.role === role) last.parts.push(...parts);
      else out.push((last = { role, parts }));
    }
  }
  return out;
}

/** `gen_ai.input.messages` of a request. */
export function inputMessagesJson(messages: readonly ModelMessage[], binary: boolean): string {
  return redactedJson(chatMessages(messages, binary));
}

/** `gen_ai.output.messages` of a response. */
export function outputMessagesJson(response: ModelResponse): string {
  return redactedJson([outputMessage(response)]);
}

/** `gen_ai.system_instructions`: the instructions sent with a request. */
export function instructionsJson(instructions: string): string {
  return redactedJson([{ type: 'text', content: instructions }]);
}

/** A span event of the 1.36 set: its name and attributes. */
export interface LegacyEvent {
  name: string;
  attributes: Record<string, string | number>;
}

/** The text of a request part's content, as the 1.36 events carry it. */
function partText(part: RequestPart): string {
  switch (part.kind) {
    case 'system-prompt':
      return part.content;
    case 'user-prompt':
      return typeof part.content === 'string' ? part.content : part.content.map((c) => (typeof c === 'string' ? c : '')).join('');
    case 'tool-return':
      return typeof part.content === 'string' ? part.content : redactedJson(part.content);
    case 'retry-prompt':
      return typeof part.content === 'string' ? part.content : part.content.map((d) => `${d.path}: ${d.message}`).join('\n');
  }
}

/** A response in the 1.36 shape: `content` (its text) and `tool_calls` (`{id, type, function: {name, arguments}}`). */
function legacyMessage(response: ModelResponse): { content?: string; tool_calls?: unknown[] } {
  const text = response.parts.flatMap((p) => (p.kind === 'text' ? [p.content] : [])).join('');
  const calls = response.parts.flatMap((p) =>
    p.kind === 'tool-call' ? [{ id: p.toolCallId, type: 'function', function: { name: p.toolName, arguments: argsValue(p.args) } }] : [],
  );
  return { ...(text !== '' ? { content: text } : {}), ...(calls.length > 0 ? { tool_calls: calls } : {}) };
}

/**
 * The 1.36 set's events for a request's messages, in the shapes of that version's GenAI events:
 * `gen_ai.system.message` / `gen_ai.user.message` (`content`), `gen_ai.assistant.message`
 * (`content`, `tool_calls`), `gen_ai.tool.message` (`content`, `id`). Structured values are JSON
 * text: span event attributes hold only scalars.
 */
export function legacyInputEvents(messages: readonly ModelMessage[], system: string): LegacyEvent[] {
  const events: LegacyEvent[] = [];
  const base = { 'gen_ai.system': system };
  for (const message of messages) {
    if (message.kind === 'response') {
      const { content, tool_calls } = legacyMessage(message);
      events.push({
        name: 'gen_ai.assistant.message',
        attributes: {
          ...base,
          ...(content !== undefined ? { content: redactText(content) } : {}),
          ...(tool_calls ? { tool_calls: redactedJson(tool_calls) } : {}),
        },
      });
      continue;
    }
    for (const part of message.parts) {
      const content = redactText(partText(part));
      if (part.kind === 'system-prompt') events.push({ name: 'gen_ai.system.message', attributes: { ...base, content } });
      else if (part.kind === 'user-prompt' || (part.kind === 'retry-prompt' && part.toolCallId === undefined))
        events.push({ name: 'gen_ai.user.message', attributes: { ...base, content } });
      else events.push({ name: 'gen_ai.tool.message', attributes: { ...base, content, id: part.toolCallId ?? '' } });
    }
  }
  return events;
}

/** The 1.36 set's `gen_ai.choice` event for a response. */
export function legacyChoiceEvent(response: ModelResponse, system: string): LegacyEvent {
  return {
    name: 'gen_ai.choice',
    attributes: {
      'gen_ai.system': system,
      index: 0,
      finish_reason: outputMessage(response).finish_reason!,
      message: redactedJson(legacyMessage(response)),
    },
  };
}
