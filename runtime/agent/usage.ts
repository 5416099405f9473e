/**
 * Usage of a run (requests, tokens, tool calls) and the limits checked against it.
 */
import { UsageLimitExceeded } from '../contract/errors.js';
import type { RequestUsage } from '../contract/messages.js';
import type { UsageLimits } from '../contract/spec.js';

/**
 * What a run (and the runs it delegated to) has used. One object is shared by an agent and its
 * delegates, so their requests add to the same totals and limits apply to the whole tree.
 */
export class Usage {
  /** Model requests made. */
  requests = 0;
  /** Function tool calls that ran successfully (a malformed or retried call does not count). */
  toolCalls = 0;
  inputTokens = 0;
  outputTokens = 0;
  /** Provider-specific figures, summed (`cacheReadTokens`, `reasoningTokens`, ...). */
  details: Record<string, number> = {};

  /** Input plus output tokens. */
  get totalTokens(): number {
    return this.inputTokens + this.outputTokens;
  }

  /** Adds one model response's usage. */
  addResponse(usage: RequestUsage): void {
    this.requests += 1;
    this.inputTokens += usage.inputTokens;
    this.outputTokens += usage.outputTokens;
    for (const [key, value] of Object.entries(usage.details ?? {})) this.details[key] = (this.details[key] ?? 0) + value;
  }

  /** A copy, as plain data. */
  snapshot(): UsageSnapshot {
    return {
      requests: this.requests,
      toolCalls: this.toolCalls,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      totalTokens: this.totalTokens,
      details: { ...this.details },
    };
  }
}

/** Usage as plain data. */
export interface UsageSnapshot {
  requests: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  details: Record<string, number>;
}

/** The request limit of a run that sets none (the reference's): a model that loops stops. */
export const DEFAULT_REQUEST_LIMIT = 50;

/** Before a request: would it exceed the request limit? */
export function checkBeforeRequest(usage: Usage, limits: UsageLimits | undefined): void {
  if (limits?.requests !== undefined && usage.requests + 1 > limits.requests) {
    throw new UsageLimitExceeded('requests', usage.requests + 1, limits.requests);
  }
}

/** After a response: are the token limits exceeded? */
export function checkTokens(usage: Usage, limits: UsageLimits | undefined): void {
  if (!limits) return;
  const checks: [keyof UsageLimits, number][] = [
    ['inputTokens', usage.inputTokens],
    ['outputTokens', usage.outputTokens],
    ['totalTokens', usage.totalTokens],
  ];
  for (const [limit, value] of checks) {
    const max = limits[limit];
    if (max !== undefined && value > max) throw new UsageLimitExceeded(limit, value, max);
  }
}

/** Before running tool calls: would they exceed the tool call limit, were they all to succeed? */
export function checkToolCalls(usage: Usage, limits: UsageLimits | undefined, count: number): void {
  if (limits?.toolCalls !== undefined && usage.toolCalls + count > limits.toolCalls) {
    throw new UsageLimitExceeded('toolCalls', usage.toolCalls + count, limits.toolCalls);
  }
}

/** Limits merged field by field; later sources win. */
export function mergeLimits(...sources: (UsageLimits | undefined)[]): UsageLimits | undefined {
  const out: UsageLimits = {};
  for (const s of sources) if (s) Object.assign(out, definedOnly(s));
  return Object.keys(out).length > 0 ? out : undefined;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
