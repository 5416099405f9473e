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
import { FunctionModelStream, type StreamChunk } from './function-model-stream.js';

export type { DeltaThinking, DeltaToolCalls, StreamChunk } from './function-model-stream.js';

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

  requestStream(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): AsyncIterable<ModelStreamEvent> {
    const stream = this.options.stream;
    if (!stream) return this.replay(messages, settings, params, signal);
    return new FunctionModelStream(() => stream(messages, agentInfo(params, settings)), messages, this.name, signal);
  }

  /** The events of `fn`'s answer, for a model without a stream function. */
  private async *replay(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): AsyncGenerator<ModelStreamEvent> {
    yield* responseEvents(await this.request(messages, settings, params, signal));
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
