/**
 * Gemini `generateContent` answers to neutral responses: the pieces shared by the plain and the
 * streaming call (usage, finish reasons, blocks and empty answers, shape checks), and the plain
 * answer. Only the first candidate is read (the adapter never asks for more).
 */
import type { GenerateContentResponse, GenerateContentResponseUsageMetadata } from '@google/genai';
import { UnexpectedModelBehavior } from '../../contract/errors.js';
import type { FinishReason, ModelResponse, RequestUsage, ResponsePart } from '../../contract/messages.js';
import { bareResponse } from '../shared/cut-off.js';
import { expectArray, expectObject, expectOptionalArray, expectText, MalformedAnswer } from '../shared/provider-errors.js';
import { GoogleContentBlockedError, type GoogleSafetyRating } from './content-blocked-error.js';
import { checkPart, neutralParts } from './map-parts.js';

/**
 * Token counts. Gemini's prompt count includes cached tokens (the details say how many were read
 * from the cache), and thoughts are counted apart from the answer: the neutral output count holds
 * both, as reasoning models' counts do elsewhere, with the thoughts in the details. Prompt tokens
 * of built-in tools are input too.
 */
export function mapUsage(usage: GenerateContentResponseUsageMetadata | null | undefined): RequestUsage {
  const thoughts = usage?.thoughtsTokenCount ?? 0;
  const toolPrompt = usage?.toolUsePromptTokenCount ?? 0;
  const details: Record<string, number> = {};
  if (thoughts > 0) details['reasoningTokens'] = thoughts;
  const cached = usage?.cachedContentTokenCount ?? 0;
  if (cached > 0) details['cacheReadTokens'] = cached;
  if (toolPrompt > 0) details['toolUsePromptTokens'] = toolPrompt;
  return {
    inputTokens: (usage?.promptTokenCount ?? 0) + toolPrompt,
    outputTokens: (usage?.candidatesTokenCount ?? 0) + thoughts,
    ...(Object.keys(details).length > 0 ? { details } : {}),
  };
}

/** Finish reasons that mean the answer was stopped by a safety or policy filter. */
const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'LANGUAGE',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
  'MODEL_ARMOR',
]);

/** The neutral finish reason of a Gemini one (Gemini says STOP after function calls too). */
export function mapFinishReason(reason: string | null | undefined, calledTools: boolean): FinishReason | undefined {
  if (reason === undefined || reason === null) return undefined;
  if (reason === 'STOP') return calledTools ? 'tool-call' : 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (FILTERED.has(reason)) return 'content-filter';
  return 'error';
}

/** What an answer says about how it ended, as both paths gather it. */
export interface AnswerEnd {
  finishReason: string | undefined;
  /** Set when the prompt itself was blocked. */
  promptFeedback?: { blockReason?: string; blockReasonMessage?: string; safetyRatings?: GoogleSafetyRating[] } | undefined;
  safetyRatings?: GoogleSafetyRating[] | undefined;
  finishMessage?: string | undefined;
  /** Whether any candidate came at all. */
  hadCandidate: boolean;
  /** Whether the answer holds any part. */
  hasParts: boolean;
}

/**
 * Why an answer cannot be used, if it cannot: a blocked prompt or answer (a typed, non-retried
 * GoogleContentBlockedError), no candidate, a candidate with nothing in it, or a function call
 * Gemini itself reports as malformed. (Gemini sends function calls whole: a token limit never
 * cuts one off.)
 */
