/**
 * FunctionModel: a model whose answers come from a function you write, for tests that need to
 * steer a run step by step (call this tool with these arguments, then answer that).
 */
import { UserError } from '../contract/errors.js';
import { now, type ModelMessage, type ModelResponse, type ResponsePart } from '../contract/messages.js';
import type { Model, ModelRequestParameters, OutputObjectDefinition, ToolDefinition } from '../contract/model.js';
import type { ModelSettings, OutputMode } from '../contract/spec.js';
import { collectStream, responseEvents, type ModelStreamEvent } from '../contract/stream-events.js';
import { estimateUsage } from './estimate-usage.js';

/** What a model function is told about the request besides the messages. */
export interface AgentInfo {
  functionTools: ToolDefinition[];
  outputTools: ToolDefinition[];
  outputMode: OutputMode | 'text';
  outputObject?: OutputObjectDefinition;
  allowText: boolean;
  modelSettings?: ModelSettings;
}

/** An answer: text, parts, or a response (whose missing fields are filled in). */
export type FunctionAnswer = string | ResponsePart[] | (Partial<ModelResponse> & { parts: ResponsePart[] });

/** A model function. */
export type ModelFunction = (messages: readonly ModelMessage[], info: AgentInfo) => FunctionAnswer | Promise<FunctionAnswer>;

/** Deltas of tool calls, by the index of the call in the response. */
export interface DeltaToolCalls {
  [index: number]: { name?: string; jsonArgs?: string; toolCallId?: string };
}

/** Thinking to stream (text, or a signature). */
export interface DeltaThinking {
  thinking: string;
  signature?: string;
}

/** What a streaming model function yields: text deltas, tool call deltas or thinking. */
export type StreamChunk = string | DeltaToolCalls | DeltaThinking;

/** A streaming model function. */
export type StreamModelFunction = (messages: readonly ModelMessage[], info: AgentInfo) => AsyncIterable<StreamChunk>;

/** A model whose answers come from functions. */
export class FunctionModel implements Model {
  readonly system = 'function';
  readonly name: string;

  /**
   * @param fn answers a request (`request`); without it, requests collect the stream function.
   * @param options.stream answers a streaming request; without it, streams replay `fn`'s answer.
   */
  constructor(
    private readonly fn?: ModelFunction,
    private readonly options: { stream?: StreamModelFunction; name?: string } = {},
  ) {
    if (!fn && !options.stream) throw new UserError('FunctionModel needs a function, a stream function, or both');
    this.name = options.name ?? `function:${fn?.name || options.stream?.name || 'anonymous'}`;
  }

  async request(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): Promise<ModelResponse> {
    if (!this.fn) return collectStream(this.requestStream(messages, settings, params, signal));
    const answer = await this.fn(messages, agentInfo(params, settings));
    return this.complete(messages, answer);
  }

  async *requestStream(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): AsyncIterable<ModelStreamEvent> {
    if (!this.options.stream) {
      yield* responseEvents(await this.request(messages, settings, params, signal));
      return;
    }
    const parts: ResponsePart[] = [];
    let textIndex: number | undefined;
    let thinkingIndex: number | undefined;
    const toolIndex = new Map<number, number>();
    for await (const chunk of this.options.stream(messages, agentInfo(params, settings))) {
      signal?.throwIfAborted();
      if (typeof chunk === 'string') {
        if (textIndex === undefined) {
          textIndex = parts.length;
          parts.push({ kind: 'text', content: '' });
          yield { kind: 'part-start', index: textIndex, part: { kind: 'text', content: '' } };
        }
        (parts[textIndex] as { content: string }).content += chunk;
        yield { kind: 'part-delta', index: textIndex, delta: { kind: 'text', content: chunk } };
      } else if ('thinking' in chunk && typeof chunk.thinking === 'string') {
        if (thinkingIndex === undefined) {
          thinkingIndex = parts.length;
          parts.push({ kind: 'thinking', content: '' });
          yield { kind: 'part-start', index: thinkingIndex, part: { kind: 'thinking', content: '' } };
        }
        yield {
          kind: 'part-delta',
          index: thinkingIndex,
          delta: { kind: 'thinking', content: chunk.thinking, ...(chunk.signature ? { signature: chunk.signature } : {}) },
        };
      } else {
        for (const [key, delta] of Object.entries(chunk as DeltaToolCalls)) {
          const call = Number(key);
          let index = toolIndex.get(call);
          if (index === undefined) {
            index = parts.length;
            toolIndex.set(call, index);
            const part: ResponsePart = { kind: 'tool-call', toolName: delta.name ?? '', args: '', toolCallId: delta.toolCallId ?? `call-${index}` };
            parts.push(part);
            yield { kind: 'part-start', index, part: structuredClone(part) };
            if (delta.jsonArgs) yield { kind: 'part-delta', index, delta: { kind: 'tool-call', argsDelta: delta.jsonArgs } };
            continue;
          }
          const part = parts[index] as { args: string; toolName: string };
          if (delta.jsonArgs) part.args += delta.jsonArgs;
          if (delta.name) part.toolName += delta.name;
          yield {
            kind: 'part-delta',
            index,
            delta: { kind: 'tool-call', ...(delta.jsonArgs ? { argsDelta: delta.jsonArgs } : {}), ...(delta.name ? { toolName: delta.name } : {}) },
          };
        }
      }
    }
    for (let i = 0; i < parts.length; i++) yield { kind: 'part-end', index: i };
    yield {
      kind: 'finish',
      modelName: this.name,
      usage: estimateUsage(messages, parts),
      finishReason: parts.some((p) => p.kind === 'tool-call') ? 'tool-call' : 'stop',
    };
  }

  private complete(messages: readonly ModelMessage[], answer: FunctionAnswer): ModelResponse {
    if (typeof answer === 'string') answer = [{ kind: 'text', content: answer }];
    if (Array.isArray(answer)) {
      return { kind: 'response', parts: answer, modelName: this.name, timestamp: now(), usage: estimateUsage(messages, answer) };
    }
    return {
      ...answer,
      kind: 'response',
      parts: answer.parts,
      modelName: answer.modelName ?? this.name,
      timestamp: answer.timestamp ?? now(),
      usage: answer.usage ?? estimateUsage(messages, answer.parts),
    };
  }
}

function agentInfo(params: ModelRequestParameters, settings: ModelSettings | undefined): AgentInfo {
  const info: AgentInfo = {
    functionTools: params.functionTools,
    outputTools: params.outputTools,
    outputMode: params.outputMode,
    allowText: params.allowText,
  };
  if (params.outputObject) info.outputObject = params.outputObject;
  if (settings) info.modelSettings = settings;
  return info;
}
