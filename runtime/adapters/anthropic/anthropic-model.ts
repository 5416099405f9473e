/**
 * Claude models through the official `@anthropic-ai/sdk` (Messages API). The SDK does the HTTP
 * work: authentication, retries with backoff (429 honouring `retry-after`, 5xx and 529
 * "overloaded", connection errors), timeouts and Server-Sent Events; this class only translates.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ModelMessage, ModelResponse } from '../../messages.js';
import type { Model, ModelRequestParameters } from '../../model.js';
import type { ModelSettings } from '../../spec.js';
import type { ModelStreamEvent } from '../../stream-events.js';
import { providerError } from '../provider-errors.js';
import { builtInProvider, connection, importSdk, type ConnectionOptions, type ProviderProfile } from '../providers.js';
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
  create(body: Anthropic.MessageCreateParamsNonStreaming, options?: Anthropic.RequestOptions): Promise<Anthropic.Message>;
  create(body: Anthropic.MessageCreateParamsStreaming, options?: Anthropic.RequestOptions): Promise<AsyncIterable<Anthropic.MessageStreamEvent> & { controller?: AbortController }>;
}

/** A Claude model. */
export class AnthropicModel implements Model {
  readonly name: string;
  readonly system = 'anthropic';
  private readonly profile: ProviderProfile;
  private client: Promise<AnthropicClient> | undefined;
  private readonly secrets: string[] = [];

  /**
   * @param modelName the model (`claude-sonnet-4-5`).
   * @param options a client, or how to make one (key, base URL, retries, timeout).
   */
  constructor(
    modelName: string,
    private readonly options: AnthropicModelOptions = {},
  ) {
    this.name = modelName;
    this.profile = options.provider ?? builtInProvider('anthropic')!;
    if (options.client) {
      this.client = Promise.resolve(options.client);
      if (typeof options.client.apiKey === 'string') this.secrets.push(options.client.apiKey);
    }
  }

  /** Makes a model, checking at once that it can connect (an API key is set, or a client given). */
  static connect(modelName: string, options: AnthropicModelOptions): AnthropicModel {
    const model = new AnthropicModel(modelName, options);
    if (!options.client) model.client = model.makeClient(connection(model.profile, modelName, options));
    return model;
  }

  private async makeClient(settings: { apiKey: string; baseURL?: string }): Promise<AnthropicClient> {
    this.secrets.push(settings.apiKey);
    const { default: AnthropicSdk } = await importSdk('@anthropic-ai/sdk', () => import('@anthropic-ai/sdk'));
    return new AnthropicSdk({ ...settings, maxRetries: this.options.maxRetries ?? 2, timeout: this.options.timeoutMs ?? 600_000 });
  }

  private messages(): Promise<Messages> {
    this.client ??= this.makeClient(connection(this.profile, this.name, this.options));
    return this.client.then((c) => c.messages as unknown as Messages);
  }

  async request(messages: readonly ModelMessage[], settings: ModelSettings | undefined, params: ModelRequestParameters, signal?: AbortSignal): Promise<ModelResponse> {
    const api = await this.messages();
    const body = requestBody(this.name, messages, settings, params);
    let message: Anthropic.Message;
    try {
      message = await api.create(body, requestOptions(settings, signal));
    } catch (err) {
      throw providerError(err, this.name, signal, this.secrets);
    }
    return mapMessage(message);
  }

  async *requestStream(messages: readonly ModelMessage[], settings: ModelSettings | undefined, params: ModelRequestParameters, signal?: AbortSignal): AsyncIterable<ModelStreamEvent> {
    const api = await this.messages();
    const body: Anthropic.MessageCreateParamsStreaming = { ...requestBody(this.name, messages, settings, params), stream: true };
    let stream: AsyncIterable<Anthropic.MessageStreamEvent> & { controller?: AbortController };
    try {
      stream = await api.create(body, requestOptions(settings, signal));
    } catch (err) {
      throw providerError(err, this.name, signal, this.secrets);
    }
    let finished = false;
    try {
      yield* streamEvents(stream, this.name);
      finished = true;
    } catch (err) {
      throw providerError(err, this.name, signal, this.secrets, { duringStream: true });
    } finally {
      if (!finished) stream.controller?.abort();
    }
  }
}

function requestOptions(settings: ModelSettings | undefined, signal: AbortSignal | undefined): Anthropic.RequestOptions {
  const options: Anthropic.RequestOptions = {};
  if (signal) options.signal = signal;
  if (settings?.timeout !== undefined) options.timeout = Math.round(settings.timeout * 1000);
  return options;
}
