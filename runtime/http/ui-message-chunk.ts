/**
 * The chunks of the Vercel AI SDK's UI message stream (protocol v1) that a run produces, and the
 * options of the stream; ui-message-chunks.ts maps a run's events to them.
 */
import type { DeferredToolResults } from '../agent/deferred.js';

/** A chunk of the UI message stream (the part of the protocol a run produces). */
export type UIMessageChunk =
  | { type: 'start'; messageId?: string }
  | { type: 'start-step' }
  | { type: 'finish-step' }
  | { type: 'finish' }
  | { type: 'error'; errorText: string }
  | { type: 'text-start' | 'text-end' | 'reasoning-start' | 'reasoning-end'; id: string }
  | { type: 'text-delta' | 'reasoning-delta'; id: string; delta: string }
  | { type: 'tool-input-start'; toolCallId: string; toolName: string }
  | { type: 'tool-input-delta'; toolCallId: string; inputTextDelta: string }
  | { type: 'tool-input-available'; toolCallId: string; toolName: string; input: unknown }
  | { type: 'tool-input-error'; toolCallId: string; toolName: string; input: unknown; errorText: string }
  | { type: 'tool-output-available'; toolCallId: string; output: unknown }
  | { type: 'tool-output-error'; toolCallId: string; errorText: string }
  | { type: 'tool-approval-request'; approvalId: string; toolCallId: string }
  | { type: 'tool-output-denied'; toolCallId: string }
  | { type: `data-${string}`; id?: string; data: unknown };

/** The data of the `data-deferred` part: the calls a paused run waits on, as the client knows them. */
export interface DeferredPartData {
  /** Calls waiting for a person's decision. */
  approvals: { toolCallId: string; toolName: string }[];
  /** Calls the client runs (external tools, or calls their tool deferred). */
  calls: { toolCallId: string; toolName: string }[];
}

/** Options of the UI message stream. */
export interface UIMessageStreamOptions {
  /** The id of the assistant message (sent in `start`); without it the client makes one. */
  messageId?: string;
  /**
   * Called with an error of the run; what it returns is the text of the `error` chunk. By default
   * the chunk says `The run failed.` and the error is logged (`console.error`): a provider's error
   * can name accounts, keys or internals, so its text stays on the server (as the AI SDK's own
   * servers send 'An error occurred.'). Given, it replaces both: log the error here, and return the
   * text a client may see.
   */
  errorMessage?: (error: unknown) => string;
  /**
   * Whether calls waiting for approval get AI SDK 6's `tool-approval-request` chunk (and denied
   * calls `tool-output-denied`). Default true; `false` for AI SDK 5 clients, which reject chunks
   * they do not know: the pending approvals are then only in the `data-deferred` part.
   */
  approvalChunks?: boolean;
  /**
   * For the stream of a resumed run: the answers it was resumed with (what `agent.resumeStreamEvents`
   * got). The stream then continues the message the client shows: the answered calls' outcomes
   * go to their tool parts there, the calls denied end as `tool-output-denied` (the part's
   * `output-denied` state), and `data-deferred` is sent again at the end.
   */
  resumedWith?: DeferredToolResults;
  /**
   * The structured output as it fills in: each `partial-output` event of the run becomes a
   * `data-output` part (id `output`, so the client replaces the one it has), at most once per this
   * many milliseconds (default 100; 0: every change; `false`: none, only the final output). The
   * final, validated output is always sent last, under the same id.
   */
  partialOutputMs?: number | false;
}
