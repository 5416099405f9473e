/**
 * Gemini `streamGenerateContent` chunks to neutral stream events.
 *
 * Each chunk is a whole answer object holding the next parts: text and thought text arrive in
 * pieces (consecutive pieces of one kind grow one part), function calls arrive whole (a part that
 * starts and ends at once), and thought signatures ride on a part, often the first piece of a text
 * or an empty text piece at the end (they become signature-only thinking parts after the part they
 * came on, as map-parts.ts explains, so the parts are those of the same answer unstreamed). Usage counts
 * are cumulative: the last ones stand. The finish reason comes on the last chunk; a stream that
 * ends without one was cut short.
 */
import type { GenerateContentResponse, Part } from '@google/genai';
import type { ResponsePart } from '../../contract/messages.js';
import type { ModelStreamEvent } from '../../contract/stream-events.js';
import { bareResponse, cutShort, finishEvent } from '../shared/cut-off.js';
import { jsonTextOf } from '../../stream/json-depth.js';
import type { GoogleSafetyRating } from './content-blocked-error.js';
import { isThought, signaturePart, toolCallPart } from './map-parts.js';
import { callIds, checkAnswer, mapFinishReason, mapUsage, unusableAnswer, type AnswerEnd } from './map-response.js';

/** Turns the chunks of one streamed answer into events. */
export async function* streamEvents(chunks: AsyncIterable<unknown>, requestedModel: string): AsyncIterable<ModelStreamEvent> {
  let next = 0;
  /** The part that grows with the next piece of its kind. */
  let open: { index: number; kind: 'text' | 'thinking' } | undefined;
  let modelName = requestedModel;
  let id: string | undefined;
  let makeId = callIds(undefined);
  let usage = mapUsage(undefined);
  let calledTools = false;
  let partCount = 0;
  const end: Omit<AnswerEnd, 'hasParts'> = { finishReason: undefined, hadCandidate: false };

  /** A signature that came on a piece of the open text: it follows the text once that ends. */
  let pendingSignature: string | undefined;

  function* close(): Generator<ModelStreamEvent> {
    if (open) yield { kind: 'part-end', index: open.index };
    open = undefined;
    const signature = pendingSignature;
    pendingSignature = undefined;
    if (signature !== undefined) yield* whole(signaturePart(signature));
  }

  function* grow(kind: 'text' | 'thinking', content: string, signature: string | undefined): Generator<ModelStreamEvent> {
    if (open?.kind === kind) {
      yield { kind: 'part-delta', index: open.index, delta: kind === 'text' ? { kind, content } : { kind, content, ...(signature ? { signature } : {}) } };
      return;
    }
    yield* close();
    open = { index: next++, kind };
    partCount++;
    const part: ResponsePart = kind === 'text' ? { kind, content } : { kind, content, ...(signature ? { signature } : {}), provider: 'google' };
    yield { kind: 'part-start', index: open.index, part };
  }

  function* whole(part: ResponsePart): Generator<ModelStreamEvent> {
    yield* close();
    const index = next++;
    partCount++;
    yield { kind: 'part-start', index, part };
    yield { kind: 'part-end', index };
  }

  for await (const chunk of chunks) {
    checkAnswer(chunk);
    const answer: GenerateContentResponse = chunk;
    if (answer.modelVersion) modelName = answer.modelVersion;
    if (answer.responseId && answer.responseId !== id) {
      id = answer.responseId;
      makeId = callIds(id);
    }
    if (answer.usageMetadata) usage = mapUsage(answer.usageMetadata);
    if (answer.promptFeedback?.blockReason) end.promptFeedback = answer.promptFeedback as AnswerEnd['promptFeedback'];
    const candidate = answer.candidates?.[0];
    if (!candidate) continue;
    end.hadCandidate = true;
    for (const part of candidate.content?.parts ?? []) yield* partEvents(part);
    if (candidate.finishReason) {
      end.finishReason = candidate.finishReason;
      end.finishMessage = candidate.finishMessage;
      end.safetyRatings = candidate.safetyRatings as GoogleSafetyRating[] | undefined;
    }
  }

  function* partEvents(part: Part): Generator<ModelStreamEvent> {
    if (isThought(part)) {
      yield* grow('thinking', part.text!, part.thoughtSignature);
      return;
    }
    if (typeof part.text === 'string' && part.text !== '') yield* grow('text', part.text, undefined);
    if (part.functionCall) {
      calledTools = true;
      const call = toolCallPart(part as Part & { functionCall: object }, makeId);
      // As other adapters stream them: arguments as JSON text, which the run parses as it arrives.
      yield* whole(call.kind === 'tool-call' && typeof call.args !== 'string' ? { ...call, args: jsonTextOf(call.args) } : call);
    }
    if (!part.thoughtSignature) return;
    // Kept until the text ends, so that a streamed text is one part, as it is unstreamed.
    if (open?.kind === 'text') pendingSignature = part.thoughtSignature;
    else yield* whole(signaturePart(part.thoughtSignature));
  }

  const partial = bareResponse(modelName, usage);
  if (id !== undefined) partial.providerResponseId = id;
  // A block can end a stream without a finish reason (the prompt's): it is reported as the block.
  if (end.finishReason === undefined && !end.promptFeedback) throw cutShort(modelName, 'the model finished');
  const problem = unusableAnswer({ ...end, hasParts: partCount > 0 }, partial);
  if (problem) throw problem;
  yield* close();
  yield finishEvent(modelName, usage, {
    finishReason: mapFinishReason(end.finishReason, calledTools),
    providerDetails: end.finishReason ? { finishReason: end.finishReason } : undefined,
    providerResponseId: id,
  });
}
