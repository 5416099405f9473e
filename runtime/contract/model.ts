/**
 * The model interface: all a provider adapter implements. One request and one streaming request
 * over the neutral messages, plus what the agent asks for (tools, output, settings).
 */
import type { ModelMessage, ModelResponse } from './messages.js';
import type { JsonSchema, ModelSettings, OutputMode } from './spec.js';
import type { ModelStreamEvent } from './stream-events.js';

/** A tool as the model sees it. */
export interface ToolDefinition {
  /** The name the model calls. */
  name: string;
  description?: string;
  /** JSON Schema of the arguments (always an object schema). */
  parametersJsonSchema: JsonSchema;
  /**
   * Ask the provider to enforce the schema while sampling: `false` never, `true` always (with a
   * warning where the provider or the schema cannot), absent when the schema allows it.
   */
  strict?: boolean;
  /**
   * The parameters in OpenAI's strict dialect (every property required, optional ones nullable,
   * closed objects), prepared by the generator; adapters that need it compute it otherwise.
   */
  strictParametersJsonSchema?: JsonSchema;
  /**
   * The parameters in Gemini's schema subset, prepared by the generator (which warned about what
   * it dropped); the Gemini adapter computes it when absent.
   */
  geminiParametersJsonSchema?: JsonSchema;
  /** A function tool (runs a handler) or an output tool (ends the run with its arguments). */
  kind: 'function' | 'output';
}

/** The structured output asked for in native or prompted mode. */
export interface OutputObjectDefinition {
  /** A name for the schema (providers require one). */
  name: string;
  description?: string;
  /** JSON Schema of the output (an object schema). */
  jsonSchema: JsonSchema;
  /** As {@link ToolDefinition.strict}. */
  strict?: boolean;
  /** The schema in OpenAI's strict dialect, when prepared (see {@link ToolDefinition}). */
  strictJsonSchema?: JsonSchema;
  /** The schema in Gemini's subset, when prepared (see {@link ToolDefinition}). */
  geminiJsonSchema?: JsonSchema;
}

/** What the agent asks of the model in one request. */
export interface ModelRequestParameters {
  /** Function tools (handlers and delegate agents). */
  functionTools: ToolDefinition[];
  /** Output tools (tool mode): calling one ends the run. */
  outputTools: ToolDefinition[];
  /** How structured output is expected; `text` when the agent outputs text. */
  outputMode: OutputMode | 'text';
  /** The output schema in native and prompted modes. */
  outputObject?: OutputObjectDefinition;
  /** Whether a plain text answer ends the run. */
  allowText: boolean;
}

/** A model a run can talk to. */
export interface Model {
  /** The model's name (`gpt-4o`, `test`). */
  readonly name: string;
  /** The provider (`openai`, `anthropic`, `test`, `function`). */
  readonly system: string;
  /** One request. */
  request(messages: readonly ModelMessage[], settings: ModelSettings | undefined, params: ModelRequestParameters, signal?: AbortSignal): Promise<ModelResponse>;
  /** One streaming request: part start/delta/end events, then a finish event. */
  requestStream(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): AsyncIterable<ModelStreamEvent>;
}
