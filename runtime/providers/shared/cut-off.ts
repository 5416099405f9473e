/**
 * How a provider's response ends, one rule for every provider and for both the plain and the
 * streamed path. A response that stopped for length while a tool call was still being written has
 * that call's arguments cut off: it is an error, never a call to run. A stream that ends before the
 * provider said it finished was cut short: nothing may be taken as complete. The skeletons of a
 * response and of a stream's last events are built here too, so adapters keep to their own fields.
 */
import { ModelAPIError, UnexpectedModelBehavior } from '../../contract/errors.js';
import type { FinishReason, ModelResponse, RequestUsage, ResponsePart } from '../../contract/messages.js';
import { now } from '../../contract/messages.js';
import type { ModelStreamEvent } from '../../contract/stream-events.js';

type FinishEvent = Extract<ModelStreamEvent, { kind: 'finish' }>;

/** The error for a length stop in the middle of a call of `toolName`, if that is what happened. */
export function cutToolCall(
  finishReason: FinishReason | undefined,
  toolName: string | undefined,
  response: ModelResponse,
): UnexpectedModelBehavior | undefined {
  if (finishReason !== 'length' || toolName === undefined) return undefined;
  return new UnexpectedModelBehavior(`the model reached its max_tokens limit in the middle of a call of tool ${toolName}; raise maxTokens`, { response });
}

/** The error for a stream that ended early: `before` says what never came (`the model finished`). */
export function cutShort(modelName: string, before: string): ModelAPIError {
  return new ModelAPIError(modelName, `the stream from model ${modelName} ended before ${before}`);
}

/**
 * A response with the given parts (none: the partial response an error of a stream carries). The
 * caller adds what else it knows (`providerResponseId`, the finish reason).
 */
export function bareResponse(modelName: string, usage: RequestUsage, parts: ResponsePart[] = []): ModelResponse {
  return { kind: 'response', parts, modelName, timestamp: now(), usage };
}

/** `part-end` events for the parts still open at the end of a stream, in the order given. */
export function* partEnds(indexes: Iterable<number>): Generator<ModelStreamEvent> {
  for (const index of indexes) yield { kind: 'part-end', index };
}

/** The `finish` event of a stream, with those of `fields` that are set, in the order given. */
export function finishEvent(
  modelName: string,
  usage: RequestUsage,
  fields: { [K in 'finishReason' | 'providerDetails' | 'providerResponseId']?: FinishEvent[K] | undefined },
): FinishEvent {
  const finish: FinishEvent = { kind: 'finish', modelName, usage };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) (finish as unknown as Record<string, unknown>)[key] = value;
  return finish;
}
