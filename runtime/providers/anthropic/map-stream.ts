/**
 * Anthropic stream events to neutral stream events. A content block's index is its part's index;
 * `ping` and events of server tools are skipped; the message ends with its stop reason
 * (`message_delta`, then `message_stop`). A stream that ends before either was cut off, and a `max_tokens` stop with a tool call still
 * open means the call's arguments are incomplete: both are errors, never a finished response.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ResponsePart } from '../../contract/messages.js';
import type { ModelStreamEvent } from '../../contract/stream-events.js';
import { bareResponse, cutShort, finishEvent, partEnds } from '../shared/cut-off.js';
import { jsonTextOf } from '../../stream/json-depth.js';
import { expectObject, expectText, MalformedAnswer } from '../shared/provider-errors.js';
import { blockPart, checkBlock, mapStopReason, mapUsage, unusableStop, type AnthropicUsage, type StopDetails } from './map-response.js';

/** Throws MalformedAnswer unless a stream event has the shape the translation reads (an error object included). */
export function checkEvent(event: unknown): asserts event is Anthropic.MessageStreamEvent {
  const error = MalformedAnswer.errorIn(event);
  if (error) throw error;
  expectObject(event, 'an event');
  const type = event['type'];
  if (typeof type !== 'string') throw new MalformedAnswer('an event without a type');
  const index = () => {
    if (typeof event['index'] !== 'number') throw new MalformedAnswer(`${type}.index is not a number`);
  };
  const usage = (value: unknown) => {
    if (value !== undefined && value !== null) expectObject(value, `${type} usage`);
  };
  switch (type) {
    case 'message_start': {
      const message = event['message'];
      expectObject(message, 'message_start.message');
      expectText(message['model'], 'message_start.message.model');
      return usage(message['usage']);
    }
    case 'content_block_start':
      index();
      return checkBlock(event['content_block'], 'content_block_start.content_block');
    case 'content_block_delta': {
      index();
      const delta = event['delta'];
      expectObject(delta, 'content_block_delta.delta');
      const field = { text_delta: 'text', input_json_delta: 'partial_json', thinking_delta: 'thinking', signature_delta: 'signature' }[String(delta['type'])];
      if (field !== undefined && typeof delta[field] !== 'string') throw new MalformedAnswer(`content_block_delta.delta.${field} is not a string`);
      return;
    }
    case 'content_block_stop':
      return index();
    case 'message_delta':
      expectObject(event['delta'], 'message_delta.delta');
      expectText(event['delta']['stop_reason'], 'message_delta.delta.stop_reason');
      return usage(event['usage']);
  }
}

/** Turns the events of one streamed message into neutral events. */
export async function* streamEvents(events: AsyncIterable<unknown>, requestedModel: string): AsyncIterable<ModelStreamEvent> {
  let modelName = requestedModel;
  let id: string | undefined;
  let usage: AnthropicUsage = {};
  let stopReason: string | null | undefined;
  let stopDetails: StopDetails | null | undefined;
  let text = '';
  /** Open parts by block index, with the tool name for tool calls. */
  const open = new Map<number, { kind: ResponsePart['kind']; toolName?: string }>();
  let stopped = false;

  for await (const event of events) {
    checkEvent(event);
    switch (event.type) {
      case 'message_start':
        modelName = event.message.model || modelName;
        id = event.message.id;
        usage = { ...event.message.usage };
        break;
      case 'content_block_start': {
        const part = startPart(event.content_block);
        if (!part) break;
        open.set(event.index, { kind: part.kind, ...(part.kind === 'tool-call' ? { toolName: part.toolName } : {}) });
        yield { kind: 'part-start', index: event.index, part };
        break;
      }
      case 'content_block_delta': {
        if (!open.has(event.index)) break;
        const delta = event.delta;
        if (delta.type === 'text_delta') {
          text += delta.text;
          yield { kind: 'part-delta', index: event.index, delta: { kind: 'text', content: delta.text } };
        } else if (delta.type === 'input_json_delta') {
          if (delta.partial_json !== '') yield { kind: 'part-delta', index: event.index, delta: { kind: 'tool-call', argsDelta: delta.partial_json } };
        } else if (delta.type === 'thinking_delta') {
          yield { kind: 'part-delta', index: event.index, delta: { kind: 'thinking', content: delta.thinking } };
        } else if (delta.type === 'signature_delta') {
          yield { kind: 'part-delta', index: event.index, delta: { kind: 'thinking', signature: delta.signature } };
        }
        break;
      }
      case 'content_block_stop':
        if (open.delete(event.index)) yield { kind: 'part-end', index: event.index };
        break;
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        stopDetails = (event.delta as { stop_details?: StopDetails | null }).stop_details ?? stopDetails;
        // Counts in a message delta are cumulative and replace those of message_start.
        for (const [key, value] of Object.entries(event.usage ?? {})) if (typeof value === 'number') (usage as Record<string, number>)[key] = value;
        break;
      case 'message_stop':
        stopped = true;
        break;
      default:
        // ping, and events added to the API later: nothing to translate.
        break;
    }
  }

  // message_stop carries nothing: a stream whose message_delta gave the stop reason is complete
  // even when its last event is lost (an SSE body without a final blank line drops it).
  if (!stopped && stopReason == null) throw cutShort(modelName, 'the message stopped');
  const finalUsage = mapUsage(usage);
  const response = bareResponse(modelName, finalUsage);
  if (id !== undefined) response.providerResponseId = id;
  const openTool = [...open.values()].find((p) => p.kind === 'tool-call');
  const problem = unusableStop(stopReason, openTool?.toolName, text, response, stopDetails);
  if (problem) throw problem;
  yield* partEnds(open.keys());
  yield finishEvent(modelName, finalUsage, {
    finishReason: mapStopReason(stopReason),
    providerDetails: stopReason ? { stopReason } : undefined,
    providerResponseId: id,
  });
}

/** The part a block starts (tool calls start with no arguments: they arrive as JSON deltas). */
function startPart(block: Anthropic.ContentBlock): ResponsePart | undefined {
  if (block.type === 'tool_use') {
    const input = block.input as Record<string, unknown> | undefined;
    return { kind: 'tool-call', toolName: block.name, args: input && Object.keys(input).length > 0 ? jsonTextOf(input) : '', toolCallId: block.id };
  }
  if (block.type === 'thinking')
    return { kind: 'thinking', content: block.thinking, ...(block.signature ? { signature: block.signature } : {}), provider: 'anthropic' };
  return blockPart(block);
}
