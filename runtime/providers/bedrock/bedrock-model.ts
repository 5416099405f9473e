/**
 * Models on Amazon Bedrock through the Converse API of the official
 * `@aws-sdk/client-bedrock-runtime`. The SDK does the HTTP work: SigV4 signing with credentials
 * from the standard AWS chain, retries with backoff (throttling, 5xx, connection errors), and the
 * AWS event stream of ConverseStream; this class only translates.
 */
import type { ModelMessage, ModelResponse } from '../../contract/messages.js';
import type { Model, ModelRequestParameters } from '../../contract/model.js';
import type { ModelSettings } from '../../contract/spec.js';
import type { ModelStreamEvent } from '../../contract/stream-events.js';
import { streamWithWarnings, withWarnings } from '../shared/warnings.js';
import { BedrockCalls, type BedrockClient, type BedrockConnectionOptions } from './bedrock-client.js';
import { converseRequest } from './map-request.js';
import { mapAnswer } from './map-response.js';
import { streamEvents } from './map-stream.js';

/** Options of {@link BedrockModel}. */
export interface BedrockModelOptions extends BedrockConnectionOptions {
  /** A configured client (the SDK's `BedrockRuntimeClient`); without one, a client is made from these options and the AWS chain. */
  client?: BedrockClient;
}

/** A model on Amazon Bedrock (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`, `amazon.nova-micro-v1:0`, an inference profile ARN). */
export class BedrockModel implements Model {
  readonly name: string;
  readonly system = 'bedrock';
  readonly #calls: BedrockCalls;

  /**
   * @param modelId the model id, inference profile id or ARN.
   * @param options a client, or how to make one (region, endpoint, credentials), retries and timeout.
   */
  constructor(modelId: string, options: BedrockModelOptions = {}) {
    this.name = modelId;
    const { client, ...connection } = options;
    this.#calls = new BedrockCalls(modelId, connection, client);
  }

  /** Makes a model and starts loading the SDK, so that a missing SDK is reported at the first request. */
  static connect(modelId: string, options: BedrockModelOptions = {}): BedrockModel {
    const model = new BedrockModel(modelId, options);
    model.#calls.connect();
    return model;
  }

  async request(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): Promise<ModelResponse> {
    const warnings: string[] = [];
    const input = converseRequest(this.name, messages, settings, params, warnings);
    const response = await this.#calls.request(
      settings,
      signal,
      (sdk) => new sdk.ConverseCommand(input),
      (answer) => mapAnswer(answer, this.name),
    );
    return withWarnings(response, warnings);
  }

  async *requestStream(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): AsyncIterable<ModelStreamEvent> {
    const warnings: string[] = [];
    const input = converseRequest(this.name, messages, settings, params, warnings);
    yield* streamWithWarnings(
      this.#calls.streamRequest(
        settings,
        signal,
        (sdk) => new sdk.ConverseStreamCommand(input),
        (events) => streamEvents(events, this.name),
      ),
      warnings,
    );
  }

  /** The model as data: provider and name (never its client or credentials). */
  toJSON(): { system: string; name: string } {
    return { system: this.system, name: this.name };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `BedrockModel { name: '${this.name}' }`;
  }
}
