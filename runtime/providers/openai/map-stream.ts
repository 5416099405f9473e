/**
 * OpenAI Chat Completions chunks to neutral stream events.
 *
 * Chunk shapes handled (all seen in recorded traffic): a first chunk with only the role; text in
 * `delta.content`; reasoning in a provider's reasoning field; tool calls by `index`, whose id and
 * name come only in the first fragment; `delta.refusal`; a final chunk with `choices: []` and the
 * usage; extra chunks and fields a provider adds (moderation results), which are ignored. Only the
 * first choice is followed (`n > 1` interleaves several). Besides, from a provider's documentation
 * (no recording): Mistral's content chunks in `delta.content`, text and thinking.
 */
import type OpenAI from 'openai';
import type { FinishReason, RequestUsage } from '../../contract/messages.js';
import { bareResponse, cutShort, cutToolCall, finishEvent, partEnds } from '../shared/cut-off.js';
import { expectObject, expectOptionalArray, expectText, MalformedAnswer } from '../shared/provider-errors.js';
import type { ModelStreamEvent } from '../../contract/stream-events.js';
import type { ProviderProfile } from '../shared/provider-profile.js';
import { contentChunkParts, takeContentChunks } from './content-chunks.js';
import { mapFinishReason, mapUsage, reasoningText, refusalError } from './map-response.js';
import { ThinkTagStream, type ThinkTagPiece } from './think-tags.js';

/**
 * Throws MalformedAnswer unless a chunk has the shape the translation reads (the provider's error
 * object included). A chunk without choices is taken as one carrying only usage or extra fields; a
 * stream of nothing else ends without a finish reason, which is an error of its own.
 */
export function checkChunk(chunk: unknown): asserts chunk is OpenAI.Chat.ChatCompletionChunk {
  const error = MalformedAnswer.errorIn(chunk);
  if (error) throw error;
  expectObject(chunk, 'a chunk');
  const choices = chunk['choices'];
  expectOptionalArray(choices, 'choices');
  for (const [i, choice] of (choices ?? []).entries()) {
    expectObject(choice, `choices[${i}]`);
    const delta = choice['delta'];
    if (delta === undefined || delta === null) continue;
    expectObject(delta, `choices[${i}].delta`);
    expectText(delta['content'], `choices[${i}].delta.content`);
    expectText(delta['refusal'], `choices[${i}].delta.refusal`);
    const calls = delta['tool_calls'];
    expectOptionalArray(calls, `choices[${i}].delta.tool_calls`);
    for (const [j, call] of (calls ?? []).entries()) {
      const where = `choices[${i}].delta.tool_calls[${j}]`;
      expectObject(call, where);
      if (typeof call['index'] !== 'number') throw new MalformedAnswer(`${where}.index is not a number`);
      expectText(call['id'], `${where}.id`);
      const fn = call['function'];
      if (fn === undefined || fn === null) continue;
      expectObject(fn, `${where}.function`);
      expectText(fn['name'], `${where}.function.name`);
      expectText(fn['arguments'], `${where}.function.arguments`);
    }
  }
}

