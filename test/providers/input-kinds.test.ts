/**
 * Every kind of prompt content, sent to every adapter: text, images, PDFs, audio and video, by URL
 * and as bytes. Each adapter either maps a kind to its provider's exact part or refuses it with an
 * UnsupportedContentError that names the provider and the kind. Then the OpenAI Chat adapter's
 * downloads (documents and audio by URL become bytes) against a local server, end to end through
 * the SDK and a replay server; the Google adapter's audio and video URLs on recorded traffic; and
 * the new kinds through the JSON form of histories.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientMessages,
  messagesToJson,
  MessageHistoryError,
  parseClientMessages,
  parseMessages,
  UnsupportedContentError,
  UserError,
  type ModelMessage,
  type ModelStreamEvent,
  type UserContent,
} from 'schemantic';
import { GoogleModel } from 'schemantic/google';
import { requestBody as anthropicBody } from '../../runtime/providers/anthropic/map-request.js';
import { documentNames, userContentBlock } from '../../runtime/providers/bedrock/map-content.js';
import { userContentPart } from '../../runtime/providers/google/map-user-content.js';
import { downloadUrlContent } from '../../runtime/providers/openai/download-url-content.js';
import { requestBody as chatBody } from '../../runtime/providers/openai/map-request.js';
import { responsesRequestBody } from '../../runtime/providers/openai/map-responses-request.js';
import { openAICompatibleProfile } from '../../runtime/providers/openai/profiles.js';
import { chatMessages } from '../../runtime/telemetry/otel/genai-messages.js';
import { CANARY_KEY, expectNoCanary, noTools, openaiModel, sentBodies, userPrompt, withReplay } from './harness.js';
import { loadCassette, type Exchange } from './replay-server.js';

const PNG = 'iVBORw0KGgo=';
const PDF = 'JVBERi0xLjQKMSAwIG9iajw8L1R5cGUvQ2F0YWxvZz4+ZW5kb2JqCnRyYWlsZXI8PC9Sb290IDEgMCBSPj4KJSVFT0YK';
const WAV = 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=';
const MP4 = 'AAAAGGZ0eXBtcDQyAAAAAG1wNDI=';

/** The local server the OpenAI Chat adapter downloads from; it counts what it serves. */
let media: Server;
let mediaUrl = '';
const served: string[] = [];

beforeAll(async () => {
  media = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    served.push(url.pathname);
    const send = (type: string, base64: string) => res.writeHead(200, { 'content-type': type }).end(Buffer.from(base64, 'base64'));
    switch (url.pathname) {
      case '/report.pdf':
        return send('application/pdf', PDF);
      case '/alloy.wav':
        return send('audio/wav; codec=pcm', WAV);
      case '/untyped.wav':
        return send('application/octet-stream', WAV);
      case '/song.ogg':
        return send('audio/ogg', 'T2dnUw==');
      case '/moved.pdf':
        return res.writeHead(302, { location: '/report.pdf' }).end();
      case '/big.pdf':
        // No content-length: the cap has to hold while reading.
        res.writeHead(200, { 'content-type': 'application/pdf' });
        for (let i = 0; i < 8; i++) res.write(Buffer.alloc(512, 0x25));
        return res.end();
      case '/declared-big.pdf':
        return res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '5000' }).end(Buffer.alloc(5000));
      case '/slow.pdf':
        return; // never answers: only an abort ends the wait
      default:
        return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
  mediaUrl = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
});

afterAll(async () => {
  media.closeAllConnections();
  await new Promise((resolve) => media.close(resolve));
});

// ---------------------------------------------------------------------------------------------
// The table: each kind to each adapter.

type Kind = 'text' | 'image URL' | 'image bytes' | 'PDF URL' | 'PDF bytes' | 'audio URL' | 'audio bytes' | 'video URL' | 'video bytes';

/** The item of each kind; URLs under `base` (the local media server, an S3 bucket, a web host). */
function item(kind: Kind, base: string): UserContent {
  switch (kind) {
    case 'text':
      return 'Describe this.';
    case 'image URL':
      return { kind: 'image-url', url: `${base}/cat.png`, mediaType: 'image/png' };
    case 'image bytes':
      return { kind: 'binary', data: PNG, mediaType: 'image/png' };
    case 'PDF URL':
      return { kind: 'document-url', url: `${base}/report.pdf`, mediaType: 'application/pdf' };
    case 'PDF bytes':
      return { kind: 'binary', data: PDF, mediaType: 'application/pdf' };
    case 'audio URL':
      return { kind: 'audio-url', url: `${base}/alloy.wav`, mediaType: 'audio/wav' };
    case 'audio bytes':
      return { kind: 'binary', data: WAV, mediaType: 'audio/wav' };
    case 'video URL':
      return { kind: 'video-url', url: `${base}/panda.mp4`, mediaType: 'video/mp4' };
    case 'video bytes':
      return { kind: 'binary', data: MP4, mediaType: 'video/mp4' };
  }
}

