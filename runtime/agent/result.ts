/**
 * The result of a run: its typed output, usage and messages.
 */
import type { ModelMessage } from '../contract/messages.js';
import { messagesToJson } from '../contract/messages-json.js';
import type { Usage, UsageSnapshot } from './usage.js';
import type { PausedRun } from './paused-run.js';

/** Options of {@link RunResult.allMessages} and friends. */
export interface MessageOptions {
  /**
   * Replaces the content of the tool return that acknowledged the output tool call ("Final result
   * processed."): useful to continue a conversation with feedback on the output, as the reference's
   * flight booking example does ("Please suggest another flight").
   */
  outputToolReturnContent?: string;
}

/** A finished run. */
export class RunResult<Output> {
  constructor(
    /** The run's output, validated against the agent's output schema and output validators. */
    readonly output: Output,
    private readonly messages: readonly ModelMessage[],
    private readonly newFrom: number,
    private readonly usageRef: Usage,
    private readonly outputToolCallId: string | undefined,
    private readonly pausedState?: PausedRun,
  ) {}

  /**
   * When the run stopped at deferred calls (its output is DeferredToolRequests): its paused state,
   * plain JSON to store on the server and resume with `agent.resume(paused, results)`.
   */
  paused(): PausedRun | undefined {
    return this.pausedState === undefined ? undefined : structuredClone(this.pausedState);
  }

  /** Usage of the run (including delegated runs, and earlier runs sharing the usage object). */
  usage(): UsageSnapshot {
    return this.usageRef.snapshot();
  }

  /** Every message: the history the run was given, then this run's messages. */
  allMessages(options: MessageOptions = {}): ModelMessage[] {
    return this.withOptions(this.messages, options);
  }

  /** Only the messages of this run. */
  newMessages(options: MessageOptions = {}): ModelMessage[] {
    return this.withOptions(this.messages.slice(this.newFrom), options);
  }

  /** {@link allMessages} as versioned JSON (see parseMessages). */
  allMessagesJson(options: MessageOptions = {}): string {
    return messagesToJson(this.allMessages(options));
  }

  /** {@link newMessages} as versioned JSON. */
  newMessagesJson(options: MessageOptions = {}): string {
    return messagesToJson(this.newMessages(options));
  }

  private withOptions(messages: readonly ModelMessage[], options: MessageOptions): ModelMessage[] {
    const copy = structuredClone(messages) as ModelMessage[];
    const content = options.outputToolReturnContent;
    if (content === undefined || this.outputToolCallId === undefined) return copy;
    for (const message of copy) {
      if (message.kind !== 'request') continue;
      for (const part of message.parts) {
        if (part.kind === 'tool-return' && part.toolCallId === this.outputToolCallId) part.content = content;
      }
    }
    return copy;
  }
}
