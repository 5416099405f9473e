/**
 * Claude models through the official `@anthropic-ai/sdk` (Messages API). The SDK does the HTTP
 * work: authentication, retries with backoff (429 honouring `retry-after`, 5xx and 529
 * "overloaded", connection errors), timeouts and Server-Sent Events; this class only translates.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ModelMessage, ModelResponse } from '../../contract/messages.js';
import type { Model, ModelRequestParameters } from '../../contract/model.js';
import type { ModelSettings } from '../../contract/spec.js';
import type { ModelStreamEvent } from '../../contract/stream-events.js';
import { importSdk, type ConnectionOptions, type ProviderProfile } from '../shared/provider-profile.js';
import { ANTHROPIC_PROVIDER } from './profile.js';
import { streamWithWarnings, withWarnings } from '../shared/warnings.js';
import { SdkClient, type SdkRequestOptions, type SdkStream } from '../shared/sdk-calls.js';
import { requestBody } from './map-request.js';
import { mapMessage } from './map-response.js';
import { streamEvents } from './map-stream.js';

/** What the adapter needs of a client: the SDK's `Anthropic` class fits, and so does a test double. */
export interface AnthropicClient {
  messages: { create(body: never, options?: never): PromiseLike<unknown> };
  /** Read, when present, only to keep the key out of error messages. */
  apiKey?: unknown;
}

/** Options of {@link AnthropicModel}. */
export interface AnthropicModelOptions extends ConnectionOptions {
  /** A configured client; without one, a client is made from these options and the environment. */
  client?: AnthropicClient;
  /** The provider profile (default: the built-in `anthropic`). */
  provider?: ProviderProfile;
}

interface Messages {
  create(body: Anthropic.MessageCreateParamsNonStreaming, options?: SdkRequestOptions): Promise<Anthropic.Message>;
  create(body: Anthropic.MessageCreateParamsStreaming, options?: SdkRequestOptions): Promise<SdkStream<Anthropic.MessageStreamEvent>>;
}

/** A Claude model. */
export class AnthropicModel implements Model {
  readonly name: string;
  readonly system = 'anthropic';
  readonly #client: SdkClient<AnthropicClient>;

  /**
   * @param modelName the model (`claude-sonnet-5-5`).
   * @param options a client, or how to make one (key, base URL), retries and timeout.
   */
  constructor(modelName: string, options: AnthropicModelOptions = {}) {
    this.name = modelName;
    this.#client = new SdkClient<AnthropicClient>({
      profile: options.provider ?? ANTHROPIC_PROVIDER,
      modelName,
      options,
      injected: options.client,
      shape: 'anthropic',
      make: async (settings) => {
        const { default: AnthropicSdk } = await importSdk('@anthropic-ai/sdk', () => import('@anthropic-ai/sdk'));
        return new AnthropicSdk({ ...settings, maxRetries: options.maxRetries ?? 2 });
      },
    });
  }

  /** Makes a model, checking at once that it can connect (an API key is set, or a client given). */
  static connect(modelName: string, options: AnthropicModelOptions): AnthropicModel {
    const model = new AnthropicModel(modelName, options);
    model.#client.connect();
    return model;
  }

  async #messages(): Promise<Messages> {
    return (await this.#client.get()).messages as unknown as Messages;
  }

  async request(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): Promise<ModelResponse> {
    const api = await this.#messages();
    const warnings: string[] = [];
    const body = requestBody(this.name, messages, settings, params, warnings);
    return withWarnings(await this.#client.request(settings, signal, (options) => api.create(body, options), mapMessage), warnings);
  }

  async *requestStream(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): AsyncIterable<ModelStreamEvent> {
    const api = await this.#messages();
    const warnings: string[] = [];
    const body: Anthropic.MessageCreateParamsStreaming = { ...requestBody(this.name, messages, settings, params, warnings), stream: true };
    yield* streamWithWarnings(
      this.#client.streamRequest(
        settings,
        signal,
        (options) => api.create(body, options),
        (events) => streamEvents(events, this.name),
      ),
      warnings,
    );
  }

  /** The model as data: provider and name (never its client or key). */
  toJSON(): { system: string; name: string } {
    return { system: this.system, name: this.name };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `AnthropicModel { name: '${this.name}' }`;
  }
}