/** What an adapter is expected to do with a kind: this exact part, or a refusal matching `refused`. */
type Expected = { part: unknown } | { refused: RegExp };

interface Adapter {
  name: string;
  base: () => string;
  /** The provider part the adapter makes of one item (async: the OpenAI Chat adapter downloads). */
  map: (item: UserContent) => Promise<unknown>;
  expected: (base: string) => Record<Kind, Expected>;
}

const openai = openAICompatibleProfile('openai')!;
const web = 'https://example.com';
const s3 = 's3://media-bucket';
const contentOf = (body: { messages: readonly unknown[] }) => (body.messages[0] as { content: unknown[] }).content[0];

const adapters: Adapter[] = [
  {
    name: 'OpenAI Chat',
    base: () => mediaUrl,
    map: async (it) => {
      const messages = await downloadUrlContent(userPrompt([it]), openai, { allowPrivateHosts: true }, new WeakMap());
      return contentOf(chatBody('gpt-4o', openai, messages, undefined, noTools));
    },
    expected: (base) => ({
      text: { part: { type: 'text', text: 'Describe this.' } },
      'image URL': { part: { type: 'image_url', image_url: { url: `${base}/cat.png` } } },
      'image bytes': { part: { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } } },
      'PDF URL': { part: { type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}`, filename: 'report.pdf' } } },
      'PDF bytes': { part: { type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}`, filename: 'document.pdf' } } },
      'audio URL': { part: { type: 'input_audio', input_audio: { data: WAV, format: 'wav' } } },
      'audio bytes': { part: { type: 'input_audio', input_audio: { data: WAV, format: 'wav' } } },
      'video URL': { refused: /^openai chat models .*video.*\(video-url\)/ },
      'video bytes': { refused: /^openai chat models .*video.*video\/mp4 \(binary\)/ },
    }),
  },
  {
    name: 'OpenAI Responses',
    base: () => web,
    map: async (it) => {
      const input = responsesRequestBody('gpt-4o', userPrompt([it]), undefined, noTools, {}).input as { content: unknown[] }[];
      return input[0]!.content[0];
    },
    expected: (base) => ({
      text: { part: { type: 'input_text', text: 'Describe this.' } },
      'image URL': { part: { type: 'input_image', image_url: `${base}/cat.png`, detail: 'auto' } },
      'image bytes': { part: { type: 'input_image', image_url: `data:image/png;base64,${PNG}`, detail: 'auto' } },
      'PDF URL': { part: { type: 'input_file', file_url: `${base}/report.pdf` } },
      'PDF bytes': { part: { type: 'input_file', file_data: `data:application/pdf;base64,${PDF}`, filename: 'document.pdf' } },
      'audio URL': { refused: /^OpenAI Responses models .*audio.*\(audio-url\)/ },
      'audio bytes': { refused: /^OpenAI Responses models .*audio.*\(audio\/wav\)/ },
      'video URL': { refused: /^OpenAI Responses models .*video.*\(video-url\)/ },
      'video bytes': { refused: /^OpenAI Responses models .*video.*\(video\/mp4\)/ },
    }),
  },
  {
    name: 'Anthropic',
    base: () => web,
    map: async (it) => (anthropicBody('claude-sonnet-4-5', userPrompt([it]), undefined, noTools).messages[0]!.content as unknown[])[0],
    expected: (base) => ({
      text: { part: { type: 'text', text: 'Describe this.' } },
      'image URL': { part: { type: 'image', source: { type: 'url', url: `${base}/cat.png` } } },
      'image bytes': { part: { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } } },
      'PDF URL': { part: { type: 'document', source: { type: 'url', url: `${base}/report.pdf` } } },
      'PDF bytes': { part: { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF } } },
      'audio URL': { refused: /^Anthropic models .*audio.*\(audio-url\)/ },
      'audio bytes': { refused: /^Anthropic models .*not audio\/wav/ },
      'video URL': { refused: /^Anthropic models .*video.*\(video-url\)/ },
      'video bytes': { refused: /^Anthropic models .*not video\/mp4/ },
    }),
  },
  {
    name: 'Google',
    base: () => web,
    map: async (it) => userContentPart(it),
    expected: (base) => ({
      text: { part: { text: 'Describe this.' } },
      'image URL': { part: { fileData: { fileUri: `${base}/cat.png`, mimeType: 'image/png' } } },
      'image bytes': { part: { inlineData: { data: PNG, mimeType: 'image/png' } } },
      'PDF URL': { part: { fileData: { fileUri: `${base}/report.pdf`, mimeType: 'application/pdf' } } },
      'PDF bytes': { part: { inlineData: { data: PDF, mimeType: 'application/pdf' } } },
      'audio URL': { part: { fileData: { fileUri: `${base}/alloy.wav`, mimeType: 'audio/wav' } } },
      'audio bytes': { part: { inlineData: { data: WAV, mimeType: 'audio/wav' } } },
      'video URL': { part: { fileData: { fileUri: `${base}/panda.mp4`, mimeType: 'video/mp4' } } },
      'video bytes': { part: { inlineData: { data: MP4, mimeType: 'video/mp4' } } },
    }),
  },
  {
    name: 'Bedrock',
    base: () => s3,
    map: async (it) => userContentBlock(it, documentNames()),
    expected: (base) => ({
      text: { part: { text: 'Describe this.' } },
      'image URL': { part: { image: { format: 'png', source: { s3Location: { uri: `${base}/cat.png` } } } } },
      'image bytes': { part: { image: { format: 'png', source: { bytes: Buffer.from(PNG, 'base64') } } } },
      'PDF URL': { part: { document: { format: 'pdf', name: 'Document 1', source: { s3Location: { uri: `${base}/report.pdf` } } } } },
      'PDF bytes': { part: { document: { format: 'pdf', name: 'Document 1', source: { bytes: Buffer.from(PDF, 'base64') } } } },
      'audio URL': { refused: /^Bedrock \(Converse\) cannot take audio content by URL \(audio-url\)/ },
      'audio bytes': { refused: /^Bedrock \(Converse\) cannot take audio content of type audio\/wav/ },
      'video URL': { part: { video: { format: 'mp4', source: { s3Location: { uri: `${base}/panda.mp4` } } } } },
      'video bytes': { part: { video: { format: 'mp4', source: { bytes: Buffer.from(MP4, 'base64') } } } },
    }),
  },
];

