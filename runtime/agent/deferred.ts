/**
 * Deferred tool calls: calls a run cannot finish by itself, because a person must approve them
 * first (`approval`) or because the caller runs them elsewhere (`external`: in the browser, in
 * another service). A run that reaches such calls ends with {@link DeferredToolRequests} as its
 * output; the caller gathers decisions and results and resumes the run with
 * {@link DeferredToolResults} (see `agent.resume` and paused-run.ts).
 *
 * Everything here is plain data except the requests' class (so `instanceof` narrows a run's
 * output): results travel from a browser as JSON, and a paused run is stored as JSON.
 */
import { SchemanticError, UserError } from '../contract/errors.js';
import { defineOwn } from '../schema/own.js';
import type { RunContext } from './run-context.js';

/** A deferred call: the tool, the call's id, and its arguments (validated against the tool's schema). */
export interface DeferredCall<Name extends string = string, Args = unknown> {
  /** The model-facing tool name. */
  readonly toolName: Name;
  /** The call's id, the key of its decision or result in {@link DeferredToolResults}. */
  readonly toolCallId: string;
  /** The arguments, valid for the tool's parameters. */
  readonly args: Args;
  /** What the tool attached when it asked (`new ApprovalRequired({ metadata })`, `new CallDeferred(...)`). */
  readonly metadata?: unknown;
}

/** The calls of a map from tool name to argument type, as a union of {@link DeferredCall}s. */
export type DeferredCallOf<ToolArgs extends object> = {
  [Name in keyof ToolArgs & string]: DeferredCall<Name, ToolArgs[Name]>;
}[keyof ToolArgs & string];

const REQUESTS = Symbol.for('schemantic.deferred-tool-requests');

/**
 * The output of a run that stopped at deferred calls. `Approvals` and `Externals` map the names of
 * the tools that may need approval, and of the external tools, to their argument types (generated
 * agents fill them in), so each call's `args` is typed once its `toolName` is checked.
 */
export class DeferredToolRequests<Approvals extends object = Record<string, unknown>, Externals extends object = Record<string, unknown>> {
  /** Tells it from an agent's own output in a `switch` on `kind` (and in JSON). */
  readonly kind = 'deferred-tool-requests' as const;
  /** Calls waiting for a person's decision, in the order the model made them. */
  readonly approvals: readonly DeferredCallOf<Approvals>[];
  /** Calls the caller runs (external tools, or tools that deferred themselves), in call order. */
  readonly calls: readonly DeferredCallOf<Externals>[];

  constructor(approvals: readonly DeferredCallOf<Approvals>[], calls: readonly DeferredCallOf<Externals>[]) {
    this.approvals = approvals;
    this.calls = calls;
    Object.defineProperty(this, REQUESTS, { value: true });
  }

  /** True for requests made by any copy of this package (two versions side by side). */
  static isInstance(value: unknown): value is DeferredToolRequests {
    return typeof value === 'object' && value !== null && (value as { [REQUESTS]?: unknown })[REQUESTS] === true;
  }

  /** Every pending call, approvals first. */
  all(): readonly DeferredCall[] {
    return [...this.approvals, ...this.calls];
  }

  /**
   * Results for these requests, checked: every id must be a pending call of the right kind
   * (a decision for an approval, a result for an external call). `approveAll` approves every
   * approval not decided otherwise.
   */
  results(decisions: { approvals?: Record<string, ApprovalDecision>; calls?: Record<string, unknown>; approveAll?: boolean }): DeferredToolResults {
    const approvals: Record<string, ApprovalDecision> = { ...decisions.approvals };
    const calls: Record<string, unknown> = { ...decisions.calls };
    const approvalIds = new Set(this.approvals.map((c) => c.toolCallId));
    const callIds = new Set(this.calls.map((c) => c.toolCallId));
    const strayApprovals = Object.keys(approvals).filter((id) => !approvalIds.has(id));
    if (strayApprovals.length > 0) throw new UserError(`decisions for calls that wait for no approval: ${strayApprovals.sort().join(', ')}`);
    const strayCalls = Object.keys(calls).filter((id) => !callIds.has(id));
    if (strayCalls.length > 0) throw new UserError(`results for calls that are not external: ${strayCalls.sort().join(', ')}`);
    // Own keys only, set as own properties: a call id may be `constructor` or `__proto__`.
    if (decisions.approveAll) for (const id of approvalIds) if (!Object.hasOwn(approvals, id)) defineOwn(approvals, id, true);
    return { approvals, calls };
  }

  /** Plain data (a browser, a log, a durable engine's event), without the class. */
  toJSON(): { kind: 'deferred-tool-requests'; approvals: readonly DeferredCall[]; calls: readonly DeferredCall[] } {
    return { kind: this.kind, approvals: this.approvals, calls: this.calls };
  }
}

/**
 * A decision on a call waiting for approval: `true` (run it), `false` (deny it with the default
 * message), or the long forms: approved with other arguments (checked against the tool's
 * parameters), or denied with a message the model sees.
 */
export type ApprovalDecision = boolean | { readonly approved: true; readonly overrideArgs?: unknown } | { readonly approved: false; readonly message?: string };

/** What the model sees for a denied call without a message of its own (as in the reference). */
export const DEFAULT_DENIAL = 'The tool call was denied.';

/**
 * An external call's outcome when it failed: `retry` goes back to the model as a retry prompt
 * (counted against the tool's retries), as a handler's ModelRetry would.
 */
export interface ExternalRetry {
  readonly retry: string;
}

/**
 * What the caller sends back to resume a paused run, keyed by call id: decisions on approvals,
 * and the results of external calls (validated against the tool's `returns`; a `{ retry }` object
 * asks the model to try again). Plain JSON, so a browser can send it; it never carries a history.
 */
export interface DeferredToolResults {
  readonly approvals?: Readonly<Record<string, ApprovalDecision>>;
  readonly calls?: Readonly<Record<string, unknown>>;
}

/** True for an external result that asks the model to retry. */
export function isExternalRetry(value: unknown): value is ExternalRetry {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 1 && typeof (value as { retry?: unknown }).retry === 'string';
}

/**
 * Thrown by a tool handler (or an approval condition) to ask for a person's approval of this call
 * before it runs; the handler is called again, with `ctx.toolCallApproved` true, once approved.
 */
export class ApprovalRequired extends SchemanticError {
  readonly metadata: unknown;

  constructor(options: { metadata?: unknown; message?: string } = {}) {
    super(options.message ?? 'the tool call needs approval');
    this.metadata = options.metadata;
  }
}

/**
 * Thrown by a tool handler to hand this call to the caller: the run ends with the call among
 * `DeferredToolRequests.calls`, and its result comes back with the resume.
 */
export class CallDeferred extends SchemanticError {
  readonly metadata: unknown;

  constructor(options: { metadata?: unknown; message?: string } = {}) {
    super(options.message ?? 'the tool call is deferred to the caller');
    this.metadata = options.metadata;
  }
}

/**
 * Decides per call whether a tool needs approval (`approval: conditional` in the definitions, or
 * `needsApproval` on a hand-written tool): called with the validated arguments before the handler.
 */
export type ApprovalCondition<Deps = unknown, Context = unknown, Args = unknown> = (ctx: RunContext<Deps, Context>, args: Args) => boolean | Promise<boolean>;
