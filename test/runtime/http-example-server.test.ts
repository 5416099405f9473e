/**
 * `examples/server.ts` over real HTTP: its page, the SSE of a run, and `/chat` driven by the AI SDK's
 * chat client (the machinery of `useChat`).
 */
import type { Server } from 'node:http';
import { AbstractChat, DefaultChatTransport, type ChatInit, type ChatState, type UIMessage } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelMessage } from 'schemantic';
import { startServer } from '../../examples/server.js';
import { parseSse } from './http.helpers.js';

describe('examples/server.ts', () => {
  const keys = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'SCHEMANTIC_MODEL'] as const;
  const saved = new Map<string, string | undefined>();
  let url = '';
  let server: Server | undefined;

  beforeAll(async () => {
    // The example picks a provider from the environment: without keys it runs on the test model.
    for (const key of keys) {
      saved.set(key, process.env[key]);
      delete process.env[key];
    }
    ({ url, server } = await startServer(0, { chunkDelayMs: 0 }));
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  /** A minimal chat of the AI SDK (what `useChat` wraps), posting to the example's /chat. */
  class Chat extends AbstractChat<UIMessage> {
    constructor(init: Omit<ChatInit<UIMessage>, 'messages'>) {
      let messages: UIMessage[] = [];
      const state: ChatState<UIMessage> = {
        status: 'ready',
        error: undefined,
        get messages() {
          return messages;
        },
        set messages(value) {
          messages = value;
        },
        pushMessage: (message) => void (messages = [...messages, message]),
        popMessage: () => void (messages = messages.slice(0, -1)),
        replaceMessage: (index, message) => void (messages = messages.map((m, i) => (i === index ? message : m))),
        snapshot: (value) => structuredClone(value),
      };
      super({ ...init, state });
    }
  }

  it('serves the page, and the events of a weather run as SSE', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("new EventSource('/events?'");

    const response = await fetch(`${url}/events?prompt=${encodeURIComponent('Weather in London?')}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const messages = parseSse(await response.text());
    expect(messages[0]?.event).toBe('part-start');
    expect(messages.filter((m) => m.event === 'function-tool-call').map((m) => (JSON.parse(m.data) as { toolName: string }).toolName)).toEqual([
      'get_lat_lng',
      'get_weather',
    ]);
    // The test model streams its answer word by word, as a provider would.
    expect(messages.filter((m) => m.event === 'part-delta' && m.data.includes('"kind":"text"')).length).toBeGreaterThan(5);
    expect((JSON.parse(messages.at(-2)!.data) as { output: string }).output).toMatch(/^It is sunny and 21 °C there\./);
    expect(messages.at(-1)?.event).toBe('done');
  });

  it('sends a browser the output, usage and the new user-visible messages in run-result: no instructions, no tool returns', async () => {
    const messages = parseSse(await (await fetch(`${url}/events?prompt=${encodeURIComponent('Weather in London?')}`)).text());
    const result = messages.find((m) => m.event === 'run-result')!;
    // The weather agent's instructions (with the user's name filled in) and its tools' returns stay on the server.
    expect(result.data).not.toContain('Be concise');
    expect(result.data).not.toContain('friend');
    expect(result.data).not.toContain('"tool-return"');
    expect(result.data).not.toContain('"system-prompt"');
    const data = JSON.parse(result.data) as { output: string; usage: { requests: number }; messages: ModelMessage[] };
    expect(data.usage.requests).toBeGreaterThan(1);
    expect(data.messages.map((m) => [m.kind, m.parts.map((p) => p.kind)])).toEqual([
      ['request', ['user-prompt']],
      ['response', ['text']],
    ]);
    expect(data.messages[1]!.parts[0]).toEqual({ kind: 'text', content: data.output });
  });

  it('answers useChat: the AI SDK chat client builds the assistant message from /chat', async () => {
    const weather = new Chat({ transport: new DefaultChatTransport({ api: `${url}/chat` }) });
    await weather.sendMessage({ text: 'What is the weather like in London?' });
    expect(weather.error).toBeUndefined();
    expect(weather.status).toBe('ready');
    const answer = weather.messages[1]!;
    expect(answer.role).toBe('assistant');
    expect(answer.parts.filter((p) => p.type.startsWith('tool-'))).toEqual([
      expect.objectContaining({ type: 'tool-get_lat_lng', state: 'output-available', output: { lat: 51.5, lng: expect.any(Number) } }),
      expect.objectContaining({ type: 'tool-get_weather', state: 'output-available', output: expect.objectContaining({ temperature: '21 °C' }) }),
    ]);
    expect(answer.parts.find((p) => p.type === 'text')).toMatchObject({ text: expect.stringMatching(/^It is sunny and 21 °C there\./), state: 'done' });

    const whales = new Chat({ transport: new DefaultChatTransport({ api: `${url}/chat`, body: { agent: 'whales' } }) });
    await whales.sendMessage({ text: 'Tell me about whales.' });
    expect(whales.error).toBeUndefined();
    const data = whales.messages[1]!.parts.find((p) => p.type === 'data-output') as { data: { name: string; length: number }[] } | undefined;
    expect(Array.isArray(data?.data)).toBe(true);
    expect(data!.data[0]).toEqual(expect.objectContaining({ name: expect.any(String), length: expect.any(Number) }));
  });

  it('answers a bad request with 400 (or 404) and a JSON error, and keeps serving', async () => {
    const post = (body: string) => fetch(`${url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const cases: [Promise<Response>, number, string][] = [
      [post('{not json'), 400, 'not valid JSON'],
      [post('{"prompt":"hi"}'), 400, 'needs messages'],
      [post('{"messages":[{"role":"user","parts":[{"type":"file","url":"x"}]}]}'), 400, 'no text part'],
      [post('{"agent":"nope","messages":[{"role":"user","parts":[{"type":"text","text":"hi"}]}]}'), 400, 'unknown agent'],
      [fetch(`${url}/events`), 400, 'needs a prompt'],
      [fetch(`${url}/nowhere`), 404, 'no route'],
    ];
    for (const [request, status, message] of cases) {
      const response = await request;
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(((await response.json()) as { error: string }).error).toContain(message);
    }
    expect((await fetch(`${url}/events?prompt=hi`)).status).toBe(200);
  });
});
