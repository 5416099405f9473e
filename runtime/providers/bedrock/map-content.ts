/**
 * The items of a user prompt as Converse content blocks. Converse takes images, documents and
 * videos as bytes or from S3 (`s3://bucket/key`), never from a web URL; audio only on the few
 * models that take it, so it is refused here with the rest of what cannot be sent.
 */
import type { ContentBlock, DocumentFormat, ImageFormat, VideoFormat } from '@aws-sdk/client-bedrock-runtime';
import { UnsupportedContentError } from '../../contract/errors.js';
import type { UserContent } from '../../contract/messages.js';

const IMAGE_FORMATS: Readonly<Record<string, ImageFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const DOCUMENT_FORMATS: Readonly<Record<string, DocumentFormat>> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'text/html': 'html',
  'text/markdown': 'md',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

const VIDEO_FORMATS: Readonly<Record<string, VideoFormat>> = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/x-matroska': 'mkv',
  'video/webm': 'webm',
  'video/x-flv': 'flv',
  'video/mpeg': 'mpeg',
  'video/x-ms-wmv': 'wmv',
  'video/3gpp': 'three_gp',
};

/** Counts the documents of a request: Converse wants each named, and the names unique. */
export interface DocumentNames {
  next(identifier: string | undefined): string;
}

/** Names `Document 1`, `Document 2`... unless an item brings an identifier Bedrock accepts. */
export function documentNames(): DocumentNames {
  let n = 0;
  const used = new Set<string>();
  return {
    next(identifier) {
      n++;
      // Bedrock allows letters, digits, single spaces, hyphens, parentheses and square brackets.
      const cleaned = identifier
        ?.replace(/[^A-Za-z0-9 ()[\]-]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      let name = cleaned && !used.has(cleaned) ? cleaned : `Document ${n}`;
      // An identifier can be a name this counter makes (`Document 2`): the next free number is taken.
      while (used.has(name)) name = `Document ${++n}`;
      used.add(name);
      return name;
    },
  };
}

/** One item of a user prompt as a content block; throws UnsupportedContentError for what Bedrock cannot take. */
export function userContentBlock(item: UserContent, names: DocumentNames): ContentBlock {
  if (typeof item === 'string') return { text: item };
  switch (item.kind) {
    case 'image-url': {
      const format = IMAGE_FORMATS[item.mediaType ?? mediaTypeOf(item.url) ?? ''];
      if (!item.url.startsWith('s3://') || format === undefined) throw refused('image', 'by URL (only from S3, with a known image type)');
      return { image: { format, source: { s3Location: { uri: item.url } } } };
    }
    case 'document-url': {
      const format = DOCUMENT_FORMATS[item.mediaType ?? mediaTypeOf(item.url) ?? ''];
      if (!item.url.startsWith('s3://') || format === undefined) throw refused('document', 'by URL (only from S3, with a known document type)');
      return { document: { format, name: names.next(undefined), source: { s3Location: { uri: item.url } } } };
    }
    case 'video-url': {
      const format = VIDEO_FORMATS[item.mediaType ?? mediaTypeOf(item.url) ?? ''];
      if (!item.url.startsWith('s3://') || format === undefined) throw refused('video', 'by URL (video-url; only from S3, with a known video type)');
      return { video: { format, source: { s3Location: { uri: item.url } } } };
    }
    case 'audio-url':
      throw refused('audio', 'by URL (audio-url)');
    case 'binary': {
      const bytes = Buffer.from(item.data, 'base64');
      const image = IMAGE_FORMATS[item.mediaType];
      if (image !== undefined) return { image: { format: image, source: { bytes } } };
      const document = DOCUMENT_FORMATS[item.mediaType];
      if (document !== undefined) return { document: { format: document, name: names.next(item.identifier), source: { bytes } } };
      const video = VIDEO_FORMATS[item.mediaType];
      if (video !== undefined) return { video: { format: video, source: { bytes } } };
      const kind = item.mediaType.split('/')[0] ?? 'file';
      throw refused(kind === 'application' ? 'file' : kind, `of type ${item.mediaType}`);
    }
  }
}

function refused(kind: string, how: string): UnsupportedContentError {
  return new UnsupportedContentError(
    `Bedrock (Converse) cannot take ${kind} content ${how}: it takes PNG, JPEG, GIF and WebP images, PDF, text, CSV, HTML, Markdown and Office documents, and videos, as bytes or from S3`,
  );
}

/** The media type an S3 key's extension names, when it names one. */
function mediaTypeOf(url: string): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(url)?.[1]?.toLowerCase();
  const byExt: Record<string, string> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
    webp: 'image/webp',
    mp4: 'video/mp4',
    mov: 'video/quicktime',
    mkv: 'video/x-matroska',
    webm: 'video/webm',
    pdf: 'application/pdf',
    txt: 'text/plain',
    csv: 'text/csv',
    html: 'text/html',
    md: 'text/markdown',
    doc: 'application/msword',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    xls: 'application/vnd.ms-excel',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  };
  return ext === undefined ? undefined : byExt[ext];
}
