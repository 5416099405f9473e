/**
 * How a durable run ends: its workflow's output (plain JSON, stored by DBOS) and the result a
 * caller reads from it, in this process or any other that shares the database.
 */
import { MESSAGES_FORMAT_VERSION, type ModelMessage } from '../contract/messages.js';
import { messagesToJson, type SerializedMessages } from '../contract/messages-json.js';
import { DeferredToolRequests, type DeferredCall } from '../agent/deferred.js';
import type { PausedRun } from '../agent/paused-run.js';
import type { RunResult } from '../agent/result.js';
import type { UsageSnapshot } from '../agent/usage.js';

/** A durable run's workflow output. */
export interface DurableRunOutput {
  /** The version of this format (1). */
  readonly version: 1;
  /** The run's output; DeferredToolRequests as their JSON when `deferred`. */
  readonly output: unknown;
  /** The run stopped at deferred calls: no decision came before the approval timeout. */
  readonly deferred: boolean;
  /** The whole conversation. */
  readonly messages: SerializedMessages;
  /** Where this run's own messages start in `messages`. */
  readonly newFrom: number;
  /** Usage of the whole run, every resume after a pause included. */
  readonly usage: UsageSnapshot;
  /** With `deferred`: the paused run, to resume (`durable.resume`, or `agent.resume` in a plain run). */
  readonly paused?: PausedRun;
}

/** The workflow output of a finished run; `newFrom` counts from the conversation's start. */
export function durableRunOutput(result: RunResult<unknown>, newFrom: number, usage: UsageSnapshot): DurableRunOutput {
  const messages = result.allMessages();
  const deferred = DeferredToolRequests.isInstance(result.output);
  const output: { -readonly [K in keyof DurableRunOutput]: DurableRunOutput[K] } = {
    version: 1,
    output: deferred ? (result.output as DeferredToolRequests).toJSON() : result.output,
    deferred,
    messages: { version: MESSAGES_FORMAT_VERSION, messages },
    newFrom,
    usage,
  };
  const paused = result.paused();
  if (paused) output.paused = paused;
  return output;
}

/** A finished durable run, as its caller reads it. */
export class DurableRunResult<Output> {
  /** The run's output (DeferredToolRequests when it stopped waiting for decisions, see `paused()`). */
  readonly output: Output;

  constructor(
    /** The run's workflow (and the run's id, `ctx.runId`). */
    readonly workflowId: string,
    private readonly stored: DurableRunOutput,
  ) {
    if (stored.deferred) {
      const json = stored.output as { approvals: readonly DeferredCall[]; calls: readonly DeferredCall[] };
      this.output = new DeferredToolRequests(json.approvals, json.calls) as Output;
    } else {
      this.output = stored.output as Output;
    }
  }

  /** Usage of the whole run, every resume after an approval included. */
  usage(): UsageSnapshot {
    return structuredClone(this.stored.usage);
  }

  /** Every message: the history the run was given, then the run's. */
  allMessages(): ModelMessage[] {
    return structuredClone(this.stored.messages.messages);
  }

  /** Only the run's messages. */
  newMessages(): ModelMessage[] {
    return this.allMessages().slice(this.stored.newFrom);
  }

  /** {@link allMessages} as versioned JSON (see parseMessages). */
  allMessagesJson(): string {
    return messagesToJson(this.stored.messages.messages);
  }

  /** When the run stopped at deferred calls (no decision in time): its paused state, to resume. */
  paused(): PausedRun | undefined {
    return this.stored.paused === undefined ? undefined : structuredClone(this.stored.paused);
  }
}
