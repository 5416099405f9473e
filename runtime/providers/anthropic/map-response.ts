/**
 * Anthropic Messages responses to neutral responses: content blocks, stop reasons and usage,
 * shared by the plain and the streaming call.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { UnexpectedModelBehavior } from '../../contract/errors.js';
import type { FinishReason, ModelResponse, RequestUsage, ResponsePart } from '../../contract/messages.js';
import { responseText } from '../../contract/messages.js';
import { bareResponse, cutToolCall } from '../shared/cut-off.js';
import { jsonTextOf, jsonValueTooDeep } from '../../stream/json-depth.js';
import { expectArray, expectObject, expectText, isObject, MalformedAnswer } from '../shared/provider-errors.js';

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
      // Input nested past the depth limit is kept as its text: the run reads it as malformed JSON
      // (a retry prompt), and no JSON.stringify of the history has to walk it.
      return {
        kind: 'tool-call',
        toolName: block.name,
        args: jsonValueTooDeep(block.input) ? jsonTextOf(block.input) : (block.input as object),
        toolCallId: block.id,
      };
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

/** Throws MalformedAnswer unless a content block has the fields its part is made of. */
export function checkBlock(block: unknown, where: string): asserts block is Anthropic.ContentBlock {
  expectObject(block, where);
  const field = (name: string, ok: (value: unknown) => boolean, kind: string) => {
    if (!ok(block[name])) throw new MalformedAnswer(`${where}.${name} is not ${kind}`);
  };
  const isString = (value: unknown) => typeof value === 'string';
  field('type', isString, 'a string');
  switch (block['type']) {
    case 'text':
      return field('text', isString, 'a string');
    case 'tool_use':
      field('name', isString, 'a string');
      field('id', isString, 'a string');
      return field('input', isObject, 'an object');
    case 'thinking':
      return field('thinking', isString, 'a string');
    case 'redacted_thinking':
      return field('data', isString, 'a string');
  }
}

/**
 * Throws MalformedAnswer unless a message has the shape the mapping reads: the SDK types say what
 * Anthropic sends, but a proxy or a compatible server can answer anything with status 200, even
 * its error object.
 */
export function checkMessage(body: unknown): asserts body is Anthropic.Message {
  const error = MalformedAnswer.errorIn(body);
  if (error) throw error;
  expectObject(body, 'the body');
  const content = body['content'];
  expectArray(content, 'content');
  for (const [i, block] of content.entries()) checkBlock(block, `content[${i}]`);
  expectText(body['stop_reason'], 'stop_reason');
}

/**
 * A message as a neutral response. Throws MalformedAnswer on a body that is not a message, and
 * UnexpectedModelBehavior on a refusal or a tool call cut off by max_tokens.
 */
export function mapMessage(body: unknown): ModelResponse {
  checkMessage(body);
  const message = body;
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
