/**
 * `npm run example:chat` as a user runs it: a child process from the repository root with no
 * provider key (the scripted model answers), on PGlite in a temporary folder and on the suite's
 * PostgreSQL server. It plays three turns over HTTP, shows each reply growing, restarts the server
 * and reads the conversation back.
 */
import { describe, expect, it } from 'vitest';
import { runNpmScript } from '../helpers/example-process.js';
import { freshDatabase } from '../helpers/postgres.js';

/** Runs `npm run example:chat -- ...args` with no provider and no DATABASE_URL unless `env` sets one. */
const runExample = (args: readonly string[], env: Record<string, string> = {}) => runNpmScript('example:chat', args, { env });

/** Asserts that `text` holds each of `lines` (regular expressions), in order. */
function expectInOrder(text: string, lines: readonly RegExp[]): void {
  let rest = text;
  for (const line of lines) {
    const match = line.exec(rest);
    expect(match, `${line} in:\n${rest}`).not.toBeNull();
    rest = rest.slice(match!.index + match![0].length);
  }
}

/** What every default run prints, in order. */
const CONVERSATION = [
  /Replies come from a scripted model/,
  /A new chat, id [0-9a-f-]{36}: the client sends only this id and each question/,
  /You: Hello! What can you do\?/,
  /Streamed as \d+ partial data-output parts, then the final reply; the answer grew \d+ → \d+ → .* characters\./,
  /This is your first question; the conversation is stored/,
  /You: What time is it in Paris\?/,
  /\(calls current_time \{"time_zone":"Europe\/Paris"\}\)/,
  /\(the tool returned \{"time_zone":"Europe\/Paris","local_time":"\d{4}-\d\d-\d\d \d\d:\d\d"\}\)/,
  /It is \*\*\d\d:\d\d\*\* on \d{4}-\d\d-\d\d in \*\*Europe\/Paris\*\*/,
  /You: What did I ask first\?/,
  /Your first question in this chat was: \*Hello! What can you do\?\*/,
  /The store holds 3 turns for this chat/,
  /Restart: the server is stopped and its store closed; a new server opens the same store\./,
  /you: Hello! What can you do\?/,
  /assistant: \[current_time \{"time_zone":"Europe\/Paris"\} → /,
  /you: What did I ask first\?/,
  /The conversation survived the restart: 3 questions and 3 replies\./,
];

describe('npm run example:chat', () => {
  it('plays the conversation on PGlite, restarts the server, finds it again and exits 0', async () => {
    const { code, stdout, stderr } = await runExample([]);
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Conversations are stored in PGlite \(embedded PostgreSQL\) in .*schemantic-chat-/);
    expectInOrder(stdout, CONVERSATION);
    // Each reply grew over several partial parts before the final one.
    for (const [, partials] of stdout.matchAll(/Streamed as (\d+) partial data-output parts/g)) expect(Number(partials)).toBeGreaterThan(1);
  }, 60_000);

  it('runs the same on the PostgreSQL server named by DATABASE_URL', async () => {
    const database = await freshDatabase('chat_cli');
    try {
      const { code, stdout, stderr } = await runExample([], { DATABASE_URL: database.url });
      expect(stderr).not.toMatch(/error/i);
      expect(code).toBe(0);
      expect(stdout).toContain('Conversations are stored in PostgreSQL at postgres://');
      expectInOrder(stdout, CONVERSATION);
      expect(stdout).toMatch(/It stays in the database: chat_app\.messages, chat id [0-9a-f-]{36}/);
    } finally {
      await database.drop();
    }
  }, 60_000);

  it('prints its help with --help, and refuses an unknown option with exit code 2', async () => {
    const help = await runExample(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run example:chat -- [--data-dir DIR]');
    const bad = await runExample(['--colour']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error: Unknown option '--colour'");
    expect(bad.stdout).toBe('');
  }, 60_000);
});
