/**
 * Gemini models through the official `@google/genai` SDK (the Gemini API, `generateContent` and
 * `streamGenerateContent`). The SDK does the HTTP work: authentication, retries with backoff
 * (408, 429, 5xx, failed connections), timeouts and Server-Sent Events; this class only translates.
 */
import type { GenerateContentConfig, GenerateContentParameters, GenerateContentResponse, SafetySetting } from '@google/genai';
import type { ModelMessage, ModelResponse } from '../../contract/messages.js';
import type { Model, ModelRequestParameters } from '../../contract/model.js';
import type { ModelSettings } from '../../contract/spec.js';
import type { ModelStreamEvent } from '../../contract/stream-events.js';
import type { ConnectionOptions } from '../shared/provider-profile.js';
import { SdkClient, type SdkRequestOptions, type SdkStream } from '../shared/sdk-calls.js';
import { streamWithWarnings, withWarnings } from '../shared/warnings.js';
import { makeGenaiClient, timeoutsReported } from './google-sdk.js';
import { requestParams } from './map-request.js';
import { bodyKept, chunksBodyKept } from './sdk-errors.js';
import { mapAnswer } from './map-response.js';
import { streamEvents } from './map-stream.js';
import { GOOGLE_PROVIDER } from './profile.js';

/** What the adapter needs of a client: the SDK's `GoogleGenAI` fits, and so does a test double. */
export interface GoogleClient {
  models: {
    generateContent(params: never): PromiseLike<unknown>;
    generateContentStream(params: never): PromiseLike<AsyncIterable<unknown>>;
  };
}

/** Options of {@link GoogleModel}. */
export interface GoogleModelOptions extends ConnectionOptions {
  /**
   * A configured client (`new GoogleGenAI({...})`, a Vertex AI one included); without one, a
   * Gemini API client is made from these options and the environment (`GEMINI_API_KEY` or
   * `GOOGLE_API_KEY`; `baseURL` or `GOOGLE_GEMINI_BASE_URL`).
   */
  client?: GoogleClient;
  /** Gemini's safety thresholds, sent with every request (`[{category, threshold}]`). */
  safetySettings?: SafetySetting[];
}

/** A client as the shared client holds it: it reads a key held by the client, to redact it. */
type HeldClient = GoogleClient & { apiKey?: unknown };

interface Models {
  generateContent(params: GenerateContentParameters): Promise<GenerateContentResponse>;
  generateContentStream(params: GenerateContentParameters): Promise<AsyncGenerator<GenerateContentResponse>>;
}

/** A Gemini model. */
export class GoogleModel implements Model {
  readonly name: string;
  readonly system = 'google';
  readonly #client: SdkClient<HeldClient>;
  readonly #safetySettings: SafetySetting[] | undefined;

  /**
   * @param modelName the model (`gemini-2.5-flash`).
   * @param options a client, or how to make one (key, base URL), retries and timeout; safety settings.
   */
  constructor(modelName: string, options: GoogleModelOptions = {}) {
    this.name = modelName;
    this.#safetySettings = options.safetySettings;
    this.#client = new SdkClient<HeldClient>({
      profile: GOOGLE_PROVIDER,
      modelName,
      options,
      injected: options.client,
      // Unused: a client made here keeps the raw body of error responses, which is what is read.
      shape: 'anthropic',
      make: async (settings): Promise<GoogleClient> => makeGenaiClient(modelName, settings, options.maxRetries ?? 2),
    });
  }

  /** Makes a model, checking at once that it can connect (an API key is set, or a client given). */
  static connect(modelName: string, options: GoogleModelOptions = {}): GoogleModel {
    const model = new GoogleModel(modelName, options);
    model.#client.connect();
    return model;
  }

  async #models(): Promise<Models> {
    return (await this.#client.get()).models as unknown as Models;
  }

  #params(messages: readonly ModelMessage[], settings: ModelSettings | undefined, params: ModelRequestParameters, warnings: string[]) {
    return requestParams(this.name, messages, settings, params, warnings, this.#safetySettings ? { safetySettings: this.#safetySettings } : {});
  }

  async request(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): Promise<ModelResponse> {
    const models = await this.#models();
    const warnings: string[] = [];
    const body = this.#params(messages, settings, params, warnings);
    const response = await this.#client.request(
      settings,
      signal,
      (options) => timeoutsReported(this.name, signal, bodyKept(models.generateContent(withCallOptions(body, options, settings, options.signal)))),
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
    const models = await this.#models();
    const warnings: string[] = [];
    const body = this.#params(messages, settings, params, warnings);
    yield* streamWithWarnings(
      this.#client.streamRequest(
        settings,
        signal,
        async (options): Promise<SdkStream<GenerateContentResponse>> => {
          // This SDK's streams have no close of their own: aborting the request's signal closes the
          // connection, which the shared client does when a consumer stops early or the stream stalls.
          const controller = new AbortController();
          if (options.signal) {
            if (options.signal.aborted) controller.abort(options.signal.reason);
            else options.signal.addEventListener('abort', () => controller.abort(options.signal?.reason), { once: true });
          }
          // This SDK keeps its timeout armed while the body is read, which would cut off a long
          // stream still arriving (and report a stall as a broken stream): here the timeout bounds
          // only the wait for the stream to begin, the shared client's idle timeout the rest, as
          // with the other SDKs. It bounds the SDK's retries of the opening too.
          const { timeout, ...untimed } = options;
          const timer = timeout !== undefined ? setTimeout(() => controller.abort(), timeout) : undefined;
          let stream: AsyncGenerator<GenerateContentResponse>;
          try {
            stream = await timeoutsReported(
              this.name,
              signal,
              bodyKept(models.generateContentStream(withCallOptions(body, untimed, settings, controller.signal))),
            );
          } finally {
            clearTimeout(timer);
          }
          return Object.assign(stream, { controller });
        },
        (chunks) => streamEvents(chunksBodyKept(chunks), this.name),
      ),
      warnings,
    );
  }

  /** The model as data: provider and name (never its client or key). */
  toJSON(): { system: string; name: string } {
    return { system: this.system, name: this.name };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `GoogleModel { name: '${this.name}' }`;
  }
}

/**
 * The request with what goes with this one call: the signal, and the timeout, retries, headers
 * and extra body fields as HTTP options (the SDK merges them over the client's).
 */
function withCallOptions(
  body: GenerateContentParameters,
  options: SdkRequestOptions,
  settings: ModelSettings | undefined,
  signal: AbortSignal | undefined,
): GenerateContentParameters {
  const config: GenerateContentConfig = { ...body.config };
  if (signal) config.abortSignal = signal;
  const http: NonNullable<GenerateContentConfig['httpOptions']> = {};
  if (options.timeout !== undefined) http.timeout = options.timeout;
  if (options.maxRetries !== undefined) http.retryOptions = { attempts: options.maxRetries + 1 };
  if (settings?.extraHeaders !== undefined) http.headers = settings.extraHeaders;
  if (settings?.extraBody !== undefined) http.extraBody = settings.extraBody;
  if (Object.keys(http).length > 0) config.httpOptions = http;
  return { ...body, config };
}
