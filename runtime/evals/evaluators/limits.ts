/**
 * Budgets of a run: its wall time, its tokens, its cost at given prices.
 */
import { UserError } from '../../contract/errors.js';
import type { Evaluator } from '../evaluator.js';
import type { EvaluatorOptions } from './options.js';

function positive(what: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0)) throw new UserError(`${what} must be a number at least 0, not ${JSON.stringify(value)}`);
  return value;
}

/** The run took at most `seconds` (wall time, as the runner measured it). */
export function maxDuration(seconds: number, options: EvaluatorOptions = {}): Evaluator {
  positive('maxDuration: seconds', seconds);
  return {
    name: options.name ?? 'maxDuration',
    kind: 'maxDuration',
    evaluate: (ctx) =>
      ctx.durationMs <= seconds * 1000 ? true : { value: false, reason: `expected at most ${seconds}s, took ${(ctx.durationMs / 1000).toFixed(3)}s` },
  };
}

/** Token limits; each is optional, at least one is needed. */
export interface TokenLimits extends EvaluatorOptions {
  /** Input plus output tokens. */
  total?: number;
  input?: number;
  output?: number;
}

/** The run (with the runs it delegated to) used at most these tokens. */
export function maxTokens(limits: TokenLimits): Evaluator {
  const checks = (['total', 'input', 'output'] as const).filter((k) => limits[k] !== undefined);
  if (checks.length === 0) throw new UserError('maxTokens needs a limit: total, input or output');
  for (const k of checks) positive(`maxTokens: ${k}`, limits[k]);
  return {
    name: limits.name ?? 'maxTokens',
    kind: 'maxTokens',
    evaluate: (ctx) => {
      const used = { total: ctx.usage.totalTokens, input: ctx.usage.inputTokens, output: ctx.usage.outputTokens };
      const over = checks.filter((k) => used[k] > limits[k]!);
      if (over.length === 0) return true;
      return { value: false, reason: over.map((k) => `expected at most ${limits[k]} ${k} tokens, used ${used[k]}`).join('; ') };
    },
  };
}

/** A cost budget and the prices that turn tokens into dollars. */
export interface CostLimit extends EvaluatorOptions {
  /** The most the run may cost, in US dollars. */
  usd: number;
  /** Dollars per million input tokens. */
  inputPerMillion: number;
  /** Dollars per million output tokens. */
  outputPerMillion: number;
}

/**
 * The run cost at most `usd`, at the given prices. Gives two results: `<name>.pass` (the
 * assertion) and `<name>.cost` (the cost in dollars, a score).
 */
export function maxCost(limit: CostLimit): Evaluator {
  for (const k of ['usd', 'inputPerMillion', 'outputPerMillion'] as const) positive(`maxCost: ${k}`, limit[k]);
  return {
    name: limit.name ?? 'maxCost',
    kind: 'maxCost',
    evaluate: (ctx) => {
      const cost = (ctx.usage.inputTokens / 1e6) * limit.inputPerMillion + (ctx.usage.outputTokens / 1e6) * limit.outputPerMillion;
      const reason = `$${cost.toFixed(6)} for ${ctx.usage.inputTokens} input and ${ctx.usage.outputTokens} output tokens`;
      return {
        pass: cost <= limit.usd ? { value: true, reason } : { value: false, reason: `expected at most $${limit.usd}, cost ${reason}` },
        cost,
      };
    },
  };
}
