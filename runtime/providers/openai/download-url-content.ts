/**
 * Prompt content the Chat Completions API cannot take by URL, downloaded before the request is
 * mapped and given to the mapping as bytes (as the reference does): documents, where the provider
 * takes files (a `file` part with base64 data), and WAV or MP3 audio (an `input_audio` part).
 * Images go by URL, and video is refused by the mapping, so they are left as they are; so is
 * whatever the provider would refuse anyway, which is refused without a download.
 */
import { UnsupportedContentError } from '../../contract/errors.js';
import type { AudioUrl, BinaryContent, DocumentUrl, ModelMessage, UserContent } from '../../contract/messages.js';
import { downloadContent, type DownloadedContent, type UrlDownloadOptions } from '../shared/download-content.js';
import type { ProviderProfile } from '../shared/provider-profile.js';
import { inputAudioFormat } from './input-audio.js';

/**
 * Downloads already made, by the item they were made for: a run sends its history again at every
 * step, and the items of a history are the same objects from step to step.
 */
export type DownloadCache = WeakMap<object, Promise<DownloadedContent>>;

/** Media types by file extension, for servers that answer `application/octet-stream` or nothing. */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
};

/**
 * The messages with every document and audio URL the provider can take as bytes replaced by the
 * downloaded bytes (`binary` content); the same array when there is nothing to download. The
 * signal aborts a download under way.
 */
export async function downloadUrlContent(
  messages: readonly ModelMessage[],
  profile: ProviderProfile,
  options: UrlDownloadOptions,
  cache: DownloadCache,
  signal?: AbortSignal,
): Promise<readonly ModelMessage[]> {
  const wanted = (item: UserContent): item is DocumentUrl | AudioUrl => toDownload(item, profile);
  const hasWanted = (m: ModelMessage): boolean =>
    m.kind === 'request' && m.parts.some((p) => p.kind === 'user-prompt' && typeof p.content !== 'string' && p.content.some(wanted));
  if (!messages.some(hasWanted)) return messages;
  const out: ModelMessage[] = [];
  for (const message of messages) {
    if (message.kind !== 'request' || !hasWanted(message)) {
      out.push(message);
      continue;
    }
    const parts = [];
    for (const part of message.parts) {
      if (part.kind !== 'user-prompt' || typeof part.content === 'string') {
        parts.push(part);
        continue;
      }
      const content: UserContent[] = [];
      for (const item of part.content) content.push(wanted(item) ? await downloaded(item, profile, options, cache, signal) : item);
      parts.push({ ...part, content });
    }
    out.push({ ...message, parts });
  }
  return out;
}

/** Whether to download an item: documents where the provider takes files, audio unless its stated type is refused. */
function toDownload(item: UserContent, profile: ProviderProfile): boolean {
  if (typeof item === 'string') return false;
  if (item.kind === 'document-url') return profile.fileInput === true;
  if (item.kind === 'audio-url') return item.mediaType === undefined || inputAudioFormat(item.mediaType) !== undefined;
  return false;
}

async function downloaded(
  item: DocumentUrl | AudioUrl,
  profile: ProviderProfile,
  options: UrlDownloadOptions,
  cache: DownloadCache,
  signal: AbortSignal | undefined,
): Promise<BinaryContent> {
  let pending = cache.get(item);
  if (pending === undefined) {
    pending = downloadContent(item.url, `${profile.name} chat models (${item.kind})`, options, signal);
    cache.set(item, pending);
    // A failed or aborted download is tried again on the next request.
    pending.catch(() => cache.delete(item));
  }
  const file = await pending;
  const mediaType = item.mediaType ?? servedType(file);
  if (item.kind === 'audio-url' && (mediaType === undefined || inputAudioFormat(mediaType) === undefined))
    throw new UnsupportedContentError(`${profile.name} chat models take WAV and MP3 audio, not ${mediaType ?? 'audio of an unknown type'} (audio-url)`);
  const binary: BinaryContent = { kind: 'binary', data: file.data, mediaType: mediaType ?? 'application/octet-stream' };
  if (file.fileName !== undefined) binary.identifier = file.fileName;
  return binary;
}

/** The type the server gave, unless it is the generic one; else what the URL's extension says. */
function servedType(file: DownloadedContent): string | undefined {
  if (file.mediaType !== undefined && file.mediaType !== 'application/octet-stream') return file.mediaType;
  const ext = /\.([a-z0-9]+)$/i.exec(file.fileName ?? '')?.[1]?.toLowerCase();
  return ext === undefined ? undefined : BY_EXTENSION[ext];
}
