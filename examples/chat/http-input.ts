/**
 * What the chat server accepts from a browser, checked before anything runs: a chat id that is a
 * UUID, and a JSON body `{ "prompt": "..." }` of bounded size. Nothing else: the conversation is
 * the server's own, so a body that carries a history (or anything besides the prompt) is refused
 * rather than silently ignored.
 */
import { HttpError } from '../http/http-error.js';

/**
 * The largest request body read, in bytes (a prompt is at most {@link MAX_PROMPT_CHARS} characters).
 * Read as `application/json` only: a cross-site form can post text/plain without asking, but not
 * JSON, so a page elsewhere cannot start runs in someone's chat.
 */
export const MAX_BODY_BYTES = 16 * 1024;

/** The longest prompt accepted, in characters. */
export const MAX_PROMPT_CHARS = 4000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The chat id of a path segment, lower-cased; a 400 unless it is a UUID. */
export function chatIdOf(segment: string): string {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    id = segment;
  }
  if (!UUID.test(id)) throw new HttpError(400, 'the chat id must be a UUID, such as 0b7c2f8e-5d1a-4c3e-9f00-1a2b3c4d5e6f');
  return id.toLowerCase();
}

/** The prompt of a `POST /chat/:id` body: `{ "prompt": "<1 to 4000 characters>" }`, trimmed. */
export function promptOf(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'the body must be a JSON object: { "prompt": "..." }');
  const extra = Object.keys(body).find((key) => key !== 'prompt');
  if (extra !== undefined)
    throw new HttpError(400, `unexpected field ${JSON.stringify(extra).slice(0, 80)}: the server keeps the conversation, send only { "prompt": "..." }`);
  const prompt = (body as { prompt?: unknown }).prompt;
  if (typeof prompt !== 'string') throw new HttpError(400, 'the body needs a prompt, a string: { "prompt": "..." }');
  const text = prompt.trim();
  if (text === '') throw new HttpError(400, 'the prompt is empty: type a question');
  if (text.length > MAX_PROMPT_CHARS) throw new HttpError(400, `the prompt is longer than ${MAX_PROMPT_CHARS} characters`);
  // PostgreSQL text cannot hold a NUL character, and no keyboard types one.
  if (text.includes('\u0000')) throw new HttpError(400, 'the prompt contains a NUL character');
  return text;
}
