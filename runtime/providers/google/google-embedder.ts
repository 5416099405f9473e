/**
 * Embeddings through the Gemini API with the official `@google/genai` SDK (`models.embedContent`,
 * which the SDK sends as one `batchEmbedContents` request). The SDK does the HTTP work
 * (authentication, retries, timeouts); this class splits the texts into batches the API takes,
 * names the task (query or document), and reads the vectors back. It shares the Gemini model's
 * client plumbing: the same errors, the same key handling, the same allow-requests switch.
 */
import type { Content, EmbedContentConfig, EmbedContentParameters } from '@google/genai';
import { UserError } from '../../contract/errors.js';
import type { Embedder, EmbeddingInputType, EmbeddingResult, EmbedOptions } from '../../embeddings/embedder.js';
import { embedInBatches } from '../../embeddings/embed-in-batches.js';
import { expectArray, expectObject, isObject, MalformedAnswer } from '../shared/provider-errors.js';
import type { ConnectionOptions } from '../shared/provider-profile.js';
import { SdkClient, type SdkRequestOptions } from '../shared/sdk-calls.js';
import { makeGenaiClient, timeoutsReported } from './google-sdk.js';
import { GOOGLE_PROVIDER } from './profile.js';
import { bodyKept } from './sdk-errors.js';

/**
 * The Gemini API's limit: at most 100 texts in one `batchEmbedContents` request (it answers 400
 * "at most 100 requests can be in one batch" beyond that).
 */
const GEMINI_MAX_INPUTS = 100;

/** The model used unless another is named. */
const DEFAULT_MODEL = 'gemini-embedding-001';

/** Gemini's task types for the two input types: the same text is embedded differently for each. */
const TASK_TYPES: Readonly<Record<EmbeddingInputType, string>> = { query: 'RETRIEVAL_QUERY', document: 'RETRIEVAL_DOCUMENT' };

/** What the embedder needs of a client: the SDK's `GoogleGenAI` fits, and so does a test double. */
export interface GoogleEmbeddingsClient {
  models: { embedContent(params: never): PromiseLike<unknown> };
}

/**
 * A client as the shared client holds it: the key a client holds (the SDK's is private to its
 * types, present at run time) is read only to keep it out of errors and traces.
 */
type HeldClient = GoogleEmbeddingsClient & { apiKey?: unknown };

/** Options of {@link GoogleEmbedder}; `N` is the vector length asked for, when one is. */
export interface GoogleEmbedderOptions<N extends number = number> extends ConnectionOptions {
  /** The embedding model; default `gemini-embedding-001`. */
  model?: string;
  /**
   * The length of the vectors, sent as `outputDimensionality`: `gemini-embedding-001` makes 3072
   * by default and shortens them to this (768 and 1536 are the sizes Google recommends). Every
   * answer is checked against it, so the vectors are `Embedding<N>`.
   */
  dimensions?: N;
  /**
   * The task type sent when a call names no `inputType` (`SEMANTIC_SIMILARITY`, `CLASSIFICATION`,
   * `CLUSTERING`, `CODE_RETRIEVAL_QUERY`...); default none, the model's own default.
   */
  taskType?: string;
  /** Texts per request; default and most 100 (the Gemini API's limit). */
  batchSize?: number;
  /** Requests in flight at once when the texts need several; default 4. */
  concurrency?: number;
  /**
   * A configured client (`new GoogleGenAI({...})`); without one, a Gemini API client is made from
   * these options and the environment (`GEMINI_API_KEY` or `GOOGLE_API_KEY`).
   */
  client?: GoogleEmbeddingsClient;
}

/** The one SDK method called, as it is typed here. */
interface EmbedContentApi {
  embedContent(params: EmbedContentParameters): Promise<unknown>;
}

/**
 * Embeddings from the Gemini API. Texts are sent in batches of up to 100, a few requests at a
 * time, each as a content of one text part; the vectors come back in the order of the texts.
 * `inputType` picks the task type (`query`: RETRIEVAL_QUERY, `document`: RETRIEVAL_DOCUMENT).
 * The Gemini API reports no token counts for embeddings, so `usage.inputTokens` is 0 (a Vertex AI
 * client's per-vector `statistics.tokenCount` is summed when present). HTTP errors are
 * `ModelHTTPError`, connection failures and timeouts `ModelAPIError`, and the key appears in
 * neither. Made with `dimensions: 768`, it is an `Embedder<768>`.
 */
export class GoogleEmbedder<N extends number = number> implements Embedder<N> {
  /** The model asked for. */
  readonly model: string;
  /** The provider. */
  readonly system = 'google';
  /** The vector length asked for, if any. */
  readonly dimensions: N | undefined;
  readonly #taskType: string | undefined;
  readonly #batchSize: number;
  readonly #concurrency: number | undefined;
  readonly #client: SdkClient<HeldClient>;

