/**
 * ConverseStream events (decoded from the AWS event stream by the SDK) to neutral stream events.
 * A content block's index is its part's index. Text and reasoning blocks have no start event: their
 * first delta starts the part; a tool call starts with `contentBlockStart` and gets its arguments
 * as JSON deltas. `messageStop` gives the stop reason and `metadata`, after it, the usage. A stream
 * that ends before `messageStop` was cut short; an exception event is an error.
 */
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import type { ResponsePart } from '../../contract/messages.js';
import type { ModelStreamEvent } from '../../contract/stream-events.js';
import { bareResponse, cutShort, finishEvent, partEnds } from '../shared/cut-off.js';
import { expectObject, MalformedAnswer } from '../shared/provider-errors.js';
import { BEDROCK } from './map-request.js';
import { base64Of, mapStopReason, mapUsage, unusableStop } from './map-response.js';

/** The exception members a stream can carry instead of an event. */
const EXCEPTIONS = ['internalServerException', 'modelStreamErrorException', 'validationException', 'throttlingException', 'serviceUnavailableException'];

/** An exception event, thrown as the error the SDK would raise for it (a name and a message). */
class StreamException extends Error {}

/** Throws MalformedAnswer unless an event is an object with an index where it needs one. */
function checkEvent(event: unknown): asserts event is ConverseStreamOutput {
  expectObject(event, 'an event');
  for (const key of ['contentBlockStart', 'contentBlockDelta', 'contentBlockStop']) {
    const member = event[key];
    if (member === undefined) continue;
    expectObject(member, key);
    if (typeof member['contentBlockIndex'] !== 'number') throw new MalformedAnswer(`${key}.contentBlockIndex is not a number`);
  }
  for (const name of EXCEPTIONS) {
    const member = event[name] as { message?: unknown } | undefined;
    if (member === undefined) continue;
    const error = new StreamException(typeof member?.message === 'string' ? member.message : 'no message');
    error.name = name.charAt(0).toUpperCase() + name.slice(1);
    throw error;
  }
}

/** Turns the events of one streamed answer into neutral events. */
export async function* streamEvents(events: AsyncIterable<unknown>, modelName: string): AsyncIterable<ModelStreamEvent> {
  let stopReason: string | undefined;
  let usage = mapUsage(undefined);
  /** Open parts by block index, with the tool name for tool calls. */
  const open = new Map<number, { kind: ResponsePart['kind']; toolName?: string }>();
  const start = function* (index: number, part: ResponsePart): Generator<ModelStreamEvent> {
    open.set(index, { kind: part.kind, ...(part.kind === 'tool-call' ? { toolName: part.toolName } : {}) });
    yield { kind: 'part-start', index, part };
  };

  for await (const event of events) {
    checkEvent(event);
    if (event.contentBlockStart !== undefined) {
      const { contentBlockIndex: index, start: begin } = event.contentBlockStart;
      const toolUse = begin?.toolUse;
      // Server tools (and their results) ran on Bedrock's side: nothing to translate.
      if (toolUse !== undefined && toolUse.type !== 'server_tool_use') {
        yield* start(index!, { kind: 'tool-call', toolName: toolUse.name ?? '', args: '', toolCallId: toolUse.toolUseId ?? '' });
      }
    } else if (event.contentBlockDelta !== undefined) {
      const { contentBlockIndex, delta } = event.contentBlockDelta;
      const index = contentBlockIndex!;
      const part = open.get(index);
      if (delta?.text !== undefined) {
        // Some models send an empty delta first (gpt-oss): it starts the part, adds nothing.
        if (part === undefined) yield* start(index, { kind: 'text', content: delta.text });
        else if (part.kind === 'text' && delta.text !== '') yield { kind: 'part-delta', index, delta: { kind: 'text', content: delta.text } };
      } else if (delta?.toolUse !== undefined) {
        if (part?.kind === 'tool-call' && delta.toolUse.input)
          yield { kind: 'part-delta', index, delta: { kind: 'tool-call', argsDelta: delta.toolUse.input } };
      } else if (delta?.reasoningContent !== undefined) {
        const { text, signature, redactedContent } = delta.reasoningContent;
        if (redactedContent !== undefined) {
          if (part === undefined) yield* start(index, { kind: 'thinking', content: base64Of(redactedContent), redacted: true, provider: BEDROCK });
        } else if (part === undefined) {
          yield* start(index, { kind: 'thinking', content: text ?? '', ...(signature !== undefined ? { signature } : {}), provider: BEDROCK });
        } else if (part.kind === 'thinking') {
          if (text) yield { kind: 'part-delta', index, delta: { kind: 'thinking', content: text } };
          if (signature) yield { kind: 'part-delta', index, delta: { kind: 'thinking', signature } };
        }
      }
    } else if (event.contentBlockStop !== undefined) {
      const index = event.contentBlockStop.contentBlockIndex!;
      if (open.delete(index)) yield { kind: 'part-end', index };
    } else if (event.messageStop !== undefined) {
      stopReason = event.messageStop.stopReason ?? stopReason;
    } else if (event.metadata !== undefined) {
      usage = mapUsage(event.metadata.usage);
    }
    // messageStart, and events added to the API later: nothing to translate.
  }

  if (stopReason === undefined) throw cutShort(modelName, 'the message stopped');
  const response = bareResponse(modelName, usage);
  const openTool = [...open.values()].find((p) => p.kind === 'tool-call');
  const problem = unusableStop(stopReason, openTool?.toolName, response);
  if (problem) throw problem;
  yield* partEnds(open.keys());
  yield finishEvent(modelName, usage, { finishReason: mapStopReason(stopReason), providerDetails: { stopReason } });
}
