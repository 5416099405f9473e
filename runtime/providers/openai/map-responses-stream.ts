/**
 * OpenAI Responses API stream events to neutral stream events.
 *
 * Events handled: `response.created` (the id and model), `response.output_item.added` (a function
 * call starts: its name and call id), `response.output_text.delta` (text, one part per message
 * item), `response.function_call_arguments.delta`, `response.reasoning_summary_text.delta`
 * (thinking, one part per summary), `response.refusal.delta`, `response.output_item.done` (what an
 * item holds that no delta said: the reasoning's encrypted content, a summary or text that came
 * whole), and the terminal `response.completed` / `response.incomplete` / `response.failed` (usage
 * and status), or an `error` event. Other events (built-in tools, annotations, `.done` repeats of
 * what the deltas said) are ignored.
 */
import type OpenAI from 'openai';
import type { ResponsePart } from '../../contract/messages.js';
import type { ModelStreamEvent } from '../../contract/stream-events.js';
import { bareResponse, cutShort, finishEvent, partEnds } from '../shared/cut-off.js';
import { expectObject, MalformedAnswer } from '../shared/provider-errors.js';
import { RESPONSES_PROVIDER } from './map-responses-request.js';
import { checkOutputItem, mapResponsesUsage, reasoningParts, rememberCallId, responsesFinishReason, throwIfNotAnswer } from './map-responses-response.js';
import { responseDetails, type ResponseItemIds } from './responses-item-ids.js';

type StreamEvent = OpenAI.Responses.ResponseStreamEvent;

/** The events that carry the response itself (its id, model, status, usage), which is read from them. */
const RESPONSE_EVENTS = new Set(['response.created', 'response.in_progress', 'response.completed', 'response.incomplete', 'response.failed']);

/** The delta events whose `delta` is read (a missing one would be appended as the text "undefined"). */
const READ_DELTAS = new Set([
  'response.output_text.delta',
  'response.function_call_arguments.delta',
  'response.reasoning_summary_text.delta',
  'response.refusal.delta',
]);

/** Throws MalformedAnswer unless an event has the shape the translation reads. */
function checkEvent(event: unknown): asserts event is StreamEvent {
  expectObject(event, 'a stream event');
  if (typeof event['type'] !== 'string') throw new MalformedAnswer('a stream event has no type');
  if (event['type'] === 'response.output_item.added' || event['type'] === 'response.output_item.done') checkOutputItem(event['item'], `${event['type']} item`);
  if (RESPONSE_EVENTS.has(event['type'])) expectObject(event['response'], `${event['type']}.response`);
  if ((READ_DELTAS.has(event['type']) || (event['type'].endsWith('.delta') && 'delta' in event)) && typeof event['delta'] !== 'string')
    throw new MalformedAnswer(`${event['type']}.delta is not a string`);
}

/** The state of one streamed response: which event index each item (and summary) writes to. */
class StreamState {
  next = 0;
  readonly text = new Map<number, number>();
  readonly calls = new Map<number, { index: number; toolName: string }>();
  /** Thinking parts by `output_index:summary_index`. */
  readonly thinking = new Map<string, number>();
  readonly ids: ResponseItemIds = { messageIds: [], functionCallIds: {} };
  refusal = '';
  lastToolName: string | undefined;

  /** A new part index for a text part of a message item (its id recorded in text order). */
  startText(outputIndex: number, itemId: string): number {
    const index = this.next++;
    this.text.set(outputIndex, index);
    this.ids.messageIds.push(itemId);
    return index;
  }
}