  /** @param options the model and vector length, the default task type, batching, and a client or how to make one. */
  constructor(options: GoogleEmbedderOptions<N> = {}) {
    const batchSize = options.batchSize ?? GEMINI_MAX_INPUTS;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > GEMINI_MAX_INPUTS)
      throw new UserError(`batchSize must be an integer from 1 to ${GEMINI_MAX_INPUTS}, not ${batchSize}`);
    if (options.dimensions !== undefined && (!Number.isInteger(options.dimensions) || options.dimensions < 1))
      throw new UserError(`dimensions must be a positive integer, not ${options.dimensions}`);
    this.model = options.model ?? DEFAULT_MODEL;
    this.dimensions = options.dimensions;
    this.#taskType = options.taskType;
    this.#batchSize = batchSize;
    this.#concurrency = options.concurrency;
    const model = this.model;
    this.#client = new SdkClient<HeldClient>({
      profile: GOOGLE_PROVIDER,
      modelName: model,
      options,
      injected: options.client,
      // As for the Gemini model: the client made here keeps the raw body of error responses, which is what is read.
      shape: 'anthropic',
      make: async (settings): Promise<GoogleEmbeddingsClient> => makeGenaiClient(model, settings, options.maxRetries ?? 2),
    });
  }

  /** Makes an embedder, checking at once that it can connect (an API key is set, or a client given). */
  static connect<N extends number = number>(options: GoogleEmbedderOptions<N> = {}): GoogleEmbedder<N> {
    const embedder = new GoogleEmbedder<N>(options);
    embedder.#client.connect();
    return embedder;
  }

  /** Embeds `texts`: one request per batch of up to 100, none for no texts. */
  embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbeddingResult<N>> {
    const taskType = options.inputType !== undefined ? TASK_TYPES[options.inputType] : this.#taskType;
    return embedInBatches<N>(
      texts,
      {
        batchSize: this.#batchSize,
        model: this.model,
        concurrency: this.#concurrency,
        dimensions: this.dimensions,
        signal: options.signal,
        onProgress: options.onProgress,
      },
      (batch, signal) => this.#embedBatch(batch, taskType, signal),
    );
  }

  async #embedBatch(batch: readonly string[], taskType: string | undefined, signal: AbortSignal): Promise<EmbeddingResult> {
    const api = (await this.#client.get()).models as unknown as EmbedContentApi;
    // One content per text, written out: a list of strings would be one content of several parts
    // for the multimodal models (gemini-embedding-2), embedded as one vector.
    const contents: Content[] = batch.map((text) => ({ role: 'user', parts: [{ text }] }));
    const config: EmbedContentConfig = {
      ...(taskType !== undefined ? { taskType } : {}),
      ...(this.dimensions !== undefined ? { outputDimensionality: this.dimensions } : {}),
    };
    return this.#client.request(
      undefined,
      signal,
      // bodyKept: an injected client's ApiError carries Google's error body only in its message.
      (options) => timeoutsReported(this.model, signal, bodyKept(api.embedContent({ model: this.model, contents, config: withCallOptions(config, options) }))),
      (answer) => readEmbeddings(answer, batch.length, this.model),
    );
  }

  /** The embedder as data: provider, model and size (never its client or key). */
  toJSON(): { system: string; model: string; dimensions?: number } {
    return { system: this.system, model: this.model, ...(this.dimensions !== undefined ? { dimensions: this.dimensions } : {}) };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `GoogleEmbedder { model: '${this.model}' }`;
  }
}

/** The config with what goes with this one request: the signal, and the timeout, retries and headers as HTTP options. */
function withCallOptions(config: EmbedContentConfig, options: SdkRequestOptions): EmbedContentConfig {
  const out: EmbedContentConfig = { ...config };
  if (options.signal) out.abortSignal = options.signal;
  const http: NonNullable<EmbedContentConfig['httpOptions']> = {};
  if (options.timeout !== undefined) http.timeout = options.timeout;
  if (options.maxRetries !== undefined) http.retryOptions = { attempts: options.maxRetries + 1 };
  if (options.headers !== undefined) http.headers = options.headers;
  if (Object.keys(http).length > 0) out.httpOptions = http;
  return out;
}

/**
 * The vectors of one answer (`{embeddings: [{values}]}`, in the order of the texts: the API
 * numbers nothing), and the tokens when a Vertex AI client reports them per vector.
 */
function readEmbeddings(answer: unknown, count: number, model: string): EmbeddingResult {
  const error = MalformedAnswer.errorIn(answer);
  if (error) throw error;
  expectObject(answer, 'the response');
  const list = answer['embeddings'];
  expectArray(list, 'embeddings');
  if (list.length !== count) throw new MalformedAnswer(`embeddings holds ${list.length} vectors for ${count} texts`);
  let inputTokens = 0;
  const embeddings = list.map((item, i) => {
    expectObject(item, `embeddings[${i}]`);
    const values = item['values'];
    if (!Array.isArray(values) || !values.every((x) => typeof x === 'number' && Number.isFinite(x)))
      throw new MalformedAnswer(`embeddings[${i}].values is not a list of numbers`);
    const statistics = item['statistics'];
    if (isObject(statistics) && typeof statistics['tokenCount'] === 'number') inputTokens += statistics['tokenCount'];
    return values as number[];
  });
  return { embeddings, dimensions: embeddings[0]?.length ?? 0, usage: { inputTokens }, model };
}
