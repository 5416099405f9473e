/**
 * Settings scoped to an async call tree (AsyncLocalStorage, see async-scope.ts): agent overrides and message capture.
 * Scoping keeps concurrent runs elsewhere in the process unaffected.
 */
import { createAsyncScope } from './async-scope.js';
import type { ModelMessage } from '../contract/messages.js';
import type { ModelLike } from '../models/registry.js';
import type { Instruction, SystemPrompt } from './instructions.js';
import type { RuntimeTool } from './tools.js';

/**
 * What `agent.override` replaces for runs inside its callback (the agent's typed form is
 * `Agent.override`'s parameter): each field present replaces the agent's own.
 */
export interface AgentOverrides {
  model?: ModelLike;
  deps?: unknown;
  /** Every instruction of the agent (its definition's and its options'). */
  instructions?: readonly Instruction<unknown, unknown>[];
  /** Every system prompt of the agent (its definition's and its options'). */
  systemPrompt?: readonly SystemPrompt<unknown, unknown>[];
  /** Every tool the model can call (function tools and delegates), by model-facing name. */
  tools?: ReadonlyMap<string, RuntimeTool>;
}

const overrides = createAsyncScope<ReadonlyMap<object, AgentOverrides>>();

/** Runs `fn` with overrides for one agent (nested overrides of other agents are kept). */
export function withOverrides<T>(agent: object, value: AgentOverrides, fn: () => Promise<T>): Promise<T> {
  const current = overrides.getStore();
  const next = new Map(current ?? []);
  next.set(agent, { ...(current?.get(agent) ?? {}), ...value });
  return overrides.run(next, fn);
}

/** The overrides in effect for an agent. */
export function overridesFor(agent: object): AgentOverrides | undefined {
  return overrides.getStore()?.get(agent);
}

interface Capture {
  messages: ModelMessage[] | undefined;
}

const captures = createAsyncScope<Capture>();

/** What {@link captureRunMessages} returns. */
export interface CapturedRun<T> {
  /** The messages of the first run started inside the callback (as far as it got). */
  messages: ModelMessage[];
  /** The callback's value, when it succeeded. */
  value?: T;
  /** What the callback threw, when it failed. */
  error?: unknown;
}

/**
 * Runs `fn` and returns the messages of the first agent run started inside it, even when that
 * run failed (to see what the model did before UnexpectedModelBehavior, say). Never throws: the
 * callback's error is returned in `error`.
 */
export async function captureRunMessages<T>(fn: () => Promise<T>): Promise<CapturedRun<T>> {
  const capture: Capture = { messages: undefined };
  try {
    const value = await captures.run(capture, fn);
    return { messages: capture.messages ?? [], value };
  } catch (error) {
    return { messages: capture.messages ?? [], error };
  }
}

/** Called when a run starts: hands its (live) message list to an open capture, if any. */
export function offerRunMessages(messages: ModelMessage[]): void {
  const capture = captures.getStore();
  if (capture && capture.messages === undefined) capture.messages = messages;
}
