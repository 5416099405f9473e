/**
 * What a user prompt holds, as Gemini parts: text as it is, media by URL as `fileData` (Gemini
 * reads the file itself: Files API URIs, YouTube and public HTTP URLs), media as bytes as
 * `inlineData`. Audio and video by URL come as `audio-url` and `video-url`, or as documents by URL
 * with an `audio/*` or `video/*` media type (histories written before those kinds existed).
 */
import type { Part } from '@google/genai';
import { UnsupportedContentError } from '../../contract/errors.js';
import type { UserContent } from '../../contract/messages.js';

/** Media types Gemini takes inline, beyond every `image/`, `audio/`, `video/` and `text/` type. */
const OTHER_INLINE = new Set(['application/pdf', 'application/json', 'application/x-javascript', 'application/x-python']);

/** Whether Gemini takes content of this media type. */
function acceptedMediaType(mediaType: string): boolean {
  return /^(image|audio|video|text)\//.test(mediaType) || OTHER_INLINE.has(mediaType);
}

/** One item of a user prompt as a Gemini part; UnsupportedContentError for a kind Gemini cannot take. */
export function userContentPart(item: UserContent): Part {
  if (typeof item === 'string') return { text: item };
  switch (item.kind) {
    case 'image-url':
    case 'document-url':
    case 'audio-url':
    case 'video-url': {
      if (item.mediaType !== undefined && !acceptedMediaType(item.mediaType)) {
        throw new UnsupportedContentError(`google (Gemini) does not take ${item.mediaType} content by URL (${item.kind})`);
      }
      return { fileData: { fileUri: item.url, ...(item.mediaType !== undefined ? { mimeType: item.mediaType } : {}) } };
    }
    case 'binary':
      if (!acceptedMediaType(item.mediaType)) {
        throw new UnsupportedContentError(`google (Gemini) takes images, audio, video, PDF and text documents, not ${item.mediaType} content (binary)`);
      }
      return { inlineData: { data: item.data, mimeType: item.mediaType } };
  }
}
