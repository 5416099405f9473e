/**
 * Assertions on the tools the model called: read from the tool-call parts of the run's responses
 * (`ctx.newMessages`: a call in the case's history is not the run's), so a call counts whether or not its handler succeeded. Output tools
 * (`final_result...`) are tools too.
 */
import { UserError } from '../../contract/errors.js';
import { toolCallArgs, toolCalls, type ModelMessage, type ToolCallPart } from '../../contract/messages.js';
import type { JsonSchema } from '../../contract/spec.js';
import type { Evaluator } from '../evaluator.js';
import type { EvaluatorOptions } from './options.js';
import { preview, strictValidator } from './json-values.js';

/** Options of `toolCalled`. */
export interface ToolCalledOptions extends EvaluatorOptions {
  /** At least one call's arguments fit this JSON Schema (strictly: no lax scalars). */
  args?: JsonSchema;
  /** How many calls of the tool there are (any arguments): default at least one. */
  times?: { min?: number; max?: number };
}

/** The calls of a tool in a run's messages, in order. */
function callsOf(messages: readonly ModelMessage[], tool: string): ToolCallPart[] {
  return messages.flatMap((m) => (m.kind === 'response' ? toolCalls(m).filter((c) => c.toolName === tool) : []));
}

/** `once`, `2 times`. */
function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

/** The names of every tool called, for reasons (`get_city x2, final_result`). */
function calledTools(messages: readonly ModelMessage[]): string {
  const counts = new Map<string, number>();
  for (const m of messages) if (m.kind === 'response') for (const c of toolCalls(m)) counts.set(c.toolName, (counts.get(c.toolName) ?? 0) + 1);
  if (counts.size === 0) return 'no tool was called';
  return 'called: ' + [...counts].map(([name, n]) => (n > 1 ? `${name} x${n}` : name)).join(', ');
}

/**
 * The run called `tool`: at least once, or between `times.min` and `times.max` times; with
 * `args`, at least one call's arguments fit the schema. Result name: `toolCalled <tool>`.
 */
export function toolCalled(tool: string, options: ToolCalledOptions = {}): Evaluator {
  const max = options.times?.max ?? Infinity;
  // `{ max: 0 }` reads as "never": the default minimum gives way to a lower maximum.
  const min = options.times?.min ?? Math.min(1, max);
  if (!(min >= 0) || !(max >= min)) throw new UserError(`toolCalled ${tool}: times must have 0 <= min <= max, not ${JSON.stringify(options.times)}`);
  const fits = options.args === undefined ? undefined : strictValidator(options.args, `evaluator toolCalled ${tool}: args`);
  return {
    name: options.name ?? `toolCalled ${tool}`,
    kind: 'toolCalled',
    evaluate: (ctx) => {
      const calls = callsOf(ctx.newMessages, tool);
      if (calls.length < min || calls.length > max) {
        const wanted = max === Infinity ? `at least ${times(min)}` : min === max ? `exactly ${times(min)}` : `${min} to ${max} times`;
        const seen = calls.length === 0 ? ` (${calledTools(ctx.newMessages)})` : '';
        return { value: false, reason: `expected ${tool} called ${wanted}, called ${times(calls.length)}${seen}` };
      }
      if (!fits || calls.length === 0) return true;
      let last = '';
      for (const call of calls) {
        let args: unknown;
        try {
          args = toolCallArgs(call);
        } catch {
          last = `malformed JSON ${preview(call.args, 60)}`;
          continue;
        }
        const checked = fits(args);
        if (checked.ok) return true;
        last = `${preview(args, 80)}: ${checked.errors}`;
      }
      return { value: false, reason: `expected a call of ${tool} with arguments fitting the schema, none of ${calls.length} did (last: ${last})` };
    },
  };
}

/** The run never called `tool`. Result name: `toolNotCalled <tool>`. */
export function toolNotCalled(tool: string, options: EvaluatorOptions = {}): Evaluator {
  return {
    name: options.name ?? `toolNotCalled ${tool}`,
    kind: 'toolNotCalled',
    evaluate: (ctx) => {
      const calls = callsOf(ctx.newMessages, tool);
      if (calls.length === 0) return true;
      return {
        value: false,
        reason: `expected no call of ${tool}, called ${times(calls.length)} (first with ${preview(calls[0]!.args, 80)})`,
      };
    },
  };
}
