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

/** JSON of a value, redacted; values that cannot be serialised are described instead of failing the run. */
export function redactedJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  return redactText(text ?? JSON.stringify(String(value)));
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
  const kind = content.kind === 'image-url' ? 'image' : modality(content.mediaType);
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

/** A response as one assistant message. */
function outputMessage(response: ModelResponse): ChatMessage {
  const message: ChatMessage = { role: 'assistant', parts: response.parts.map(responsePart).filter((p): p is Part => p !== undefined) };
  if (response.finishReason) message.finish_reason = finishReason(response.finishReason);
  return message;
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

/** The 1.36 set's events for a request's messages (`gen_ai.system.message`, `gen_ai.user.message`, ...). */
export function legacyInputEvents(messages: readonly ModelMessage[], system: string, binary: boolean): LegacyEvent[] {
  const events: LegacyEvent[] = [];
  for (const message of chatMessages(messages, binary)) {
    const base = { 'gen_ai.system': system };
    if (message.role === 'tool') {
      for (const part of message.parts)
        events.push({ name: 'gen_ai.tool.message', attributes: { ...base, id: String(part['id']), content: redactedJson(part['response']) } });
    } else if (message.role === 'assistant') {
      const text = message.parts.filter((p) => p.type === 'text').map((p) => String(p['content']));
      const calls = message.parts.filter((p) => p.type === 'tool_call');
      events.push({
        name: 'gen_ai.assistant.message',
        attributes: { ...base, content: redactText(text.join('')), ...(calls.length > 0 ? { tool_calls: redactedJson(calls) } : {}) },
      });
    } else {
      events.push({ name: `gen_ai.${message.role}.message`, attributes: { ...base, content: redactedJson(message.parts) } });
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
      ...(response.finishReason ? { finish_reason: finishReason(response.finishReason) } : {}),
      message: redactedJson(outputMessage(response)),
    },
  };
}
