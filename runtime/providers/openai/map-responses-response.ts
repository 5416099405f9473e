/**
 * OpenAI Responses API answers to neutral responses: the pieces shared by the plain and the
 * streaming call (usage, how a response ended, refusals, the shape check of output items), and
 * the plain response.
 *
 * Output items become parts in order: a `reasoning` item one thinking part per summary (one empty
 * part when it has none), carrying the item id and its encrypted content so it can go back; a
 * `message` one text part (a `refusal` in it is an error); a `function_call` one tool call. Items
 * of built-in tools are never asked for, and are skipped.
 */
import type OpenAI from 'openai';
import { UnexpectedModelBehavior } from '../../contract/errors.js';
import type { FinishReason, ModelResponse, RequestUsage, ResponsePart, ThinkingPart } from '../../contract/messages.js';
import { bareResponse, cutToolCall } from '../shared/cut-off.js';
import { expectArray, expectObject, expectText, isObject, MalformedAnswer } from '../shared/provider-errors.js';
import { RESPONSES_PROVIDER } from './map-responses-request.js';
import { refusalError } from './map-response.js';
import { responseDetails, type ResponseItemIds } from './responses-item-ids.js';

/** Token counts, with the details the Responses API reports (cached input, reasoning). */
export function mapResponsesUsage(usage: OpenAI.Responses.ResponseUsage | null | undefined): RequestUsage {
  if (!usage) return { inputTokens: 0, outputTokens: 0 };
  const details: Record<string, number> = {};
  const cached = usage.input_tokens_details?.cached_tokens;
  const reasoning = usage.output_tokens_details?.reasoning_tokens;
  if (typeof cached === 'number' && cached > 0) details['cacheReadTokens'] = cached;
  if (typeof reasoning === 'number' && reasoning > 0) details['reasoningTokens'] = reasoning;
  return { inputTokens: usage.input_tokens ?? 0, outputTokens: usage.output_tokens ?? 0, ...(Object.keys(details).length > 0 ? { details } : {}) };
}

/**
 * The neutral finish reason: the API reports a status (and why a response is incomplete), not a
 * finish reason; a completed response that calls tools stopped to call them.
 */
export function responsesFinishReason(status: string | null | undefined, incompleteReason: string | undefined, calledTools: boolean): FinishReason | undefined {
  if (status === 'incomplete')
    return incompleteReason === 'content_filter' ? 'content-filter' : incompleteReason === 'max_output_tokens' ? 'length' : undefined;
  if (status === 'failed') return 'error';
  if (status === 'completed') return calledTools ? 'tool-call' : 'stop';
  return undefined;
}

/** The thinking parts of a reasoning item: one per summary, the first with the encrypted content. */
export function reasoningParts(item: OpenAI.Responses.ResponseReasoningItem): ThinkingPart[] {
  const summaries = item.summary.length > 0 ? item.summary.map((s) => s.text) : [''];
  return summaries.map((content, i) => {
    const part: ThinkingPart = { kind: 'thinking', content, id: item.id, provider: RESPONSES_PROVIDER };
    if (i === 0 && typeof item.encrypted_content === 'string') part.signature = item.encrypted_content;
    return part;
  });
}

/** Records a function call item's id under its call id (defined, so no call id can touch a prototype). */
export function rememberCallId(ids: ResponseItemIds, callId: string, itemId: string | undefined): void {
  if (itemId !== undefined && itemId !== '')
    Object.defineProperty(ids.functionCallIds, callId, { value: itemId, enumerable: true, writable: true, configurable: true });
}

/**
 * Throws MalformedAnswer unless a body has the shape the mapping reads: an error object where the
 * answer should be, or output items without the fields read from them, are not an answer.
 */
export function checkResponsesBody(body: unknown): asserts body is OpenAI.Responses.Response {
  // A failed response, or the provider's error object where the answer should be.
  const error = MalformedAnswer.errorIn(body);
  if (error) throw error;
  expectObject(body, 'the body');
  expectArray(body['output'], 'output');
  for (const [i, item] of body['output'].entries()) checkOutputItem(item, `output[${i}]`);
}

