/**
 * Models that speak OpenAI's Chat Completions API: OpenAI itself and OpenAI-compatible servers
 * (DeepSeek, OpenRouter, Groq, Ollama, vLLM, or any registered base URL), through the official
 * `openai` SDK. The SDK does the HTTP work: authentication, retries with backoff (honouring
 * `retry-after`), timeouts and Server-Sent Events; this class only translates.
 */
import type OpenAI from 'openai';
import { UserError } from '../../errors.js';
import type { ModelMessage, ModelResponse } from '../../messages.js';
import type { Model, ModelRequestParameters } from '../../model.js';
import type { ModelSettings } from '../../spec.js';
import type { ModelStreamEvent } from '../../stream-events.js';
import { providerError } from '../provider-errors.js';
import { builtInProvider, connection, importSdk, type ConnectionOptions, type ProviderProfile } from '../providers.js';
import { requestBody } from './map-request.js';
import { mapCompletion } from './map-response.js';
import { streamEvents } from './map-stream.js';

/**
 * What the adapter needs of a client: the SDK's `OpenAI` class (or `AzureOpenAI`) fits, and so
 * does a test double.
 */
export interface OpenAIChatClient {
  chat: { completions: { create(body: never, options?: never): PromiseLike<unknown> } };
  /** Read, when present, only to keep the key out of error messages. */
  apiKey?: unknown;
}

/** Options of {@link OpenAIChatModel}. */
export interface OpenAIChatModelOptions extends ConnectionOptions {
  /** A configured client; without one, a client is made from the provider and these options. */
  client?: OpenAIChatClient;
  /** The provider (a built-in name such as `deepseek`, or a profile); default `openai`. */
  provider?: string | ProviderProfile;
}

interface ChatCompletions {
  create(body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, options?: OpenAI.RequestOptions): Promise<OpenAI.Chat.ChatCompletion>;
  create(body: OpenAI.Chat.ChatCompletionCreateParamsStreaming, options?: OpenAI.RequestOptions): Promise<AsyncIterable<OpenAI.Chat.ChatCompletionChunk> & { controller?: AbortController }>;
}

/** A model served through the Chat Completions API. */
export class OpenAIChatModel implements Model {
  readonly name: string;
  readonly system: string;
  private readonly profile: ProviderProfile;
  private client: Promise<OpenAIChatClient> | undefined;
  private readonly secrets: string[] = [];

  /**
   * @param modelName the provider's model name (`gpt-4o`, `deepseek-chat`).
   * @param options a client, or how to make one (key, base URL, retries, timeout), and the provider.
   */
  constructor(
    modelName: string,
    private readonly options: OpenAIChatModelOptions = {},
  ) {
    const provider = options.provider ?? 'openai';
    const profile = typeof provider === 'string' ? builtInProvider(provider) : provider;
    if (!profile || profile.api !== 'openai-chat') throw new UserError(`${JSON.stringify(typeof provider === 'string' ? provider : provider.name)} is not an OpenAI-compatible provider`);
    this.profile = profile;
    this.name = modelName;
    this.system = profile.name;
    if (options.client) {
      this.client = Promise.resolve(options.client);
      if (typeof options.client.apiKey === 'string') this.secrets.push(options.client.apiKey);
    }
  }

  /** Makes a model, checking at once that it can connect (an API key is set, or a client given). */
  static connect(modelName: string, options: OpenAIChatModelOptions): OpenAIChatModel {
    const model = new OpenAIChatModel(modelName, options);
    if (!options.client) model.client = model.makeClient(connection(model.profile, modelName, options));
    return model;
  }

  private async makeClient(settings: { apiKey: string; baseURL?: string }): Promise<OpenAIChatClient> {
    this.secrets.push(settings.apiKey);
    const { default: OpenAISdk } = await importSdk('openai', () => import('openai'));
    return new OpenAISdk({ ...settings, maxRetries: this.options.maxRetries ?? 2, timeout: this.options.timeoutMs ?? 600_000 });
  }

  private completions(): Promise<ChatCompletions> {
    this.client ??= this.makeClient(connection(this.profile, this.name, this.options));
    return this.client.then((c) => c.chat.completions as unknown as ChatCompletions);
  }

  async request(messages: readonly ModelMessage[], settings: ModelSettings | undefined, params: ModelRequestParameters, signal?: AbortSignal): Promise<ModelResponse> {
    const completions = await this.completions();
    const body = requestBody(this.name, this.profile, messages, settings, params);
    let completion: OpenAI.Chat.ChatCompletion;
    try {
      completion = await completions.create(body, requestOptions(settings, signal));
    } catch (err) {
      throw providerError(err, this.name, signal, this.secrets);
    }
    return mapCompletion(completion, this.profile);
  }

  async *requestStream(messages: readonly ModelMessage[], settings: ModelSettings | undefined, params: ModelRequestParameters, signal?: AbortSignal): AsyncIterable<ModelStreamEvent> {
    const completions = await this.completions();
    const body: OpenAI.Chat.ChatCompletionCreateParamsStreaming = { ...requestBody(this.name, this.profile, messages, settings, params), stream: true, stream_options: { include_usage: true } };
    let stream: AsyncIterable<OpenAI.Chat.ChatCompletionChunk> & { controller?: AbortController };
    try {
      stream = await completions.create(body, requestOptions(settings, signal));
    } catch (err) {
      throw providerError(err, this.name, signal, this.secrets);
    }
    let finished = false;
    try {
      yield* streamEvents(stream, this.profile, this.name);
      finished = true;
    } catch (err) {
      throw providerError(err, this.name, signal, this.secrets, { duringStream: true });
    } finally {
      // A consumer that stops early must not leave the connection open.
      if (!finished) stream.controller?.abort();
    }
  }
}

function requestOptions(settings: ModelSettings | undefined, signal: AbortSignal | undefined): OpenAI.RequestOptions {
  const options: OpenAI.RequestOptions = {};
  if (signal) options.signal = signal;
  if (settings?.timeout !== undefined) options.timeout = Math.round(settings.timeout * 1000);
  return options;
}
