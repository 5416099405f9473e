/**
 * Models that speak OpenAI's Chat Completions API: OpenAI itself and OpenAI-compatible servers
 * (DeepSeek, OpenRouter, Groq, Mistral, Ollama, vLLM, or any registered base URL), through the official
 * `openai` SDK. The SDK does the HTTP work: authentication, retries with backoff (honouring
 * `retry-after`), timeouts and Server-Sent Events; this class only translates.
 */
import type OpenAI from 'openai';
import { UserError } from '../../contract/errors.js';
import type { ModelMessage, ModelResponse } from '../../contract/messages.js';
import type { Model, ModelRequestParameters } from '../../contract/model.js';
import type { ModelSettings } from '../../contract/spec.js';
import type { ModelStreamEvent } from '../../contract/stream-events.js';
import { importSdk, type ConnectionOptions, type ProviderProfile } from '../shared/provider-profile.js';
import { streamWithWarnings, withWarnings } from '../shared/warnings.js';
import { SdkClient, type SdkRequestOptions, type SdkStream } from '../shared/sdk-calls.js';
import type { UrlDownloadOptions } from '../shared/download-content.js';
import { downloadUrlContent, type DownloadCache } from './download-url-content.js';
import { failedGenerationResponse } from './failed-generation.js';
import { requestBody } from './map-request.js';
import { openAICompatibleProfile } from './profiles.js';
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
  /**
   * How documents and audio given by URL are downloaded (the Chat API takes them only as bytes):
   * the size cap (default 20 MB) and whether private hosts are allowed (default not).
   */
  downloads?: UrlDownloadOptions;
}

interface ChatCompletions {
  create(body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, options?: SdkRequestOptions): Promise<OpenAI.Chat.ChatCompletion>;
  create(body: OpenAI.Chat.ChatCompletionCreateParamsStreaming, options?: SdkRequestOptions): Promise<SdkStream<OpenAI.Chat.ChatCompletionChunk>>;
}

/** A model served through the Chat Completions API. */
export class OpenAIChatModel implements Model {
  readonly name: string;
  readonly system: string;
  readonly #profile: ProviderProfile;
  readonly #client: SdkClient<OpenAIChatClient>;
  readonly #downloadOptions: UrlDownloadOptions;
  readonly #downloaded: DownloadCache = new WeakMap();

  /**
   * @param modelName the provider's model name (`gpt-4o`, `deepseek-chat`).
   * @param options a client, or how to make one (key, base URL), retries and timeout, and the provider.
   */
  constructor(modelName: string, options: OpenAIChatModelOptions = {}) {
    const provider = options.provider ?? 'openai';
    const profile = typeof provider === 'string' ? openAICompatibleProfile(provider) : provider;
    if (!profile || profile.api !== 'openai-chat')
      throw new UserError(`${JSON.stringify(typeof provider === 'string' ? provider : provider.name)} is not an OpenAI-compatible provider`);
    this.#profile = profile;
    this.#downloadOptions = { ...options.downloads };
    this.name = modelName;
    this.system = profile.name;
    this.#client = new SdkClient<OpenAIChatClient>({
      profile,
      modelName,
      options,
      injected: options.client,
      shape: 'openai',
      make: async (settings) => {
        const { default: OpenAISdk } = await importSdk('openai', () => import('openai'));
        return new OpenAISdk({ ...settings, maxRetries: options.maxRetries ?? 2 });
      },
    });
  }

  /** Makes a model, checking at once that it can connect (an API key is set, or a client given). */
  static connect(modelName: string, options: OpenAIChatModelOptions): OpenAIChatModel {
    const model = new OpenAIChatModel(modelName, options);
    model.#client.connect();
    return model;
  }

  async #completions(): Promise<ChatCompletions> {
    return (await this.#client.get()).chat.completions as unknown as ChatCompletions;
  }

  async request(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): Promise<ModelResponse> {
    const completions = await this.#completions();
    const warnings: string[] = [];
    const sent = await downloadUrlContent(messages, this.#profile, this.#downloadOptions, this.#downloaded, signal);
    const body = requestBody(this.name, this.#profile, sent, settings, params, warnings);
    let response: ModelResponse;
    try {
      response = await this.#client.request(
        settings,
        signal,
        (options) => completions.create(body, options),
        (completion) => mapCompletion(completion, this.#profile),
      );
    } catch (err) {
      // Groq's rejected tool call is an answer to retry, not a failed request (see failed-generation.ts).
      const failed = this.#profile.failedGenerationAsResponse ? failedGenerationResponse(err, this.name, params.allowText) : undefined;
      if (!failed) throw err;
      response = failed;
    }
    return withWarnings(response, warnings);
  }

  async *requestStream(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): AsyncIterable<ModelStreamEvent> {
    const completions = await this.#completions();
    const warnings: string[] = [];
    const sent = await downloadUrlContent(messages, this.#profile, this.#downloadOptions, this.#downloaded, signal);
    const body: OpenAI.Chat.ChatCompletionCreateParamsStreaming = {
      ...requestBody(this.name, this.#profile, sent, settings, params, warnings),
      stream: true,
      stream_options: { include_usage: true },
    };
    yield* streamWithWarnings(
      this.#client.streamRequest(
        settings,
        signal,
        (options) => completions.create(body, options),
        (chunks) => streamEvents(chunks, this.#profile, this.name),
      ),
      warnings,
    );
  }

  /** The model as data: provider and name (never its client or key). */
  toJSON(): { system: string; name: string } {
    return { system: this.system, name: this.name };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `OpenAIChatModel { system: '${this.system}', name: '${this.name}' }`;
  }
}