/** Turns the events of one streamed response into neutral events. */
export async function* responsesStreamEvents(events: AsyncIterable<unknown>, requestedModel: string): AsyncIterable<ModelStreamEvent> {
  const state = new StreamState();
  let modelName = requestedModel;
  let id: string | undefined;
  let final: OpenAI.Responses.Response | undefined;

  for await (const event of events) {
    checkEvent(event);
    switch (event.type) {
      case 'response.created':
      case 'response.in_progress':
        modelName = event.response.model || modelName;
        id = event.response.id || id;
        break;
      case 'response.output_item.added':
        if (event.item.type === 'function_call') {
          const index = state.next++;
          state.calls.set(event.output_index, { index, toolName: event.item.name });
          state.lastToolName = event.item.name;
          rememberCallId(state.ids, event.item.call_id, event.item.id);
          yield {
            kind: 'part-start',
            index,
            part: { kind: 'tool-call', toolName: event.item.name, args: event.item.arguments ?? '', toolCallId: event.item.call_id },
          };
        }
        break;
      case 'response.output_text.delta': {
        const index = state.text.get(event.output_index);
        if (index === undefined)
          yield { kind: 'part-start', index: state.startText(event.output_index, event.item_id), part: { kind: 'text', content: event.delta } };
        else yield { kind: 'part-delta', index, delta: { kind: 'text', content: event.delta } };
        break;
      }
      case 'response.function_call_arguments.delta': {
        const call = state.calls.get(event.output_index);
        if (!call) throw new MalformedAnswer(`arguments for output ${event.output_index}, which is no function call`);
        yield { kind: 'part-delta', index: call.index, delta: { kind: 'tool-call', argsDelta: event.delta } };
        break;
      }
      case 'response.reasoning_summary_text.delta': {
        const key = `${event.output_index}:${event.summary_index}`;
        const index = state.thinking.get(key);
        if (index !== undefined) {
          yield { kind: 'part-delta', index, delta: { kind: 'thinking', content: event.delta } };
        } else {
          const start = state.next++;
          state.thinking.set(key, start);
          yield { kind: 'part-start', index: start, part: { kind: 'thinking', content: event.delta, id: event.item_id, provider: RESPONSES_PROVIDER } };
        }
        break;
      }
      case 'response.refusal.delta':
        state.refusal += event.delta;
        break;
      case 'response.output_item.done':
        yield* itemDone(event.item, event.output_index, state);
        break;
      case 'response.completed':
      case 'response.incomplete':
        final = event.response;
        break;
      case 'response.failed':
        throw new MalformedAnswer('a failed response', event.response.error?.message ?? 'the response failed');
      case 'error':
        throw new MalformedAnswer('an error event', event.message);
    }
  }

  // Without a terminal event the stream was cut short: nothing may be taken as complete.
  if (!final) throw cutShort(modelName, 'the response completed');
  const usage = mapResponsesUsage(final.usage);
  const incompleteReason = final.incomplete_details?.reason ?? undefined;
  const finishReason = responsesFinishReason(final.status, incompleteReason, state.calls.size > 0);
  const providerDetails = responseDetails(final.status, state.ids, incompleteReason);
  const partial = bareResponse(final.model || modelName, usage);
  const responseId = final.id || id;
  if (responseId) partial.providerResponseId = responseId;
  if (finishReason) partial.finishReason = finishReason;
  throwIfNotAnswer(partial, state.refusal, state.lastToolName);
  yield* partEnds(Array.from({ length: state.next }, (_, index) => index));
  yield finishEvent(partial.modelName, usage, { finishReason, providerDetails, providerResponseId: partial.providerResponseId });
}

/**
 * What a finished item adds: a reasoning item's encrypted content (it is only final here) and any
 * summary that came without deltas; a message's text when it came without deltas; a refusal.
 */
function* itemDone(item: OpenAI.Responses.ResponseOutputItem, outputIndex: number, state: StreamState): Generator<ModelStreamEvent> {
  if (item.type === 'reasoning') {
    const parts = reasoningParts(item);
    for (const [i, part] of parts.entries()) {
      const key = `${outputIndex}:${i}`;
      const started = state.thinking.get(key);
      if (started === undefined) {
        const index = state.next++;
        state.thinking.set(key, index);
        yield { kind: 'part-start', index, part };
      } else if (part.signature !== undefined) {
        yield { kind: 'part-delta', index: started, delta: { kind: 'thinking', signature: part.signature } };
      }
    }
  } else if (item.type === 'message' && !state.text.has(outputIndex)) {
    const text = item.content.flatMap((c) => (c.type === 'output_text' ? [c.text] : [])).join('');
    if (state.refusal === '') for (const c of item.content) if (c.type === 'refusal') state.refusal += c.refusal;
    if (text !== '') {
      const part: ResponsePart = { kind: 'text', content: text };
      yield { kind: 'part-start', index: state.startText(outputIndex, item.id), part };
    }
  }
}
