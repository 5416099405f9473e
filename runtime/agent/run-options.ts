/**
 * The options every run takes, whatever its deps and context: what a delegate tool passes on.
 */
import type { ModelMessage } from '../contract/messages.js';
import type { ModelSettings, UsageLimits } from '../contract/spec.js';
import type { ModelLike } from '../models/registry.js';
import type { Instrument } from '../telemetry/instrumentation.js';
import type { Toolset } from './toolset.js';
import type { Usage } from './usage.js';
import type { DurableSteps } from '../run/durable-steps.js';

/** Options every run accepts. */
export interface BaseRunOptions {
  /**
   * Earlier messages of the conversation: objects, or JSON from `allMessagesJson()` (read with
   * `parseMessages`). Trusted, as server-side state: every part reaches the model as written. A
   * history a client sent goes through `parseClientMessages` first (user prompts and assistant text only).
   */
  messageHistory?: readonly ModelMessage[] | string;
  /** The model for this run. */
  model?: ModelLike;
  /** Merged over the agent's model settings. */
  modelSettings?: ModelSettings;
  /** Merged over the agent's usage limits. */
  usageLimits?: UsageLimits;
  /** Usage to add to (share one object across runs to count a whole conversation or hand-off). */
  usage?: Usage;
  /** Cancels the run, and the model request in flight. */
  signal?: AbortSignal;
  /**
   * Trace this run with OpenTelemetry (needs `import 'schemantic/telemetry'`): overrides the
   * agent's `instrument` and `instrumentAllAgents`.
   */
  instrument?: Instrument;
  /** The conversation this run belongs to, recorded on its trace (`gen_ai.conversation.id`). */
  conversationId?: string;
  /**
   * A W3C trace context to continue (`{ traceparent, tracestate }`, as received in HTTP headers):
   * the run's span becomes a child of that remote span. Without it, a traced run is a child of the
   * span current where it starts.
   */
  traceContext?: Readonly<Record<string, string>>;
  /** Tools from elsewhere for this run only (an MCP server), after the agent's own toolsets. */
  toolsets?: readonly Toolset[];
  /**
   * The run's id (`ctx.runId` in handlers): with `ctx.toolCallId`, a key for idempotent side effects.
   * A durable run's id is its workflow's.
   */
  runId?: string;
  /**
   * A durable-execution engine's steps (set by `schemantic/dbos`, or your own adapter): each model
   * request and tool call runs as a recorded step. See docs/durable-runs.md.
   */
  steps?: DurableSteps;
}
