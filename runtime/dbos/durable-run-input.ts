/**
 * What starts a durable run: its workflow's input, plain JSON that DBOS stores with the workflow
 * (and that a client in another process can enqueue). What cannot be JSON stays in the worker
 * process: deps are given when the durable agent is made, the model is the agent's (or a model id).
 */
import { UserError } from '../contract/errors.js';
import { MESSAGES_FORMAT_VERSION, type ModelMessage } from '../contract/messages.js';
import { historyValidatorReady, parseMessages, validateMessages, type SerializedMessages } from '../contract/messages-json.js';
import type { ModelSettings, UsageLimits } from '../contract/spec.js';
import type { DeferredToolResults } from '../agent/deferred.js';
import type { PausedRun } from '../agent/paused-run.js';
import type { UserPrompt } from '../run/setup.js';

/** The options of a durable run, besides its prompt: what can be written down as JSON. */
export interface DurableRunOptions<Context = unknown> {
  /** The run's context (fills the instructions' placeholders; checked against the agent's context schema). */
  context?: Context;
  /**
   * The workflow's id, which is also the run's id (`ctx.runId`). Starting a run with the id of one
   * that exists gives that run (DBOS runs a workflow id once): a natural idempotency key for a
   * request that may be retried (a chat message id). Default: a new UUID.
   */
  workflowId?: string;
  /** Earlier messages of the conversation (objects, or JSON from `allMessagesJson()`). */
  messageHistory?: readonly ModelMessage[] | string;
  /** A model id (`openai:gpt-4o`) for this run; a Model object cannot be stored, give it to the agent. */
  model?: string;
  /** Merged over the agent's model settings. */
  modelSettings?: ModelSettings;
  /** Merged over the agent's usage limits. */
  usageLimits?: UsageLimits;
  /** The conversation this run belongs to, recorded on its trace. */
  conversationId?: string;
}

/** A durable run's workflow input. */
export interface DurableRunInput {
  /** The version of this format (1). */
  readonly version: 1;
  /** The user prompt (empty for a resume). */
  readonly prompt: UserPrompt;
  /** The run's context (DurableRunOptions.context). */
  readonly context?: unknown;
  /** Earlier messages of the conversation, validated and versioned. */
  readonly messageHistory?: SerializedMessages;
  /** A model id for this run, instead of the agent's model. */
  readonly model?: string;
  /** Merged over the agent's model settings. */
  readonly modelSettings?: ModelSettings;
  /** Merged over the agent's usage limits. */
  readonly usageLimits?: UsageLimits;
  /** The conversation this run belongs to. */
  readonly conversationId?: string;
  /** A run that paused outside this workflow (in a plain run, or a durable one whose wait timed out), resumed with these results. */
  readonly resume?: { readonly paused: PausedRun; readonly results: DeferredToolResults };
}

/** The workflow input of a run (the history checked here, before it is stored). */
export async function durableRunInput(prompt: UserPrompt, options: DurableRunOptions = {}): Promise<DurableRunInput> {
  const input: { -readonly [K in keyof DurableRunInput]: DurableRunInput[K] } = { version: 1, prompt };
  if (options.context !== undefined) input.context = options.context;
  if (options.messageHistory !== undefined) {
    await historyValidatorReady();
    const messages = typeof options.messageHistory === 'string' ? parseMessages(options.messageHistory) : validateMessages(options.messageHistory);
    input.messageHistory = { version: MESSAGES_FORMAT_VERSION, messages: structuredClone(messages) };
  }
  if (options.model !== undefined) {
    if (typeof options.model !== 'string') throw new UserError('a durable run takes a model id (a string): give a Model object to the agent itself');
    input.model = options.model;
  }
  if (options.modelSettings !== undefined) input.modelSettings = options.modelSettings;
  if (options.usageLimits !== undefined) input.usageLimits = options.usageLimits;
  if (options.conversationId !== undefined) input.conversationId = options.conversationId;
  return input;
}
