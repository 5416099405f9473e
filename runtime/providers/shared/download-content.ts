/**
 * Downloads of prompt content a provider cannot read by URL (the OpenAI Chat API takes documents
 * and audio only as bytes). Prompt URLs can come from users (a client's history keeps them), and
 * the download runs inside the server's network, so it is careful: http(s) only, no hosts on
 * this machine or a private network unless allowed, redirects followed by hand and checked at
 * every hop, and a size cap enforced while reading (a missing or lying `content-length` does
 * not get past it). Uses the global `fetch`, so it runs wherever the runtime does.
 */
import { UnsupportedContentError, UserError } from '../../contract/errors.js';

/** How adapters download prompt content given by URL. */
export interface UrlDownloadOptions {
  /** The largest download accepted, in bytes. Default 20 MB ({@link DEFAULT_MAX_DOWNLOAD_BYTES}). */
  maxBytes?: number;
  /**
   * Allow URLs whose host is this machine or a private network (`localhost`, `127.0.0.1`, `10.*`,
   * `192.168.*`, `169.254.*`, `::1`...). Off by default: a URL from a user must not reach the
   * server's own network (cloud metadata endpoints, internal services).
   */
  allowPrivateHosts?: boolean;
}

/** Bytes downloaded (base64), the media type the server gave (parameters dropped), and the URL's file name. */
export interface DownloadedContent {
  data: string;
  mediaType?: string;
  fileName?: string;
}

/** 20 MB: the largest file OpenAI's Chat API takes in one request is about this size. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

const MAX_REDIRECTS = 5;

/**
 * Downloads `url`. `what` names the provider and the kind in errors (`openai chat models:
 * document-url`). Throws UnsupportedContentError for a URL that is not http(s), a private host
 * (unless allowed) or a body over the cap; UserError for a failed download (an HTTP error, no
 * connection); the signal's reason when it aborts.
 */
export async function downloadContent(url: string, what: string, options: UrlDownloadOptions = {}, signal?: AbortSignal): Promise<DownloadedContent> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  let target = checkedUrl(url, what, options);
  for (let hop = 0; ; hop++) {
    signal?.throwIfAborted();
    let response: Response;
    try {
      response = await fetch(target, { redirect: 'manual', ...(signal ? { signal } : {}) });
    } catch (err) {
      signal?.throwIfAborted();
      throw new UserError(`${what}: could not download ${shown(target)} (${(err as Error).message})`, { cause: err });
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new UserError(`${what}: too many redirects downloading ${shown(url)}`);
      target = checkedUrl(new URL(location, target).href, what, options);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new UserError(`${what}: could not download ${shown(target)}: HTTP ${response.status}`);
    }
    const bytes = await readCapped(response, maxBytes, `${what}: ${shown(target)}`, signal);
    const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    const fileName = decodeURIComponent(new URL(target).pathname.split('/').pop() ?? '');
    return {
      data: toBase64(bytes),
      ...(mediaType ? { mediaType } : {}),
      ...(fileName !== '' ? { fileName } : {}),
    };
  }
}

/** The URL, parsed, if it may be downloaded. */
function checkedUrl(url: string, what: string, options: UrlDownloadOptions): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsupportedContentError(`${what}: the content's url is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new UnsupportedContentError(`${what}: only http(s) URLs are downloaded, not ${parsed.protocol} URLs`);
  if (!options.allowPrivateHosts && privateHost(parsed.hostname))
    throw new UnsupportedContentError(`${what}: ${shown(url)} is on this machine or a private network (set allowPrivateHosts to download it)`);
  return parsed.href;
}

/**
 * Hosts that name this machine or a private network. Literal addresses only: a public name that
 * resolves to a private address is not caught (the runtime has no DNS of its own on every
 * platform), which is why the option defaults to refusing what can be recognised.
 */
function privateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '0.0.0.0') return true;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (host.includes(':')) {
    // Loopback, unspecified, unique-local (fc00::/7), link-local (fe80::/10), and IPv4-mapped forms.
    return host === '::1' || host === '::' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith('::ffff:');
  }
  return false;
}

/** The body, read until it ends or passes `maxBytes` (then the download stops at once). */
async function readCapped(response: Response, maxBytes: number, what: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(what, maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw tooLarge(what, maxBytes);
      }
      chunks.push(value);
    }
  }
  signal?.throwIfAborted();
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(what: string, maxBytes: number): UnsupportedContentError {
  return new UnsupportedContentError(`${what} is larger than ${maxBytes} bytes (the download limit, maxBytes)`);
}

/** A URL for messages: without its query and fragment, which can hold signatures and tokens. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/** Base64 of bytes, on every platform (Buffer where there is one: much faster for large files). */
function toBase64(bytes: Uint8Array): string {
  const buffer = (globalThis as { Buffer?: { from(b: Uint8Array): { toString(encoding: 'base64'): string } } }).Buffer;
  if (buffer) return buffer.from(bytes).toString('base64');
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
