/**
 * A run's messages, in the runtime's JSON form (runtime/contract/messages.ts), as HTML: each
 * request and response with its parts (system and user prompts, tool calls and returns, retry
 * prompts, thinking, text). The report holds them as `unknown[]` (a report is data read back from
 * a file), so every field is checked before it is read, and anything of another shape is shown as
 * JSON. URLs in prompts are shown, never loaded.
 */
import { escapeHtml, shownValue } from './html-escape.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const pre = (text: string) => `<pre>${escapeHtml(text)}</pre>`;

/** One part: its kind as a heading, what it says below. */
function part(kind: string, title: string, body: string): string {
  return `<div class="part" data-part="${escapeHtml(kind)}"><div class="part-kind">${escapeHtml(title)}</div>${body}</div>`;
}

/** A user prompt's content: text, or a list of text, URLs and binary items. */
function userContent(content: unknown): string {
  if (typeof content === 'string') return pre(content);
  if (!Array.isArray(content)) return pre(shownValue(content));
  return content
    .map((item) => {
      if (typeof item === 'string') return pre(item);
      if (isObject(item) && (item['kind'] === 'image-url' || item['kind'] === 'document-url'))
        return pre(`[${item['kind'] === 'image-url' ? 'image' : 'document'}: ${str(item['url']) ?? '?'}]`);
      if (isObject(item) && item['kind'] === 'binary')
        return pre(
          `[binary ${str(item['mediaType']) ?? ''}${str(item['identifier']) ? ` ${str(item['identifier'])}` : ''}, ${str(item['data'])?.length ?? 0} base64 characters]`,
        );
      return pre(shownValue(item));
    })
    .join('');
}

/** Tool arguments: a JSON string as the model sent it is shown parsed (indented) when it parses. */
function toolArgs(args: unknown): string {
  if (typeof args !== 'string') return shownValue(args);
  try {
    return shownValue(JSON.parse(args));
  } catch {
    return args;
  }
}

function requestPart(p: Json): string {
  switch (p['kind']) {
    case 'system-prompt':
      return part('system-prompt', 'system prompt', pre(str(p['content']) ?? shownValue(p['content'])));
    case 'user-prompt':
      return part('user-prompt', 'user', userContent(p['content']));
    case 'tool-return':
      return part('tool-return', `tool return: ${str(p['toolName']) ?? '?'}`, pre(shownValue(p['content'])));
    case 'retry-prompt': {
      const content = p['content'];
      const text = Array.isArray(content)
        ? content.map((d) => (isObject(d) ? `${str(d['path']) || '(the whole value)'}: ${str(d['message']) ?? ''}` : shownValue(d))).join('\n')
        : (str(content) ?? shownValue(content));
      return part('retry-prompt', `retry${str(p['toolName']) ? `: ${str(p['toolName'])}` : ''}`, pre(text));
    }
    default:
      return part('other', 'part', pre(shownValue(p)));
  }
}

function responsePart(p: Json): string {
  switch (p['kind']) {
    case 'text':
      return part('text', 'text', pre(str(p['content']) ?? shownValue(p['content'])));
    case 'tool-call':
      return part('tool-call', `tool call: ${str(p['toolName']) ?? '?'}`, pre(toolArgs(p['args'])));
    case 'thinking':
      return part('thinking', 'thinking', p['redacted'] === true ? pre('[redacted thinking]') : pre(str(p['content']) ?? ''));
    default:
      return part('other', 'part', pre(shownValue(p)));
  }
}

function usageText(usage: unknown): string {
  if (!isObject(usage) || typeof usage['inputTokens'] !== 'number' || typeof usage['outputTokens'] !== 'number') return '';
  return ` · ${usage['inputTokens']} in, ${usage['outputTokens']} out`;
}

function message(m: unknown): string {
  if (!isObject(m) || (m['kind'] !== 'request' && m['kind'] !== 'response') || !Array.isArray(m['parts']))
    return `<li class="message" data-kind="other"><div class="role">message</div>${pre(shownValue(m))}</li>`;
  const parts = (m['parts'] as unknown[]).filter(isObject);
  if (m['kind'] === 'request') {
    const instructions = str(m['instructions']);
    const head = instructions ? `<details class="instructions"><summary>instructions</summary>${pre(instructions)}</details>` : '';
    return `<li class="message" data-kind="request"><div class="role">request</div>${head}${parts.map(requestPart).join('')}</li>`;
  }
  const model = str(m['modelName']);
  const role = `response${model ? ` · ${model}` : ''}${usageText(m['usage'])}${m['interrupted'] === true ? ' · interrupted' : ''}`;
  return `<li class="message" data-kind="response"><div class="role">${escapeHtml(role)}</div>${parts.map(responsePart).join('')}</li>`;
}

/** The messages as an ordered list. */
export function renderMessages(messages: readonly unknown[]): string {
  if (messages.length === 0) return '<p class="none">No messages.</p>';
  return `<ol class="messages">${messages.map(message).join('')}</ol>`;
}