export function unusableAnswer(end: AnswerEnd, response: ModelResponse): UnexpectedModelBehavior | undefined {
  const blockReason = end.promptFeedback?.blockReason;
  if (blockReason) {
    return new GoogleContentBlockedError('prompt', blockReason, {
      message: end.promptFeedback?.blockReasonMessage,
      safetyRatings: end.promptFeedback?.safetyRatings,
      response,
    });
  }
  if (end.finishReason !== undefined && FILTERED.has(end.finishReason)) {
    return new GoogleContentBlockedError('response', end.finishReason, { message: end.finishMessage, safetyRatings: end.safetyRatings, response });
  }
  if (!end.hadCandidate) return new UnexpectedModelBehavior(`model ${response.modelName} answered with no candidate`, { response });
  if (end.finishReason === 'MALFORMED_FUNCTION_CALL' || end.finishReason === 'UNEXPECTED_TOOL_CALL') {
    return new UnexpectedModelBehavior(
      `model ${response.modelName} made a function call Gemini rejected (${end.finishReason})${end.finishMessage ? `: ${end.finishMessage}` : ''}`,
      {
        response,
      },
    );
  }
  if (!end.hasParts) {
    const why = end.finishReason === 'MAX_TOKENS' ? ': the token limit was reached before any answer (thinking counts toward it); raise maxTokens' : '';
    return new UnexpectedModelBehavior(`model ${response.modelName} answered with an empty response (finish reason ${end.finishReason ?? 'none'})${why}`, {
      response,
    });
  }
  return undefined;
}

/**
 * Throws MalformedAnswer unless an answer has the shape the mapping reads: the SDK types say what
 * Gemini sends, but a proxy can answer anything with status 200, even its error object.
 */
export function checkAnswer(body: unknown): asserts body is GenerateContentResponse {
  const error = MalformedAnswer.errorIn(body);
  if (error) throw error;
  expectObject(body, 'the body');
  const candidates = body['candidates'];
  expectOptionalArray(candidates, 'candidates');
  const candidate = candidates?.[0];
  if (candidate !== undefined) {
    expectObject(candidate, 'candidates[0]');
    expectText(candidate['finishReason'], 'candidates[0].finishReason');
    const content = candidate['content'];
    if (content !== undefined && content !== null) {
      expectObject(content, 'candidates[0].content');
      const parts = content['parts'];
      if (parts !== undefined && parts !== null) {
        expectArray(parts, 'candidates[0].content.parts');
        for (const [i, part] of parts.entries()) checkPart(part, `candidates[0].content.parts[${i}]`);
      }
    }
  }
  const usage = body['usageMetadata'];
  if (usage !== undefined && usage !== null) expectObject(usage, 'usageMetadata');
}

/** Makes ids for calls Gemini gave none: the response id and the call's position. */
export function callIds(responseId: string | undefined): () => string {
  let n = 0;
  return () => `gemini_${responseId ?? 'call'}_${n++}`;
}

/**
 * An answer as a neutral response. Throws MalformedAnswer on a body that is not an answer,
 * GoogleContentBlockedError on a block, and UnexpectedModelBehavior on an empty answer.
 */
export function mapAnswer(body: unknown, requestedModel: string): ModelResponse {
  checkAnswer(body);
  // The SDK keeps only the fields it knows: an error object where the answer should be (or `{}`)
  // arrives as an answer of nothing. Gemini always sends candidates, or promptFeedback on a block.
  if (body.candidates == null && body.promptFeedback == null) throw new MalformedAnswer('the answer has neither candidates nor promptFeedback');
  const candidate = body.candidates?.[0];
  const makeId = callIds(body.responseId);
  const parts: ResponsePart[] = (candidate?.content?.parts ?? []).flatMap((part) => neutralParts(part, makeId));
  const modelName = body.modelVersion || requestedModel;
  const response = bareResponse(modelName, mapUsage(body.usageMetadata), parts);
  if (body.responseId) response.providerResponseId = body.responseId;
  const lastCall = parts.findLast((p) => p.kind === 'tool-call');
  const finishReason = mapFinishReason(candidate?.finishReason, lastCall !== undefined);
  if (finishReason) response.finishReason = finishReason;
  if (candidate?.finishReason) response.providerDetails = { finishReason: candidate.finishReason };
  const problem = unusableAnswer(
    {
      finishReason: candidate?.finishReason,
      promptFeedback: body.promptFeedback as AnswerEnd['promptFeedback'],
      safetyRatings: candidate?.safetyRatings as GoogleSafetyRating[] | undefined,
      finishMessage: candidate?.finishMessage,
      hadCandidate: candidate !== undefined,
      hasParts: parts.length > 0,
    },
    response,
  );
  if (problem) throw problem;
  return response;
}
