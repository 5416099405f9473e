/**
 * Models served through OpenAI's Responses API (`POST /v1/responses`, OpenAI's API for new work:
 * reasoning items that go back on the next turn, server-side conversation state), through the
 * official `openai` SDK, which does the HTTP work (authentication, retries, timeouts, Server-Sent
 * Events); this class only translates. Histories move freely between this model and the Chat
 * Completions one (`OpenAIChatModel`): both read and write the neutral message model.
 */
import type OpenAI from 'openai';
import type { ModelMessage, ModelResponse } from '../../contract/messages.js';
import type { Model, ModelRequestParameters } from '../../contract/model.js';
import type { ModelSettings } from '../../contract/spec.js';
import type { ModelStreamEvent } from '../../contract/stream-events.js';
import { importSdk, type ConnectionOptions, type ProviderProfile } from '../shared/provider-profile.js';
import { SdkClient, type SdkRequestOptions, type SdkStream } from '../shared/sdk-calls.js';
import { streamWithWarnings, withWarnings } from '../shared/warnings.js';
import { responsesRequestBody, type ResponsesRequestOptions } from './map-responses-request.js';
import { mapResponsesBody } from './map-responses-response.js';
import { responsesStreamEvents } from './map-responses-stream.js';
import { openAICompatibleProfile } from './profiles.js';

/** What the adapter needs of a client: the SDK's `OpenAI` class (or `AzureOpenAI`) fits. */
export interface OpenAIResponsesClient {
  responses: { create(body: never, options?: never): PromiseLike<unknown> };
  /** Read, when present, only to keep the key out of error messages. */
  apiKey?: unknown;
}

/**
 * Model settings with the Responses API's own: `openaiPreviousResponseId` chains this request to a
 * response the server keeps (see {@link OpenAIResponsesModelOptions.previousResponseId}), for one
 * run (`agent.run(prompt, { modelSettings: { openaiPreviousResponseId: 'auto' } })`).
 */
export interface OpenAIResponsesModelSettings extends ModelSettings {
  /** `auto` or a response id: as the model option `previousResponseId`, for this run only. */
  openaiPreviousResponseId?: string;
}

/** Options of {@link OpenAIResponsesModel}. */
export interface OpenAIResponsesModelOptions extends ConnectionOptions {
  /** A configured client; without one, a client is made from these options and `OPENAI_API_KEY`. */
  client?: OpenAIResponsesClient;
  /**
   * `previous_response_id` for every request of this model: `auto` continues from the latest
   * Responses API response in the history (`resp_...`), and sends only the messages after it, the
   * server holding the rest; an id continues from that response (the messages up to it, when the
   * history holds it, are not sent again). Default: none, the whole history is sent. A run's
   * `openaiPreviousResponseId` setting wins. The server keeps responses only when they are stored
   * (the API's default).
   */
  previousResponseId?: string;
  /**
   * The reasoning summary asked for when the `thinking` setting is given: `auto` (default),
   * `concise`, `detailed`, or `none` (some organisations must be verified to get summaries).
   */
  reasoningSummary?: ResponsesRequestOptions['reasoningSummary'];
}

interface Responses {
  create(body: OpenAI.Responses.ResponseCreateParamsNonStreaming, options?: SdkRequestOptions): Promise<OpenAI.Responses.Response>;
  create(body: OpenAI.Responses.ResponseCreateParamsStreaming, options?: SdkRequestOptions): Promise<SdkStream<OpenAI.Responses.ResponseStreamEvent>>;
}

/** A model served through the OpenAI Responses API. */
export class OpenAIResponsesModel implements Model {
  readonly name: string;
  readonly system: string;
  readonly #client: SdkClient<OpenAIResponsesClient>;
  readonly #options: ResponsesRequestOptions;

  /**
   * @param modelName OpenAI's model name (`gpt-5`, `gpt-4o`).
   * @param options a client, or how to make one (key, base URL), retries and timeout, and how to chain responses.
   */
  constructor(modelName: string, options: OpenAIResponsesModelOptions = {}) {
    // OpenAI's own connection settings (key and base URL variables): the API differs, not the host.
    const profile: ProviderProfile = openAICompatibleProfile('openai')!;
    this.name = modelName;
    this.system = profile.name;
    this.#options = { previousResponseId: options.previousResponseId, reasoningSummary: options.reasoningSummary };
    this.#client = new SdkClient<OpenAIResponsesClient>({
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
  static connect(modelName: string, options: OpenAIResponsesModelOptions = {}): OpenAIResponsesModel {
    const model = new OpenAIResponsesModel(modelName, options);
    model.#client.connect();
    return model;
  }

  async #responses(): Promise<Responses> {
    return (await this.#client.get()).responses as unknown as Responses;
  }

  #body(messages: readonly ModelMessage[], settings: ModelSettings | undefined, params: ModelRequestParameters, warnings: string[]) {
    const chained = (settings as OpenAIResponsesModelSettings | undefined)?.openaiPreviousResponseId;
    const options = chained !== undefined ? { ...this.#options, previousResponseId: chained } : this.#options;
    return responsesRequestBody(this.name, messages, withoutOwnSettings(settings), params, options, warnings);
  }

  /** One request (`POST /v1/responses`), its answer mapped to a neutral response. */
  async request(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): Promise<ModelResponse> {
    const responses = await this.#responses();
    const warnings: string[] = [];
    const body = this.#body(messages, settings, params, warnings);
    const response = await this.#client.request(settings, signal, (options) => rawAnswer(responses.create(body, options)), mapResponsesBody);
    return withWarnings(response, warnings);
  }

  /** One streamed request, its Server-Sent Events mapped to neutral stream events. */
  async *requestStream(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
    signal?: AbortSignal,
  ): AsyncIterable<ModelStreamEvent> {
    const responses = await this.#responses();
    const warnings: string[] = [];
    const body: OpenAI.Responses.ResponseCreateParamsStreaming = { ...this.#body(messages, settings, params, warnings), stream: true };
    yield* streamWithWarnings(
      this.#client.streamRequest(
        settings,
        signal,
        (options) => responses.create(body, options),
        (events) => responsesStreamEvents(events, this.name),
      ),
      warnings,
    );
  }

  /** The model as data: provider and name (never its client or key). */
  toJSON(): { system: string; name: string } {
    return { system: this.system, name: this.name };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `OpenAIResponsesModel { system: '${this.system}', name: '${this.name}' }`;
  }
}

/**
 * The answer of a plain call as the server sent it. The SDK adds `output_text` to a response
 * object itself, walking `output` and each message's `content` unchecked, so a malformed body
 * (`output: null`) would fail there as a bare TypeError before checkResponsesBody could say what
 * is wrong; its raw response, when the call offers one, is read instead (as the SDK reads it: JSON
 * when the type says so, else text).
 */
async function rawAnswer(call: Promise<OpenAI.Responses.Response>): Promise<unknown> {
  const asResponse = (call as { asResponse?: () => Promise<Response> }).asResponse;
  if (typeof asResponse !== 'function') return call;
  const response = await asResponse.call(call);
  const text = await response.text();
  return /json/i.test(response.headers.get('content-type') ?? '') ? (JSON.parse(text) as unknown) : text;
}

/** The settings without this model's own key, which is no request field. */
function withoutOwnSettings(settings: ModelSettings | undefined): ModelSettings | undefined {
  if (!settings || !('openaiPreviousResponseId' in settings)) return settings;
  const { openaiPreviousResponseId: _, ...rest } = settings as OpenAIResponsesModelSettings;
  return rest;
}
