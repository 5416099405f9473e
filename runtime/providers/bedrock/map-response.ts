/**
 * A Converse answer to a neutral response, and what the plain and the streaming call share:
 * usage, stop reasons, and the stops that make an answer unusable.
 *
 * Stop reasons: `end_turn` and `stop_sequence` stop; `max_tokens` and
 * `model_context_window_exceeded` are a length stop (an error when a tool call was being
 * written); `tool_use` is a tool call; `content_filtered` and `guardrail_intervened` are a safety
 * block and `malformed_model_output` / `malformed_tool_use` an unusable answer: both raise
 * UnexpectedModelBehavior carrying the response, which callers catch like any refusal.
 */
import type { ContentBlock, ConverseResponse, TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import { UnexpectedModelBehavior } from '../../contract/errors.js';
import type { FinishReason, ModelResponse, RequestUsage, ResponsePart } from '../../contract/messages.js';
import { responseText } from '../../contract/messages.js';
import { jsonTextOf, jsonValueTooDeep } from '../../stream/json-depth.js';
import { bareResponse, cutToolCall } from '../shared/cut-off.js';
import { expectArray, expectObject, expectText, isObject, MalformedAnswer } from '../shared/provider-errors.js';
import { BEDROCK } from './map-request.js';

/**
 * Token counts. Bedrock reports tokens read from and written to the prompt cache apart from
 * `inputTokens`; the neutral input count includes them (they were all sent), and the details say
 * how many were read or written.
 */
export function mapUsage(usage: Partial<TokenUsage> | null | undefined): RequestUsage {
  const input = usage?.inputTokens ?? 0;
  const cacheRead = usage?.cacheReadInputTokens ?? 0;
  const cacheWrite = usage?.cacheWriteInputTokens ?? 0;
  const details: Record<string, number> = {};
  if (cacheRead > 0) details['cacheReadTokens'] = cacheRead;
  if (cacheWrite > 0) details['cacheWriteTokens'] = cacheWrite;
  return { inputTokens: input + cacheRead + cacheWrite, outputTokens: usage?.outputTokens ?? 0, ...(Object.keys(details).length > 0 ? { details } : {}) };
}

/** The neutral finish reason of a stop reason. */
export function mapStopReason(reason: string | null | undefined): FinishReason | undefined {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-call';
    case 'content_filtered':
    case 'guardrail_intervened':
      return 'content-filter';
    case 'malformed_model_output':
    case 'malformed_tool_use':
      return 'error';
    default:
      return undefined;
  }
}

/**
 * Why a finished answer cannot be used, if it cannot: a safety block (with the text the guardrail
 * answered), a malformed answer, or a length stop while a tool call was being written.
 */
export function unusableStop(
  stopReason: string | null | undefined,
  openToolName: string | undefined,
  response: ModelResponse,
): UnexpectedModelBehavior | undefined {
  const finish = mapStopReason(stopReason);
  if (finish === 'content-filter') {
    const text = responseText(response);
    return new UnexpectedModelBehavior(`the model's answer was blocked (${stopReason})${text ? `: ${text}` : ''}`, { response });
  }
  if (finish === 'error') return new UnexpectedModelBehavior(`the model's answer was malformed (${stopReason})`, { response });
  return cutToolCall(finish, openToolName, response);
}

/** Redacted reasoning (bytes from the SDK) as the base64 text a thinking part keeps. */
export function base64Of(bytes: Uint8Array | string): string {
  return typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('base64');
}

/**
 * One content block as a part. Blocks of server tools (Nova's code interpreter: a `toolUse` of
 * type `server_tool_use` and its `toolResult`) ran on Bedrock's side and have no neutral form.
 */
export function blockPart(block: ContentBlock): ResponsePart | undefined {
  if (block.text !== undefined) return { kind: 'text', content: block.text };
  if (block.toolUse !== undefined) {
    if (block.toolUse.type === 'server_tool_use') return undefined;
    const input = block.toolUse.input ?? {};
    // Input nested past the depth limit is kept as its text: the run reads it as malformed JSON.
    return {
      kind: 'tool-call',
      toolName: block.toolUse.name ?? '',
      args: jsonValueTooDeep(input) ? jsonTextOf(input) : (input as object),
      toolCallId: block.toolUse.toolUseId ?? '',
    };
  }
  const reasoning = block.reasoningContent;
  if (reasoning?.reasoningText !== undefined) {
    const { text, signature } = reasoning.reasoningText;
    return { kind: 'thinking', content: text ?? '', ...(signature !== undefined ? { signature } : {}), provider: BEDROCK };
  }
  if (reasoning?.redactedContent !== undefined) return { kind: 'thinking', content: base64Of(reasoning.redactedContent), redacted: true, provider: BEDROCK };
  return undefined;
}

/**
 * Throws MalformedAnswer unless an answer has the shape the mapping reads: the SDK types say what
 * Bedrock sends, but a proxy at the endpoint can answer anything with status 200.
 */
export function checkAnswer(body: unknown): asserts body is ConverseResponse {
  expectObject(body, 'the answer');
  expectObject(body['output'], 'output');
  const message = body['output']['message'];
  expectObject(message, 'output.message');
  const content = message['content'];
  expectArray(content, 'output.message.content');
  for (const [i, block] of content.entries()) {
    const where = `output.message.content[${i}]`;
    expectObject(block, where);
    expectText(block['text'], `${where}.text`);
    const toolUse = block['toolUse'];
    if (toolUse !== undefined) {
      expectObject(toolUse, `${where}.toolUse`);
      if (typeof toolUse['name'] !== 'string' || typeof toolUse['toolUseId'] !== 'string') throw new MalformedAnswer(`${where}.toolUse has no name or id`);
      if (toolUse['input'] !== undefined && !isObject(toolUse['input'])) throw new MalformedAnswer(`${where}.toolUse.input is not an object`);
    }
    // Reasoning is kept and sent back as it came: a text or signature of another type would be too.
    const reasoning = block['reasoningContent'];
    if (isObject(reasoning) && reasoning['reasoningText'] !== undefined) {
      const text = reasoning['reasoningText'];
      expectObject(text, `${where}.reasoningContent.reasoningText`);
      expectText(text['text'], `${where}.reasoningContent.reasoningText.text`);
      expectText(text['signature'], `${where}.reasoningContent.reasoningText.signature`);
    }
  }
  expectText(body['stopReason'], 'stopReason');
  if (body['usage'] !== undefined) expectObject(body['usage'], 'usage');
}

/**
 * A Converse answer as a neutral response. Throws MalformedAnswer on an answer of another shape,
 * and UnexpectedModelBehavior on a safety block, a malformed answer or a tool call cut off.
 */
export function mapAnswer(body: unknown, modelName: string): ModelResponse {
  checkAnswer(body);
  const content = body.output?.message?.content ?? [];
  const parts = content.map(blockPart).filter((p): p is ResponsePart => p !== undefined);
  const response = bareResponse(modelName, mapUsage(body.usage), parts);
  const finishReason = mapStopReason(body.stopReason);
  if (finishReason) response.finishReason = finishReason;
  if (body.stopReason) response.providerDetails = { stopReason: body.stopReason };
  const requestId = (body as { $metadata?: { requestId?: unknown } }).$metadata?.requestId;
  if (typeof requestId === 'string') response.providerResponseId = requestId;
  const last = content[content.length - 1];
  const problem = unusableStop(body.stopReason, last?.toolUse?.name, response);
  if (problem) throw problem;
  return response;
}
