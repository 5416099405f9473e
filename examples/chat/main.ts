/**
 * npm run example:chat — the chat app without a browser: starts the chat server (server.ts) on a
 * free port, plays a short conversation over HTTP as the page does (POST each question, read the
 * UI message stream), prints each reply as it streamed in, then stops the server, starts a new one
 * on the same store and reads the conversation back: it outlived the restart.
 *
 * The store is PGlite in a temporary folder (removed at the end) unless `--data-dir` or
 * DATABASE_URL says otherwise; the replies come from the scripted model unless a provider key is set.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DisplayItem } from './display-items.js';
import { readUIStream } from './read-ui-stream.js';
import { startChatServer } from './server.js';
import type { ChatStoreOptions } from './store.js';

const USAGE = `Usage: npm run example:chat -- [--data-dir DIR]

Plays a three-question conversation with the chat server over HTTP (as the page would), printing
each reply as it streams in, then restarts the server on the same store and shows the
conversation is still there. For the page itself: npm run serve:chat.

Options:
  --data-dir DIR   keep the store (PGlite) in DIR (default: a temporary folder, removed at the end)
  -h, --help       print this help

Environment:
  DATABASE_URL                        store the chat on this PostgreSQL server instead
  OPENAI_API_KEY / ANTHROPIC_API_KEY  reply with that provider instead of the scripted model
  SCHEMANTIC_MODEL                    the model id to run on`;

/** The questions of the scripted conversation. */
const QUESTIONS = ['Hello! What can you do?', 'What time is it in Paris?', 'What did I ask first?'] as const;

/** Lines of text, indented. */
const indent = (text: string, by = '    ') =>
  text
    .split('\n')
    .map((line) => (line === '' ? '' : by + line))
    .join('\n');

/** A list of lengths, shortened to its first and last few when long. */
function lengths(list: readonly number[]): string {
  const shown = list.length <= 8 ? list : [...list.slice(0, 4), '…', ...list.slice(-3)];
  return shown.join(' → ');
}

/** Asks one question over HTTP and prints the reply as it streamed; false when the turn failed. */
async function ask(url: string, chatId: string, question: string): Promise<boolean> {
  console.log(`\nYou: ${question}`);
  const response = await fetch(`${url}/chat/${chatId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: question }),
  });
  if (!response.ok) {
    console.log(`  The server refused it (${response.status}): ${((await response.json()) as { error: string }).error}`);
    return false;
  }
  const grew: number[] = [];
  let output: { answer?: string; follow_ups?: string[] } = {};
  let finished = false;
  for await (const chunk of readUIStream(response)) {
    if (chunk.type === 'tool-input-available') console.log(`  (calls ${String(chunk['toolName'])} ${JSON.stringify(chunk['input'])})`);
    else if (chunk.type === 'tool-output-available') console.log(`  (the tool returned ${JSON.stringify(chunk['output'])})`);
    else if (chunk.type === 'data-output') {
      output = chunk['data'] as typeof output;
      grew.push(output.answer?.length ?? 0);
    } else if (chunk.type === 'error') console.log(`  The turn failed: ${String(chunk['errorText'])}`);
    else if (chunk.type === 'finish') finished = true;
  }
  if (!finished) return false;
  // The last data-output is the final, validated reply; those before it are partial.
  console.log(`  Streamed as ${grew.length - 1} partial data-output parts, then the final reply; the answer grew ${lengths(grew)} characters.`);
  console.log(`Assistant:\n${indent(output.answer ?? '')}`);
  if (output.follow_ups?.length) console.log(`  Follow-ups offered: ${output.follow_ups.map((q) => JSON.stringify(q)).join(', ')}`);
  return true;
}

/** One line of a display item. */
function summary(item: DisplayItem): string {
  if (item.role === 'user') return `  you: ${item.text}`;
  const tools = item.tools.map((t) => ` [${t.name} ${JSON.stringify(t.args)} → ${JSON.stringify(t.result ?? t.error)}]`).join('');
  const first = item.answer.split('\n')[0]!;
  return `  assistant:${tools} ${first.length > 90 ? `${first.slice(0, 89)}…` : first}`;
}

async function main(): Promise<number> {
  let dataDirArg: string | undefined;
  try {
    const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    dataDirArg = values['data-dir'];
  } catch (err) {
    console.error(`error: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const onServer = Boolean(process.env['DATABASE_URL']);
  const dataDir = onServer ? undefined : (dataDirArg ?? (await mkdtemp(join(tmpdir(), 'schemantic-chat-'))));
  const database: ChatStoreOptions = { dataDir };
  try {
    let chat = await startChatServer(0, { database, chunkDelayMs: 10 });
    console.log(`The chat server listens on ${chat.url} (the page is at /; npm run serve:chat serves it to use in a browser).`);
    console.log(`Conversations are stored in ${chat.store.label}.`);
    console.log(`Replies come from ${chat.modelDescription}.`);
    const chatId = randomUUID();
    console.log(`\nA new chat, id ${chatId}: the client sends only this id and each question, never the history.`);
    let ok = true;
    try {
      for (const question of QUESTIONS) if (!(await ask(chat.url, chatId, question))) ok = false;
      const turns = await chat.store.turns(chatId);
      console.log(`\nThe store holds ${turns.length} turns for this chat (one row per finished turn: that run's messages as JSON).`);
    } finally {
      await chat.close();
    }
    if (!ok) return 1;

    console.log('\nRestart: the server is stopped and its store closed; a new server opens the same store.');
    chat = await startChatServer(0, { database, chunkDelayMs: 10 });
    try {
      const { messages } = (await (await fetch(`${chat.url}/chat/${chatId}/messages`)).json()) as { messages: DisplayItem[] };
      console.log(`GET /chat/${chatId}/messages on the new server (${chat.url}):`);
      for (const item of messages) console.log(summary(item));
      const questions = messages.filter((m) => m.role === 'user').length;
      if (questions !== QUESTIONS.length) {
        console.log(`\nThe conversation did not survive the restart: ${questions} of ${QUESTIONS.length} questions came back.`);
        return 1;
      }
      console.log(`\nThe conversation survived the restart: ${questions} questions and ${messages.length - questions} replies.`);
      if (onServer) console.log(`(It stays in the database: chat_app.messages, chat id ${chatId}.)`);
    } finally {
      await chat.close();
    }
    return 0;
  } finally {
    if (dataDir !== undefined && dataDirArg === undefined) await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`error: ${(err as Error).message}`);
    process.exit(1);
  },
);