/** Turns the chunks of one streamed completion into events. */
export async function* streamEvents(chunks: AsyncIterable<unknown>, profile: ProviderProfile, requestedModel: string): AsyncIterable<ModelStreamEvent> {
  let next = 0;
  let textIndex: number | undefined;
  let thinkingIndex: number | undefined;
  const toolIndex = new Map<number, { index: number; named: boolean }>();
  let lastToolName: string | undefined;
  let refusal = '';
  let usage: RequestUsage = { inputTokens: 0, outputTokens: 0 };
  let finishReason: FinishReason | undefined;
  let rawFinish: string | undefined;
  let modelName = requestedModel;
  let id: string | undefined;
  // Reasoning inline in `<think>` tags, split out as the plain answer's is (tags may span chunks).
  const thinkTags = profile.thinkTags ? new ThinkTagStream() : undefined;

  // Thinking and text each grow one part, whichever field (or content chunk) they come in.
  function* thinkingPiece(content: string): Generator<ModelStreamEvent> {
    if (thinkingIndex === undefined) {
      thinkingIndex = next++;
      yield { kind: 'part-start', index: thinkingIndex, part: { kind: 'thinking', content, provider: profile.name } };
    } else {
      yield { kind: 'part-delta', index: thinkingIndex, delta: { kind: 'thinking', content } };
    }
  }
  function* inlinePieces(pieces: readonly ThinkTagPiece[]): Generator<ModelStreamEvent> {
    for (const piece of pieces) yield* piece.kind === 'thinking' ? thinkingPiece(piece.content) : textPiece(piece.content);
  }
  function* textPiece(content: string): Generator<ModelStreamEvent> {
    if (textIndex === undefined) {
      textIndex = next++;
      yield { kind: 'part-start', index: textIndex, part: { kind: 'text', content } };
    } else {
      yield { kind: 'part-delta', index: textIndex, delta: { kind: 'text', content } };
    }
  }

  for await (const raw of chunks) {
    const { body: chunk, chunks: contentChunks } = profile.contentChunks ? takeContentChunks(raw, 'delta') : { body: raw, chunks: undefined };
    checkChunk(chunk);
    if (chunk.model) modelName = chunk.model;
    if (chunk.id) id = chunk.id;
    if (chunk.usage) usage = mapUsage(chunk.usage);
    const choice = chunk.choices?.find((c) => c.index === 0);
    if (!choice) continue;
    const delta = choice.delta ?? {};
    const reasoning = reasoningText(delta, profile);
    if (reasoning !== undefined) yield* thinkingPiece(reasoning);
    for (const part of contentChunks ? contentChunkParts(contentChunks, 'delta.content', profile.name) : []) {
      if (part.content !== '') yield* part.kind === 'thinking' ? thinkingPiece(part.content) : textPiece(part.content);
    }
    if (delta.content) {
      if (thinkTags) yield* inlinePieces(thinkTags.push(delta.content));
      else yield* textPiece(delta.content);
    }
    if (delta.refusal) refusal += delta.refusal;
    for (const call of delta.tool_calls ?? []) {
      const known = toolIndex.get(call.index);
      if (known === undefined) {
        // The first fragment of a call names its function (a later one may add the name).
        if (!call.function) throw new MalformedAnswer(`tool call ${call.index} starts without a function`);
        const index = next++;
        const toolName = call.function?.name ?? '';
        toolIndex.set(call.index, { index, named: toolName !== '' });
        if (toolName !== '') lastToolName = toolName;
        yield { kind: 'part-start', index, part: { kind: 'tool-call', toolName, args: call.function?.arguments ?? '', toolCallId: call.id ?? '' } };
      } else {
        // Some servers repeat the name in every fragment: it is taken once, never appended again.
        const name = !known.named && call.function?.name ? call.function.name : undefined;
        if (name !== undefined) {
          known.named = true;
          lastToolName = name;
        }
        yield {
          kind: 'part-delta',
          index: known.index,
          delta: {
            kind: 'tool-call',
            ...(call.function?.arguments ? { argsDelta: call.function.arguments } : {}),
            ...(name !== undefined ? { toolName: name } : {}),
            ...(call.id ? { toolCallId: call.id } : {}),
          },
        };
      }
    }
    if (choice.finish_reason) {
      rawFinish = choice.finish_reason;
      finishReason = mapFinishReason(choice.finish_reason);
    }
  }

  if (thinkTags) yield* inlinePieces(thinkTags.end());
  // Without a finish reason the stream was cut short: nothing may be taken as complete.
  if (rawFinish === undefined) throw cutShort(modelName, 'the model finished');
  const partial = bareResponse(modelName, usage);
  if (id !== undefined) partial.providerResponseId = id;
  if (refusal !== '') throw refusalError(refusal, partial);
  const cut = cutToolCall(finishReason, lastToolName, partial);
  if (cut) throw cut;
  // OpenAI's chunks never say that a part ended: all of them end here.
  yield* partEnds(Array.from({ length: next }, (_, index) => index));
  yield finishEvent(modelName, usage, { providerDetails: { finishReason: rawFinish }, finishReason, providerResponseId: id });
}
