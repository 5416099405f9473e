/**
 * Where the chat app keeps its conversations: PGlite in this process by default (in memory, or in
 * a folder so that a restart keeps them), a PostgreSQL server when `DATABASE_URL` is set. One SQL
 * schema for both (examples/db/database.ts speaks the same SQL to each).
 *
 * A chat is a row of `chat_app.chats`; each finished turn is one row of `chat_app.messages`: the
 * run's new messages exactly as `result.newMessagesJson()` wrote them (the user's prompt, the tool
 * calls and returns, the reply), at the next position. Loading a chat reads its rows in order and
 * gives back the `ModelMessage[]` to pass as `messageHistory`: the server's own history, trusted,
 * unlike anything a browser could post.
 */
import { mkdir } from 'node:fs/promises';
import { parseMessages, type ModelMessage } from 'schemantic';
import { openDatabase, type Database } from '../db/database.js';

/**
 * The schema. Its own PostgreSQL schema (`chat_app`), so that it sits next to other examples' tables
 * on a shared server. The JSON is kept as `text`, not `jsonb`: jsonb refuses the `\u0000` escape a
 * model's text may contain, and the app never queries inside a turn.
 */
export const CHAT_SCHEMA_SQL = `
CREATE SCHEMA IF NOT EXISTS chat_app;
CREATE TABLE IF NOT EXISTS chat_app.chats (
  id uuid PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS chat_app.messages (
  chat_id uuid NOT NULL REFERENCES chat_app.chats (id) ON DELETE CASCADE,
  position integer NOT NULL,
  messages_json text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chat_id, position)
);
`;

/** Options of {@link ChatStore.open}. */
export interface ChatStoreOptions {
  /** A PostgreSQL URL. Left out: `DATABASE_URL`; given as undefined: PGlite whatever the environment says. */
  url?: string | undefined;
  /** PGlite only: the folder the data lives in (default: in memory, gone when the process ends). */
  dataDir?: string | undefined;
}

/** One stored turn, as the database holds it. */
export interface StoredTurn {
  position: number;
  /** The run's new messages, as `newMessagesJson()` wrote them. */
  messagesJson: string;
  createdAt: Date;
}

/** The conversations of the chat app. */
export class ChatStore {
  private constructor(
    /** The database underneath (tests read it directly). */
    readonly db: Database,
  ) {}

  /** Opens the database and makes sure the schema is there. */
  static async open(options: ChatStoreOptions = {}): Promise<ChatStore> {
    const url = 'url' in options ? options.url : process.env['DATABASE_URL'];
    // PGlite keeps its files in the folder; make it (and its parents) on first use.
    if (!url && options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
    const db = await openDatabase({ url, dataDir: options.dataDir });
    try {
      await db.exec(CHAT_SCHEMA_SQL);
    } catch (err) {
      await db.close().catch(() => {});
      throw err;
    }
    return new ChatStore(db);
  }

  /** Where the data lives, for messages (never a password). */
  get label(): string {
    return this.db.label;
  }

  /** The chat's turns in order (none for a chat never written to). */
  async turns(chatId: string): Promise<StoredTurn[]> {
    const { rows } = await this.db.query<{ position: number; messages_json: string; created_at: Date | string }>(
      'SELECT position, messages_json, created_at FROM chat_app.messages WHERE chat_id = $1::uuid ORDER BY position',
      [chatId],
    );
    return rows.map((row) => ({ position: row.position, messagesJson: row.messages_json, createdAt: new Date(row.created_at) }));
  }

  /**
   * The whole conversation, to pass as `messageHistory`: every turn's messages, read back with
   * `parseMessages` (which checks them: a row edited by hand into nonsense fails here, loudly).
   */
  async history(chatId: string): Promise<ModelMessage[]> {
    return (await this.turns(chatId)).flatMap((turn) => parseMessages(turn.messagesJson));
  }

  /**
   * Appends a finished turn (`result.newMessagesJson()`) and returns its position. One transaction:
   * the chat row is made if new and locked, so that two servers appending to the same chat at once
   * get positions one after the other instead of a clash.
   */
  async append(chatId: string, messagesJson: string): Promise<number> {
    // Refuse what could not be read back: a turn is stored whole and valid, or not at all.
    if (parseMessages(messagesJson).length === 0) throw new Error('a turn with no messages is not stored');
    return this.db.transaction(async (tx) => {
      await tx.query('INSERT INTO chat_app.chats (id) VALUES ($1::uuid) ON CONFLICT (id) DO NOTHING', [chatId]);
      await tx.query('SELECT id FROM chat_app.chats WHERE id = $1::uuid FOR UPDATE', [chatId]);
      const { rows } = await tx.query<{ position: number }>(
        `INSERT INTO chat_app.messages (chat_id, position, messages_json)
         SELECT $1::uuid, COALESCE(MAX(position), -1) + 1, $2::text FROM chat_app.messages WHERE chat_id = $1::uuid
         RETURNING position`,
        [chatId, messagesJson],
      );
      return rows[0]!.position;
    });
  }

  /** Closes the database. */
  close(): Promise<void> {
    return this.db.close();
  }
}