const KINDS: Kind[] = ['text', 'image URL', 'image bytes', 'PDF URL', 'PDF bytes', 'audio URL', 'audio bytes', 'video URL', 'video bytes'];
const table = adapters.flatMap((adapter) => KINDS.map((kind) => [adapter.name, kind, adapter] as const));

describe('each input kind to each adapter', () => {
  it.each(table)('%s: %s', async (_name, kind, adapter) => {
    const base = adapter.base();
    const expected = adapter.expected(base)[kind];
    const outcome = await adapter.map(item(kind, base)).then(
      (part) => ({ part }),
      (error: unknown) => ({ error }),
    );
    if ('part' in expected) {
      expect(outcome).toEqual({ part: expected.part });
    } else {
      expect('error' in outcome && UnsupportedContentError.isInstance(outcome.error)).toBe(true);
      expect(((outcome as { error: Error }).error as Error).message).toMatch(expected.refused);
    }
  });

  it('Bedrock takes video by URL only from S3, with a type it knows', () => {
    expect(() => userContentBlock({ kind: 'video-url', url: 'https://example.com/panda.mp4' }, documentNames())).toThrow(
      /^Bedrock \(Converse\) cannot take video content by URL \(video-url; only from S3/,
    );
    expect(() => userContentBlock({ kind: 'video-url', url: 's3://media-bucket/panda.avi' }, documentNames())).toThrow(UnsupportedContentError);
    // The type from the key's extension when none is given.
    expect(userContentBlock({ kind: 'video-url', url: 's3://media-bucket/clip.webm' }, documentNames())).toEqual({
      video: { format: 'webm', source: { s3Location: { uri: 's3://media-bucket/clip.webm' } } },
    });
  });

  it('Google still reads audio and video sent as documents by URL (histories from before the new kinds)', () => {
    expect(userContentPart({ kind: 'document-url', url: 'https://example.com/a.wav', mediaType: 'audio/wav' })).toEqual({
      fileData: { fileUri: 'https://example.com/a.wav', mimeType: 'audio/wav' },
    });
    expect(() => userContentPart({ kind: 'video-url', url: 'https://example.com/a.zip', mediaType: 'application/zip' })).toThrow(
      /google \(Gemini\) does not take application\/zip content by URL \(video-url\)/,
    );
  });

  it('OpenAI-compatible hosts without file input refuse documents by URL without downloading them', async () => {
    const mistral = openAICompatibleProfile('mistral')!;
    const before = served.length;
    const messages = await downloadUrlContent(
      userPrompt([{ kind: 'document-url', url: `${mediaUrl}/report.pdf` }]),
      mistral,
      { allowPrivateHosts: true },
      new WeakMap(),
    );
    expect(() => chatBody('mistral-large-latest', mistral, messages, undefined, noTools)).toThrow(
      /^mistral chat models do not take documents by URL \(document-url\)/,
    );
    expect(served.length).toBe(before);
  });

  it('OpenAI Chat: audio of another type is refused, by its stated type without a download, or by the served one', async () => {
    const before = served.length;
    await expect(
      downloadUrlContent(userPrompt([{ kind: 'audio-url', url: `${mediaUrl}/song.ogg` }]), openai, { allowPrivateHosts: true }, new WeakMap()),
    ).rejects.toThrow(/^openai chat models take WAV and MP3 audio, not audio\/ogg \(audio-url\)/);
    expect(served.slice(before)).toEqual(['/song.ogg']);
    const stated = await downloadUrlContent(
      userPrompt([{ kind: 'audio-url', url: `${mediaUrl}/song.ogg`, mediaType: 'audio/ogg' }]),
      openai,
      { allowPrivateHosts: true },
      new WeakMap(),
    );
    expect(served.slice(before)).toEqual(['/song.ogg']);
    expect(() => chatBody('gpt-4o', openai, stated, undefined, noTools)).toThrow(
      /^openai chat models take WAV and MP3 audio as bytes, not audio\/ogg by URL \(audio-url\)/,
    );
    // A server that says only `application/octet-stream`: the extension decides.
    const untyped = await downloadUrlContent(
      userPrompt([{ kind: 'audio-url', url: `${mediaUrl}/untyped.wav` }]),
      openai,
      { allowPrivateHosts: true },
      new WeakMap(),
    );
    expect(contentOf(chatBody('gpt-4o', openai, untyped, undefined, noTools))).toEqual({ type: 'input_audio', input_audio: { data: WAV, format: 'wav' } });
  });
});

// ---------------------------------------------------------------------------------------------
// OpenAI Chat: downloads, end to end.

const written = (name: string): Exchange[] => loadCassette(`input-kinds/${name}`);

describe('OpenAI Chat downloads documents and audio by URL and sends the bytes', () => {
  it('a PDF by URL arrives base64 in a file part, through the SDK; downloaded once for the whole run', async () => {
    await withReplay(written('written-openai-chat-document-url.yaml'), async (server) => {
      const model = openaiModel(server, 'gpt-4o', { downloads: { allowPrivateHosts: true } });
      const before = served.length;
      const messages = userPrompt(['What is in this document?', { kind: 'document-url', url: `${mediaUrl}/moved.pdf?X-Amz-Signature=abc` }]);
      const response = await model.request(messages, undefined, noTools);
      const sent = server.requests[0]!.body as { messages: unknown };
      expect(sent.messages).toEqual((written('written-openai-chat-document-url.yaml')[0]!.request.body as { messages: unknown }).messages);
      // The redirect was followed (and checked) by hand.
      expect(served.slice(before)).toEqual(['/moved.pdf', '/report.pdf']);
      expect(response.parts).toEqual([{ kind: 'text', content: 'The document is an empty PDF with a single catalog and no pages.' }]);
      expect(response.usage).toEqual({ inputTokens: 233, outputTokens: 14 });
      // The history keeps the URL, not the bytes.
      expect(messages[0]).toEqual(userPrompt(['What is in this document?', { kind: 'document-url', url: `${mediaUrl}/moved.pdf?X-Amz-Signature=abc` }])[0]);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/input-kinds-openai-chat-document-url.json');
      expectNoCanary(response, sentBodies(server));
    });
  });

  it('audio by URL arrives as input_audio, streamed requests included; a later step reuses the download', async () => {
    const exchanges = written('written-openai-chat-audio-url.yaml');
    expect(exchanges).toHaveLength(2);
    await withReplay(exchanges, async (server) => {
      const model = openaiModel(server, 'gpt-4o-audio-preview', { downloads: { allowPrivateHosts: true } });
      const before = served.length;
      const messages = userPrompt(['What is said in this recording?', { kind: 'audio-url', url: `${mediaUrl}/alloy.wav` }]);
      const response = await model.request(messages, undefined, noTools);
      expect((server.requests[0]!.body as { messages: unknown }).messages).toEqual((exchanges[0]!.request.body as { messages: unknown }).messages);
      expect(response.usage).toEqual({ inputTokens: 21, outputTokens: 10, details: { inputAudioTokens: 3 } });
      expect(served.slice(before)).toEqual(['/alloy.wav']);
      // The next step of the run sends the same history: the same bytes, not downloaded again.
      const events: ModelStreamEvent[] = [];
      for await (const event of model.requestStream(messages, undefined, noTools)) events.push(event);
      expect(events.at(-1)).toMatchObject({ kind: 'finish', usage: { inputTokens: 21, outputTokens: 5, details: { inputAudioTokens: 3 } } });
      expect((server.requests[1]!.body as { messages: unknown }).messages).toEqual((server.requests[0]!.body as { messages: unknown }).messages);
      expect(served.slice(before)).toEqual(['/alloy.wav']);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/input-kinds-openai-chat-audio-url.json');
      expectNoCanary(response, sentBodies(server));
    });
  });

  it('refuses a non-http URL, a private host (by default), an oversize body and a missing file, before any request; keeps URL secrets out', async () => {
    await withReplay([], async (server) => {
      const ask = (url: string, downloads = {}) =>
        openaiModel(server, 'gpt-4o', { downloads })
          .request(userPrompt([{ kind: 'document-url', url }]), undefined, noTools)
          .then(
            (): Error => {
              throw new Error('expected a refusal');
            },
            (e: unknown) => e as Error,
          );
      const file = await ask('file:///etc/passwd', { allowPrivateHosts: true });
      expect(UnsupportedContentError.isInstance(file)).toBe(true);
      expect(file.message).toBe('openai chat models (document-url): only http(s) URLs are downloaded, not file: URLs');
      const data = await ask(`data:application/pdf;base64,${PDF}`, { allowPrivateHosts: true });
      expect(data.message).toMatch(/only http\(s\) URLs are downloaded, not data: URLs$/);
      const local = await ask(`${mediaUrl}/report.pdf`);
      expect(UnsupportedContentError.isInstance(local)).toBe(true);
      expect(local.message).toMatch(/^openai chat models \(document-url\): http:\/\/127\.0\.0\.1:\d+\/report\.pdf is on this machine or a private network/);
      for (const host of [
        'http://localhost/a.pdf',
        'http://169.254.169.254/latest/meta-data',
        'http://10.0.0.8/a.pdf',
        'http://[::1]/a.pdf',
        'http://192.168.1.1/a.pdf',
      ])
        expect((await ask(host)).message).toMatch(/on this machine or a private network/);
      const big = await ask(`${mediaUrl}/big.pdf`, { allowPrivateHosts: true, maxBytes: 1000 });
      expect(UnsupportedContentError.isInstance(big)).toBe(true);
      expect(big.message).toMatch(/^openai chat models \(document-url\): http:\/\/127\.0\.0\.1:\d+\/big\.pdf is larger than 1000 bytes/);
      const declared = await ask(`${mediaUrl}/declared-big.pdf`, { allowPrivateHosts: true, maxBytes: 1000 });
      expect(declared.message).toMatch(/declared-big\.pdf is larger than 1000 bytes/);
      const missing = await ask(`${mediaUrl}/missing.pdf?token=hunter2`, { allowPrivateHosts: true });
      expect(UserError.isInstance(missing)).toBe(true);
      expect(missing.message).toMatch(/could not download http:\/\/127\.0\.0\.1:\d+\/missing\.pdf: HTTP 404$/);
      expect(missing.message).not.toContain('hunter2');
      expect(server.requests).toEqual([]);
      expectNoCanary(file, data, local, big, declared, missing);
    });
  });

  it('the run signal aborts a download under way, with its reason, and nothing is sent', async () => {
    await withReplay([], async (server) => {
      const controller = new AbortController();
      const reason = new Error('the user left');
      const pending = openaiModel(server, 'gpt-4o', { downloads: { allowPrivateHosts: true } })
        .request(userPrompt([{ kind: 'document-url', url: `${mediaUrl}/slow.pdf` }]), undefined, noTools, controller.signal)
        .catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort(reason);
      expect(await pending).toBe(reason);
      expect(server.requests).toEqual([]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Google: the new kinds on recorded traffic (pydantic-ai's AudioUrl and VideoUrl recordings).

describe('Google sends audio-url and video-url as fileData (recorded traffic)', () => {
  it.each([
    ['AudioUrl', { kind: 'audio-url', url: 'https://cdn.openai.com/API/docs/audio/alloy.wav', mediaType: 'audio/wav' }],
    ['VideoUrl', { kind: 'video-url', url: 'https://upload.wikimedia.org/wikipedia/commons/8/8f/Panda_at_Smithsonian_zoo.webm', mediaType: 'video/webm' }],
  ] as const)('%s', async (name, content) => {
    // A Vertex AI recording replayed at the Gemini API's path: the bodies are the same on both.
    const exchanges = loadCassette(`google/test_google_url_input[${name}].yaml`).map((e) => ({
      ...e,
      request: { ...e.request, path: '/v1beta/models/gemini-2.0-flash:generateContent' },
    }));
    await withReplay(exchanges, async (server) => {
      const model = GoogleModel.connect('gemini-2.0-flash', { apiKey: CANARY_KEY, baseURL: server.url, maxRetries: 0 });
      const response = await model.request(userPrompt(['What is the main content of this URL?', content]), undefined, noTools);
      const sent = server.requests[0]!.body as { contents: { parts: unknown[] }[] };
      const recorded = exchanges[0]!.request.body as { contents: { parts: unknown[] }[] };
      // The recording is Vertex AI's (snake_case fields); the Gemini API's wire form is camelCase.
      const [text, file] = recorded.contents[0]!.parts as [unknown, { fileData: { file_uri: string; mime_type: string } }];
      expect(sent.contents[0]!.parts[0]).toEqual(text);
      expect(sent.contents[0]!.parts[1]).toEqual({ fileData: { fileUri: file.fileData.file_uri, mimeType: file.fileData.mime_type } });
      expect(sent.contents[0]!.parts[1]).toEqual({ fileData: { fileUri: content.url, mimeType: content.mediaType } });
      expect(response.parts).toEqual([{ kind: 'text', content: expect.stringMatching(/\S/) }]);
      await expect(sentBodies(server)).toMatchFileSnapshot(`./__snapshots__/input-kinds-google-${name}.json`);
      expectNoCanary(response, sentBodies(server));
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The message model: JSON form, client histories, telemetry.

describe('audio-url and video-url in histories', () => {
  const history: ModelMessage[] = [
    {
      kind: 'request',
      parts: [
        {
          kind: 'user-prompt',
          content: [
            'Compare these.',
            { kind: 'audio-url', url: 'https://example.com/a.mp3', mediaType: 'audio/mpeg' },
            { kind: 'video-url', url: 'https://youtu.be/lCdaVNyHtjU' },
          ],
          timestamp: '2026-01-01T00:00:00.000Z',
        },
      ],
    },
  ];

  it('round-trips through messagesToJson and parseMessages', () => {
    expect(parseMessages(messagesToJson(history))).toEqual(history);
  });

  it('rejects malformed items with a located error', () => {
    const bad = (item: unknown) => [{ kind: 'request', parts: [{ kind: 'user-prompt', content: [item], timestamp: 't' }] }];
    expect(() => parseMessages(bad({ kind: 'audio-url' }))).toThrow(MessageHistoryError);
    expect(() => parseMessages(bad({ kind: 'video-url', url: 'https://example.com/v.mp4', size: 3 }))).toThrow(MessageHistoryError);
    expect(() => parseMessages(bad({ kind: 'audio-url', url: 7 }))).toThrow(/messages\[0\]\.parts\[0\]\.content/);
  });

  it('a client may send them, as it may send images and documents by URL', () => {
    expect(parseClientMessages(messagesToJson(history))).toEqual(history);
    expect(clientMessages(history)).toEqual(history);
  });

  it('telemetry records them as URIs of their modality', () => {
    const [message] = chatMessages(history, false);
    expect(message!.parts).toEqual([
      { type: 'text', content: 'Compare these.' },
      { type: 'uri', uri: 'https://example.com/a.mp3', mime_type: 'audio/mpeg', modality: 'audio' },
      { type: 'uri', uri: 'https://youtu.be/lCdaVNyHtjU', modality: 'video' },
    ]);
  });
});
