/**
 * OpenAI Chat Completions responses to neutral responses: the pieces shared by the plain and the
 * streaming call (usage, finish reasons, refusals), and the plain completion.
 */
import type OpenAI from 'openai';
import { UnexpectedModelBehavior } from '../../contract/errors.js';
import type { FinishReason, ModelResponse, RequestUsage, ResponsePart } from '../../contract/messages.js';
import { bareResponse, cutToolCall } from '../shared/cut-off.js';
import { expectArray, expectObject, expectOptionalArray, expectText, MalformedAnswer } from '../shared/provider-errors.js';
import type { ProviderProfile } from '../shared/provider-profile.js';
import { contentChunkParts, takeContentChunks } from './content-chunks.js';
import { splitThinkTags } from './think-tags.js';

/** Token counts, with the details OpenAI reports (reasoning, cached and audio tokens). */
export function mapUsage(usage: OpenAI.CompletionUsage | null | undefined): RequestUsage {
  if (!usage) return { inputTokens: 0, outputTokens: 0 };
  const details: Record<string, number> = {};
  const add = (key: string, value: number | null | undefined) => {
    if (typeof value === 'number' && value > 0) details[key] = value;
  };
  add('reasoningTokens', usage.completion_tokens_details?.reasoning_tokens);
  add('cacheReadTokens', usage.prompt_tokens_details?.cached_tokens);
  add('inputAudioTokens', usage.prompt_tokens_details?.audio_tokens);
  add('outputAudioTokens', usage.completion_tokens_details?.audio_tokens);
  add('acceptedPredictionTokens', usage.completion_tokens_details?.accepted_prediction_tokens);
  add('rejectedPredictionTokens', usage.completion_tokens_details?.rejected_prediction_tokens);
  return { inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0, ...(Object.keys(details).length > 0 ? { details } : {}) };
}

/** The neutral finish reason of an OpenAI one. */
export function mapFinishReason(reason: string | null | undefined): FinishReason | undefined {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-call';
    case 'content_filter':
      return 'content-filter';
    default:
      return undefined;
  }
}

/** A refusal is not an answer the run can use: it ends the run with the model's words. */
export function refusalError(refusal: string, response: ModelResponse): UnexpectedModelBehavior {
  return new UnexpectedModelBehavior(`the model refused to answer: ${refusal}`, { response });
}

/** Reasoning text some OpenAI-compatible servers put beside the content. */
export function reasoningText(message: object | null | undefined, profile: ProviderProfile): string | undefined {
  if (!profile.reasoningField || !message) return undefined;
  const value = (message as Record<string, unknown>)[profile.reasoningField];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Throws MalformedAnswer unless a completion has the shape the mapping reads: the SDK types say
 * what OpenAI sends, but an OpenAI-compatible server (or a proxy) can answer anything with status
 * 200, even its error object. Only the first choice is checked: it is the only one read.
 */
export function checkCompletion(body: unknown): asserts body is OpenAI.Chat.ChatCompletion {
  const error = MalformedAnswer.errorIn(body);
  if (error) throw error;
  expectObject(body, 'the body');
  const choices = body['choices'];
  expectArray(choices, 'choices');
  if (choices.length === 0) return;
  const choice = choices[0];
  expectObject(choice, 'choices[0]');
  const message = choice['message'];
  expectObject(message, 'choices[0].message');
  expectText(message['content'], 'choices[0].message.content');
  expectText(message['refusal'], 'choices[0].message.refusal');
  const calls = message['tool_calls'];
  expectOptionalArray(calls, 'choices[0].message.tool_calls');
  for (const [i, call] of (calls ?? []).entries()) {
    const where = `choices[0].message.tool_calls[${i}]`;
    expectObject(call, where);
    // Calls of other kinds (custom tools) have no function; an untyped call is a function call.
    if (call['type'] !== undefined && call['type'] !== 'function') continue;
    const fn = call['function'];
    expectObject(fn, `${where}.function`);
    if (typeof fn['name'] !== 'string') throw new MalformedAnswer(`${where}.function.name is not a string`);
    expectText(fn['arguments'], `${where}.function.arguments`);
    expectText(call['id'], `${where}.id`);
  }
}

/**
 * A completion as a neutral response. Throws MalformedAnswer on a body that is not a completion,
 * and UnexpectedModelBehavior on a refusal or a response without choices.
 */
export function mapCompletion(body: unknown, profile: ProviderProfile): ModelResponse {
  const { body: plain, chunks } = profile.contentChunks ? takeContentChunks(body, 'message') : { body, chunks: undefined };
  checkCompletion(plain);
  const completion = plain;
  const choice = completion.choices[0];
  const parts: ResponsePart[] = [];
  const message = choice?.message;
  const reasoning = reasoningText(message, profile);
  if (reasoning !== undefined) parts.push({ kind: 'thinking', content: reasoning, provider: profile.name });
  if (chunks) parts.push(...contentChunkParts(chunks, 'choices[0].message.content', profile.name));
  if (message?.content)
    parts.push(...(profile.thinkTags ? splitThinkTags(message.content, profile.name) : [{ kind: 'text' as const, content: message.content }]));
  for (const call of message?.tool_calls ?? []) {
    if (call.type === 'function' || call.type === undefined)
      parts.push({ kind: 'tool-call', toolName: call.function.name, args: call.function.arguments ?? '', toolCallId: call.id ?? '' });
  }
  const response = bareResponse(completion.model, mapUsage(completion.usage), parts);
  response.providerResponseId = completion.id;
  const finishReason = mapFinishReason(choice?.finish_reason);
  if (finishReason) response.finishReason = finishReason;
  if (choice?.finish_reason) response.providerDetails = { finishReason: choice.finish_reason };
  if (!choice) throw new UnexpectedModelBehavior(`model ${completion.model} answered without any choice`, { response });
  if (message?.refusal) throw refusalError(message.refusal, response);
  // OpenAI does not say which call was being written when the length ran out: the last one was.
  const lastCall = parts.findLast((p) => p.kind === 'tool-call');
  const cut = cutToolCall(finishReason, lastCall?.kind === 'tool-call' ? lastCall.toolName : undefined, response);
  if (cut) throw cut;
  return response;
}
