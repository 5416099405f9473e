/**
 * The chat app's store (examples/chat/store.ts) on both engines: PGlite in this process and the
 * suite's PostgreSQL server. A conversation written turn by turn reads back as the exact messages
 * the runs produced, and the next run continues it; a PGlite folder keeps it across a reopen; what
 * cannot be read back is refused; concurrent appends get one position each. The display items of
 * a stored conversation show the user's text, answers and tool calls, never instructions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelMessage } from 'schemantic';
import { chatAgent } from '../../examples/chat/chat-agent.js';
import { currentTime } from '../../examples/chat/current-time.js';
import { chatDemoModel } from '../../examples/chat/demo-model.js';
import { displayItems } from '../../examples/chat/display-items.js';
import { ChatStore } from '../../examples/chat/store.js';
import { freshDatabase, type TestDatabase } from '../helpers/postgres.js';
import { NOON_UTC } from './chat.helpers.js';

/** Plays three turns through `store` as the server does (history in, new messages appended); every run's messages. */
async function playConversation(store: ChatStore, chatId: string): Promise<ModelMessage[]> {
  const agent = chatAgent(chatDemoModel(0), NOON_UTC);
  let all: ModelMessage[] = [];
  for (const prompt of ['Hello there', 'What time is it in Paris?', 'What did I ask first?']) {
    const result = await agent.run(prompt, { messageHistory: await store.history(chatId) });
    await store.append(chatId, result.newMessagesJson());
    all = result.allMessages();
  }
  return all;
}

/** The same checks on each engine. */
function storeRoundTrip(open: () => Promise<ChatStore>) {
  let store: ChatStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('stores each turn as one row and reads back exactly the messages the runs produced', async () => {
    const chatId = randomUUID();
    const all = await playConversation(store, chatId);
    const turns = await store.turns(chatId);
    expect(turns.map((t) => t.position)).toEqual([0, 1, 2]);
    expect(turns.every((t) => t.createdAt instanceof Date && !Number.isNaN(t.createdAt.getTime()))).toBe(true);
    expect(await store.history(chatId)).toEqual(all);
    // The last reply was written from the stored history: the first question came back from the database.
    const items = displayItems(all);
    expect(items.at(-1)).toMatchObject({ role: 'assistant', answer: expect.stringContaining('Your first question in this chat was: *Hello there*') });
    expect(items.at(-1)).toMatchObject({ answer: expect.stringContaining('You asked 2 questions before this one') });
  });

  it('keeps chats apart, and an unknown chat has no history', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await playConversation(store, a);
    expect(await store.history(b)).toEqual([]);
    expect(await store.turns(b)).toEqual([]);
  });

  it('refuses a turn that could not be read back, and stores nothing of it', async () => {
    const chatId = randomUUID();
    await expect(store.append(chatId, '{"version":1,"messages":[{"kind":"nonsense"}]}')).rejects.toThrow(/malformed message history/);
    await expect(store.append(chatId, 'not json')).rejects.toThrow(/not JSON/);
    await expect(store.append(chatId, '{"version":1,"messages":[]}')).rejects.toThrow(/no messages/);
    expect(await store.turns(chatId)).toEqual([]);
  });

  it('gives concurrent appends to one chat one position each', async () => {
    const chatId = randomUUID();
    const agent = chatAgent(chatDemoModel(0), NOON_UTC);
    const json = (await agent.run('Hi')).newMessagesJson();
    const positions = await Promise.all(Array.from({ length: 5 }, () => store.append(chatId, json)));
    expect([...positions].sort()).toEqual([0, 1, 2, 3, 4]);
  });
}

describe('chat store on PGlite (in memory)', () => {
  storeRoundTrip(() => ChatStore.open({ url: undefined }));
});

describe('chat store on the PostgreSQL server', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase('chat');
  });
  afterAll(async () => {
    await database?.drop();
  });
  storeRoundTrip(async () => {
    const store = await ChatStore.open({ url: database.url });
    expect(store.db.engine).toBe('postgres');
    return store;
  });
});

describe('chat store in a PGlite folder', () => {
  it('keeps a conversation across a close and a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chat-store-'));
    try {
      const dataDir = join(dir, 'nested', 'chat');
      const chatId = randomUUID();
      const first = await ChatStore.open({ url: undefined, dataDir });
      expect(first.label).toContain(dataDir);
      const all = await playConversation(first, chatId);
      await first.close();
      const second = await ChatStore.open({ url: undefined, dataDir });
      try {
        expect(await second.history(chatId)).toEqual(all);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('display items of a stored conversation', () => {
  it('show the user text, the answer, follow-ups and tool calls with their results, and no instructions', async () => {
    const agent = chatAgent(chatDemoModel(0), NOON_UTC);
    const result = await agent.run('What time is it in Tokyo?');
    const items = displayItems(result.allMessages());
    expect(items).toEqual([
      { role: 'user', text: 'What time is it in Tokyo?', timestamp: expect.any(String) },
      {
        role: 'assistant',
        answer: expect.stringMatching(/^It is \*\*21:00\*\* on 2026-03-01 in \*\*Asia\/Tokyo\*\*/),
        followUps: ['What time is it in Tokyo?', 'What did I ask first?'],
        tools: [{ id: 'time-1', name: 'current_time', args: { time_zone: 'Asia/Tokyo' }, result: { time_zone: 'Asia/Tokyo', local_time: '2026-03-01 21:00' } }],
        timestamp: expect.any(String),
      },
    ]);
    expect(JSON.stringify(items)).not.toContain('You are a helpful assistant');
  });

  it('show a tool call the handler refused with the retry it got', () => {
    const messages: ModelMessage[] = [
      { kind: 'request', parts: [{ kind: 'user-prompt', content: 'Time on Mars?', timestamp: 't0' }], instructions: 'secret instructions' },
      {
        kind: 'response',
        parts: [{ kind: 'tool-call', toolName: 'current_time', args: '{"time_zone":"Mars/Olympus"}', toolCallId: 'c1' }],
        modelName: 'm',
        timestamp: 't1',
        usage: { inputTokens: 0, outputTokens: 0 },
      },
      {
        kind: 'request',
        parts: [{ kind: 'retry-prompt', content: 'unknown time zone "Mars/Olympus"', toolName: 'current_time', toolCallId: 'c1', timestamp: 't2' }],
      },
      {
        kind: 'response',
        parts: [{ kind: 'tool-call', toolName: 'final_result', args: { answer: 'No clocks on Mars.' }, toolCallId: 'o1' }],
        modelName: 'm',
        timestamp: 't3',
        usage: { inputTokens: 0, outputTokens: 0 },
      },
    ];
    expect(displayItems(messages)).toEqual([
      { role: 'user', text: 'Time on Mars?', timestamp: 't0' },
      {
        role: 'assistant',
        answer: 'No clocks on Mars.',
        followUps: [],
        tools: [{ id: 'c1', name: 'current_time', args: { time_zone: 'Mars/Olympus' }, error: 'unknown time zone "Mars/Olympus"' }],
        timestamp: 't1',
      },
    ]);
  });
});

describe('the current_time tool', () => {
  it('gives the local time of an IANA zone, and sends an unknown zone back to the model', () => {
    expect(currentTime({ time_zone: 'Europe/Paris' }, NOON_UTC)).toEqual({ time_zone: 'Europe/Paris', local_time: '2026-03-01 13:00' });
    expect(currentTime({ time_zone: 'UTC' }, NOON_UTC)).toEqual({ time_zone: 'UTC', local_time: '2026-03-01 12:00' });
    expect(() => currentTime({ time_zone: 'Mars/Olympus' }, NOON_UTC)).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});
