/**
 * A response that stopped for length while a tool call was still being written has that call's
 * arguments cut off: it is an error, never a call to run. One rule for every provider and for
 * both the plain and the streamed path.
 */
import { UnexpectedModelBehavior } from '../errors.js';
import type { FinishReason, ModelResponse } from '../messages.js';

/** The error for a length stop in the middle of a call of `toolName`, if that is what happened. */
export function cutToolCall(finishReason: FinishReason | undefined, toolName: string | undefined, response: ModelResponse): UnexpectedModelBehavior | undefined {
  if (finishReason !== 'length' || toolName === undefined) return undefined;
  return new UnexpectedModelBehavior(`the model reached its max_tokens limit in the middle of a call of tool ${toolName}; raise maxTokens`, { response });
}
