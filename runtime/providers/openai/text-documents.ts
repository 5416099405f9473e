/**
 * Text documents (plain text, CSV, JSON, XML, YAML...) given as bytes: Chat Completions has no
 * content part for them, so they go in as text, framed so the model can tell the file from the
 * prompt and refer to it by id, the same way the reference frames them.
 */
import type OpenAI from 'openai';
import { shortHash } from './short-hash.js';

/** Whether a media type is text the model can read as it is. */
export function isTextLikeMediaType(mediaType: string): boolean {
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/x-yaml' ||
    type === 'application/yaml'
  );
}

/**
 * A text document as a text part: its decoded content between `-----BEGIN FILE-----` and
 * `-----END FILE-----` lines naming its id (the identifier given, else one made from the bytes) and
 * media type.
 */
export function textDocumentPart(base64: string, mediaType: string, identifier: string | undefined): OpenAI.Chat.ChatCompletionContentPartText {
  const id = identifier ?? shortHash(base64, 6);
  const text = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  return { type: 'text', text: [`-----BEGIN FILE id="${id}" type="${mediaType}"-----`, text, `-----END FILE id="${id}"-----`].join('\n') };
}