/** Throws MalformedAnswer unless an output item of a kind the mapping reads has the fields it reads. */
export function checkOutputItem(item: unknown, where: string): void {
  expectObject(item, where);
  switch (item['type']) {
    case 'message':
      expectArray(item['content'], `${where}.content`);
      for (const [j, c] of item['content'].entries()) {
        expectObject(c, `${where}.content[${j}]`);
        // The text of an output_text (the refusal of a refusal) is what is read: without it, the
        // answer would be the text "undefined".
        if (c['type'] === 'output_text' && typeof c['text'] !== 'string') throw new MalformedAnswer(`${where}.content[${j}].text is not a string`);
        if (c['type'] === 'refusal' && typeof c['refusal'] !== 'string') throw new MalformedAnswer(`${where}.content[${j}].refusal is not a string`);
        expectText(c['text'], `${where}.content[${j}].text`);
        expectText(c['refusal'], `${where}.content[${j}].refusal`);
      }
      return;
    case 'function_call':
      if (typeof item['name'] !== 'string') throw new MalformedAnswer(`${where}.name is not a string`);
      if (typeof item['call_id'] !== 'string') throw new MalformedAnswer(`${where}.call_id is not a string`);
      expectText(item['arguments'], `${where}.arguments`);
      return;
    case 'reasoning':
      if (typeof item['id'] !== 'string') throw new MalformedAnswer(`${where}.id is not a string`);
      expectArray(item['summary'], `${where}.summary`);
      for (const [j, s] of item['summary'].entries())
        if (!isObject(s) || typeof s['text'] !== 'string') throw new MalformedAnswer(`${where}.summary[${j}].text is not a string`);
      return;
  }
}

/** The parts of one output item (refusal text is collected apart: it is not an answer). */
export function itemParts(item: OpenAI.Responses.ResponseOutputItem, ids: ResponseItemIds, refusals: string[]): ResponsePart[] {
  switch (item.type) {
    case 'reasoning':
      return reasoningParts(item);
    case 'message': {
      let text = '';
      for (const c of item.content) {
        if (c.type === 'output_text') text += c.text;
        else if (c.type === 'refusal') refusals.push(c.refusal);
      }
      if (text === '' && item.content.some((c) => c.type === 'refusal')) return [];
      ids.messageIds.push(item.id);
      return [{ kind: 'text', content: text }];
    }
    case 'function_call':
      rememberCallId(ids, item.call_id, item.id);
      return [{ kind: 'tool-call', toolName: item.name, args: item.arguments ?? '', toolCallId: item.call_id }];
    default:
      return [];
  }
}

/**
 * Throws what a finished response stands for when it is not an answer to use: a refusal, a
 * content filter stop, a tool call cut off by the token limit. `lastToolName` is the call being
 * written last, if any.
 */
export function throwIfNotAnswer(response: ModelResponse, refusal: string, lastToolName: string | undefined): void {
  if (refusal !== '') throw refusalError(refusal, response);
  if (response.finishReason === 'content-filter')
    throw new UnexpectedModelBehavior(`OpenAI's content filter stopped the answer of model ${response.modelName}`, { response });
  const cut = cutToolCall(response.finishReason, lastToolName, response);
  if (cut) throw cut;
}

/** A whole Responses API answer as a neutral response (checked first: see checkResponsesBody). */
export function mapResponsesBody(body: unknown): ModelResponse {
  checkResponsesBody(body);
  const ids: ResponseItemIds = { messageIds: [], functionCallIds: {} };
  const refusals: string[] = [];
  const parts = body.output.flatMap((item) => itemParts(item, ids, refusals));
  return finishedResponse(body, parts, ids, refusals.join(''));
}

/** The neutral response of a finished Responses API response with its parts (plain and streamed). */
export function finishedResponse(body: OpenAI.Responses.Response, parts: ResponsePart[], ids: ResponseItemIds, refusal: string): ModelResponse {
  const response = bareResponse(body.model, mapResponsesUsage(body.usage), parts);
  response.providerResponseId = body.id;
  const incompleteReason = body.incomplete_details?.reason ?? undefined;
  const lastCall = parts.findLast((p) => p.kind === 'tool-call');
  const finishReason = responsesFinishReason(body.status, incompleteReason, lastCall !== undefined);
  if (finishReason) response.finishReason = finishReason;
  response.providerDetails = responseDetails(body.status, ids, incompleteReason);
  throwIfNotAnswer(response, refusal, lastCall?.kind === 'tool-call' ? lastCall.toolName : undefined);
  return response;
}
