/**
 * Anthropic Messages responses to neutral responses: content blocks, stop reasons and usage,
 * shared by the plain and the streaming call.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { UnexpectedModelBehavior } from '../../contract/errors.js';
import type { FinishReason, ModelResponse, RequestUsage, ResponsePart } from '../../contract/messages.js';
import { responseText } from '../../contract/messages.js';
import { bareResponse, cutToolCall } from '../shared/cut-off.js';

/** Usage counts as Anthropic reports them (in the message, or cumulatively in a stream). */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
}

/**
 * Token counts. Anthropic reports cached input apart from `input_tokens`; the neutral input count
 * includes it (it was all sent), and the details say how much was read from or written to the cache.
 */
export function mapUsage(usage: AnthropicUsage | null | undefined): RequestUsage {
  const input = usage?.input_tokens ?? 0;
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  const details: Record<string, number> = {};
  if (cacheRead > 0) details['cacheReadTokens'] = cacheRead;
  if (cacheWrite > 0) details['cacheWriteTokens'] = cacheWrite;
  const thinking = usage?.output_tokens_details?.thinking_tokens ?? 0;
  if (thinking > 0) details['reasoningTokens'] = thinking;
  return { inputTokens: input + cacheRead + cacheWrite, outputTokens: usage?.output_tokens ?? 0, ...(Object.keys(details).length > 0 ? { details } : {}) };
}

/** The neutral finish reason of a stop reason. */
export function mapStopReason(reason: string | null | undefined): FinishReason | undefined {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-call';
    case 'refusal':
      return 'content-filter';
    default:
      return undefined;
  }
}

/** One content block as a part (blocks of server tools have no neutral form and are skipped). */
export function blockPart(block: Anthropic.ContentBlock): ResponsePart | undefined {
  switch (block.type) {
    case 'text':
      return { kind: 'text', content: block.text };
    case 'tool_use':
      return { kind: 'tool-call', toolName: block.name, args: block.input as object, toolCallId: block.id };
    case 'thinking':
      return { kind: 'thinking', content: block.thinking, signature: block.signature, provider: 'anthropic' };
    case 'redacted_thinking':
      return { kind: 'thinking', content: block.data, redacted: true, provider: 'anthropic' };
    default:
      return undefined;
  }
}

/** What Anthropic says about a refusal (`stop_details`). */
export interface StopDetails {
  category?: string | null;
  explanation?: string | null;
}

/**
 * Why a finished message cannot be used, if it cannot: a refusal (with Anthropic's explanation),
 * or a stop for length while a tool call was still being written (its arguments are cut off).
 */
export function unusableStop(
  stopReason: string | null | undefined,
  openToolName: string | undefined,
  refusalText: string,
  response: ModelResponse,
  details?: StopDetails | null,
): UnexpectedModelBehavior | undefined {
  if (stopReason === 'refusal') {
    const why = [details?.explanation, refusalText].filter((t): t is string => typeof t === 'string' && t !== '').join(' ');
    if (details?.category) response.providerDetails = { ...response.providerDetails, refusalCategory: details.category };
    return new UnexpectedModelBehavior(`the model refused to answer${why ? `: ${why}` : ''}`, { response });
  }
  return cutToolCall(mapStopReason(stopReason), openToolName, response);
}

/** A message as a neutral response. Throws on a refusal or a tool call cut off by max_tokens. */
export function mapMessage(message: Anthropic.Message): ModelResponse {
  const parts = message.content.map(blockPart).filter((p): p is ResponsePart => p !== undefined);
  const response = bareResponse(message.model, mapUsage(message.usage), parts);
  response.providerResponseId = message.id;
  const finishReason = mapStopReason(message.stop_reason);
  if (finishReason) response.finishReason = finishReason;
  if (message.stop_reason) response.providerDetails = { stopReason: message.stop_reason };
  const last = message.content[message.content.length - 1];
  const text = responseText(response);
  const problem = unusableStop(
    message.stop_reason,
    last?.type === 'tool_use' ? last.name : undefined,
    text,
    response,
    (message as { stop_details?: StopDetails | null }).stop_details,
  );
  if (problem) throw problem;
  return response;
}
