/**
 * The seam a durable-execution engine plugs into (`schemantic/dbos`; see docs/durable-runs.md for
 * Temporal): a run given `steps` sends each model request and calls each tool handler through
 * `steps.step`, which the engine records. When a crashed run is replayed, a recorded step returns
 * what it returned the first time instead of running again: no model request is sent twice and
 * no completed side effect is repeated.
 *
 * What a step returns is plain JSON, so any engine can record it: a handler's ModelRetry,
 * ApprovalRequired and CallDeferred are returned as tagged values and thrown again outside the step.
 */
import { ModelRetry } from '../contract/errors.js';
import type { ModelResponse, ToolCallPart } from '../contract/messages.js';
import { ApprovalRequired, CallDeferred, type ApprovalCondition } from '../agent/deferred.js';
import type { RunContext } from '../agent/run-context.js';
import type { RuntimeTool } from '../agent/tools.js';

/** A durable-execution engine's step: runs `fn` once per position in the run and records its result. */
export interface DurableSteps {
  /**
   * Runs `fn` as the run's next step, or returns what it returned when the run is replayed.
   * Steps come in a deterministic order for a given history; `name` says what the step is
   * (`model:<n>`, `tool:<name>:<call id>`), for the engine's logs and UI.
   */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/** What a tool step records: the handler's value, or how it asked the run to go on. */
type RecordedCall = { value: unknown } | { retry: string } | { approval: unknown } | { deferred: unknown };

/**
 * Calls a tool's handler as a step; the handler's ModelRetry and deferrals survive the recording.
 * A conditional approval (`condition`, when the call is not approved yet) is decided inside the
 * same step: one step per call, started in call order whatever the condition awaits, and a replay
 * reads the decision instead of asking the condition again.
 */
export async function durableToolCall(
  steps: DurableSteps,
  tool: RuntimeTool,
  call: ToolCallPart,
  ctx: RunContext<unknown, unknown>,
  args: unknown,
  condition: ApprovalCondition | undefined,
): Promise<unknown> {
  const recorded = await steps.step<RecordedCall>(`tool:${call.toolName}:${call.toolCallId}`, async () => {
    try {
      if (condition && (await condition(ctx, args))) return { approval: null };
      const value = await tool.call(ctx, args);
      return { value: value === undefined ? null : value };
    } catch (err) {
      if (ModelRetry.isInstance(err)) return { retry: err.message };
      if (ApprovalRequired.isInstance(err)) return { approval: err.metadata ?? null };
      if (CallDeferred.isInstance(err)) return { deferred: err.metadata ?? null };
      throw err;
    }
  });
  if ('retry' in recorded) throw new ModelRetry(recorded.retry);
  if ('approval' in recorded) throw new ApprovalRequired(recorded.approval === null ? {} : { metadata: recorded.approval });
  if ('deferred' in recorded) throw new CallDeferred(recorded.deferred === null ? {} : { metadata: recorded.deferred });
  return recorded.value;
}

/** Sends a model request as the run's `n`th step. */
export function durableModelRequest(steps: DurableSteps, n: number, send: () => Promise<ModelResponse>): Promise<ModelResponse> {
  return steps.step(`model:${n}`, send);
}
