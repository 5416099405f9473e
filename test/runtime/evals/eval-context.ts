/**
 * An evaluator context for tests: a finished run's fields with plain defaults, any of them given.
 */
import { agent, type Agent, type ModelMessage, type ResponsePart } from 'schemantic';
import type { EvaluatorContext } from 'schemantic/evals';

const plain = agent({ name: 'plain' });

/** A context whose output is `output`; the rest defaults to an empty, instant, free run of a text agent. */
export function evalContext(output: unknown, extra: Partial<EvaluatorContext> = {}): EvaluatorContext {
  return {
    name: 'case-1',
    prompt: 'the prompt',
    context: undefined,
    metadata: {},
    expected: undefined,
    output,
    durationMs: 0,
    usage: { requests: 1, toolCalls: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, details: {} },
    messages: [],
    spans: undefined,
    agent: plain as unknown as Agent<never, unknown, never>,
    judgeModel: undefined,
    repeat: 0,
    signal: new AbortController().signal,
    ...extra,
    // Cases without a history: the run's own messages are all of them.
    newMessages: extra.newMessages ?? extra.messages ?? [],
  };
}

/** A model response holding these parts. */
export function response(...parts: ResponsePart[]): ModelMessage {
  return { kind: 'response', parts, modelName: 'scripted', timestamp: new Date(0).toISOString(), usage: { inputTokens: 0, outputTokens: 0 } };
}
