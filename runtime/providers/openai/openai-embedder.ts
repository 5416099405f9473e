/**
 * Embeddings through OpenAI's `POST /v1/embeddings` (and OpenAI-compatible servers that copy it),
 * with the official `openai` SDK. The SDK does the HTTP work (authentication, retries, timeouts);
 * this class splits the texts into batches the API takes, and reads the vectors and usage back.
 * It shares the chat model's client plumbing (`SdkClient`): the same errors, the same key
 * handling, the same allow-requests switch.
 */
import type OpenAI from 'openai';
import { UserError } from '../../contract/errors.js';
import type { Embedder, EmbeddingResult, EmbedOptions } from '../../embeddings/embedder.js';
import { embedInBatches } from '../../embeddings/embed-in-batches.js';
import { expectArray, expectObject, isObject, MalformedAnswer } from '../shared/provider-errors.js';
import { importSdk, type ConnectionOptions, type ProviderProfile } from '../shared/provider-profile.js';
import { SdkClient, type SdkRequestOptions } from '../shared/sdk-calls.js';
import { openAICompatibleProfile } from './profiles.js';

/** OpenAI's documented limit: at most 2048 inputs in one embeddings request. */
const OPENAI_MAX_INPUTS = 2048;

/** The model used unless another is named. */
const DEFAULT_MODEL = 'text-embedding-3-small';

/** What the embedder needs of a client: the SDK's `OpenAI` class fits, and so does a test double. */
export interface OpenAIEmbeddingsClient {
  embeddings: { create(body: never, options?: never): PromiseLike<unknown> };
  /** Read, when present, only to keep the key out of error messages. */
  apiKey?: unknown;
}

/** Options of {@link OpenAIEmbedder}; `N` is the vector length asked for, when one is. */
export interface OpenAIEmbedderOptions<N extends number = number> extends ConnectionOptions {
  /** The embedding model; default `text-embedding-3-small`. */
  model?: string;
  /**
   * The length of the vectors: the `text-embedding-3` models shorten theirs to it (1536 and 3072
   * by default); older models reject it. Every answer is checked against it, so the vectors are
   * `Embedding<N>`.
   */
  dimensions?: N;
  /** Texts per request; default and most 2048 for OpenAI (its limit), default 2048 elsewhere. */
  batchSize?: number;
  /** Requests in flight at once when the texts need several; default 4. */
  concurrency?: number;
  /**
   * How vectors travel: `base64` (default, as the SDK itself asks: a quarter of the size) or
   * `float` (JSON numbers, for a compatible server that knows no base64). Either is read.
   */
  encodingFormat?: 'base64' | 'float';
  /** A configured client; without one, a client is made from the provider and these options. */
  client?: OpenAIEmbeddingsClient;
  /** The provider (a built-in name such as `ollama`, or a profile); default `openai`. */
  provider?: string | ProviderProfile;
}

/** The one SDK method called, as it is typed here. */
interface EmbeddingsApi {
  create(body: OpenAI.EmbeddingCreateParams, options?: SdkRequestOptions): Promise<unknown>;
}

/**
 * Embeddings from OpenAI's embeddings API. Texts are sent in batches of up to 2048, a few requests
 * at a time; the vectors come back in the order of the texts, with the input tokens of every
 * request summed. HTTP errors are `ModelHTTPError`, connection failures `ModelAPIError`, and the
 * key never appears in either. OpenAI's embeddings are symmetric: `inputType` changes nothing.
 * Made with `dimensions: 1536`, it is an `Embedder<1536>`.
 */
export class OpenAIEmbedder<N extends number = number> implements Embedder<N> {
  /** The model asked for. */
  readonly model: string;
  /** The provider (`openai`, `ollama`, ...). */
  readonly system: string;
  /** The vector length asked for, if any. */
  readonly dimensions: N | undefined;
  readonly #batchSize: number;
  readonly #concurrency: number | undefined;
  readonly #encodingFormat: 'base64' | 'float';
  readonly #client: SdkClient<OpenAIEmbeddingsClient>;

  /** @param options the model and vector length, batching, and a client or how to make one. */
  constructor(options: OpenAIEmbedderOptions<N> = {}) {
    const provider = options.provider ?? 'openai';
    const profile = typeof provider === 'string' ? openAICompatibleProfile(provider) : provider;
    if (!profile) throw new UserError(`${JSON.stringify(provider)} is not an OpenAI-compatible provider`);
    const limit = profile.name === 'openai' ? OPENAI_MAX_INPUTS : Infinity;
    const batchSize = options.batchSize ?? OPENAI_MAX_INPUTS;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > limit)
      throw new UserError(`batchSize must be an integer from 1 to ${limit === Infinity ? 'any' : limit}, not ${batchSize}`);
    if (options.dimensions !== undefined && (!Number.isInteger(options.dimensions) || options.dimensions < 1))
      throw new UserError(`dimensions must be a positive integer, not ${options.dimensions}`);
    this.model = options.model ?? DEFAULT_MODEL;
    this.system = profile.name;
    this.dimensions = options.dimensions;
    this.#batchSize = batchSize;
    this.#concurrency = options.concurrency;
    this.#encodingFormat = options.encodingFormat ?? 'base64';
    this.#client = new SdkClient<OpenAIEmbeddingsClient>({
      profile,
      modelName: this.model,
      options,
      injected: options.client,
      shape: 'openai',
      make: async (settings) => {
        const { default: OpenAISdk } = await importSdk('openai', () => import('openai'));
        return new OpenAISdk({ ...settings, maxRetries: options.maxRetries ?? 2 });
      },
    });
  }

  /** Makes an embedder, checking at once that it can connect (an API key is set, or a client given). */
  static connect<N extends number = number>(options: OpenAIEmbedderOptions<N> = {}): OpenAIEmbedder<N> {
    const embedder = new OpenAIEmbedder<N>(options);
    embedder.#client.connect();
    return embedder;
  }

  /** Embeds `texts`: one request per batch, none for no texts. */
  embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbeddingResult<N>> {
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
      (batch, signal) => this.#embedBatch(batch, signal),
    );
  }

  async #embedBatch(batch: readonly string[], signal: AbortSignal): Promise<EmbeddingResult> {
    const api = (await this.#client.get()).embeddings as unknown as EmbeddingsApi;
    // An explicit encoding_format makes the SDK hand the answer over as sent: read here, either form.
    const body: OpenAI.EmbeddingCreateParams = {
      model: this.model,
      input: [...batch],
      encoding_format: this.#encodingFormat,
      ...(this.dimensions !== undefined ? { dimensions: this.dimensions } : {}),
    };
    return this.#client.request(
      undefined,
      signal,
      (options) => api.create(body, options),
      (answer) => readEmbeddings(answer, batch.length, this.model),
    );
  }

  /** The embedder as data: provider, model and size (never its client or key). */
  toJSON(): { system: string; model: string; dimensions?: number } {
    return { system: this.system, model: this.model, ...(this.dimensions !== undefined ? { dimensions: this.dimensions } : {}) };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `OpenAIEmbedder { system: '${this.system}', model: '${this.model}' }`;
  }
}

/**
 * The vectors of one answer (`{data: [{index, embedding}], model, usage: {prompt_tokens}}`), put
 * at their `index`: the API numbers them rather than promising an order.
 */
function readEmbeddings(answer: unknown, count: number, modelAsked: string): EmbeddingResult {
  const error = MalformedAnswer.errorIn(answer);
  if (error) throw error;
  expectObject(answer, 'the response');
  const data = answer['data'];
  expectArray(data, 'data');
  if (data.length !== count) throw new MalformedAnswer(`data holds ${data.length} embeddings for ${count} inputs`);
  const embeddings = new Array<number[] | undefined>(count).fill(undefined);
  data.forEach((item, i) => {
    expectObject(item, `data[${i}]`);
    const index = item['index'] ?? i;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count || embeddings[index] !== undefined)
      throw new MalformedAnswer(`data[${i}].index is not the position of an input not yet answered`);
    embeddings[index] = floats(item['embedding'], `data[${i}].embedding`);
  });
  const usage = answer['usage'];
  const inputTokens = isObject(usage) && typeof usage['prompt_tokens'] === 'number' ? usage['prompt_tokens'] : 0;
  const model = typeof answer['model'] === 'string' && answer['model'] !== '' ? answer['model'] : modelAsked;
  const vectors = embeddings as number[][];
  return { embeddings: vectors, dimensions: vectors[0]?.length ?? 0, usage: { inputTokens }, model };
}

/**
 * A vector as sent: JSON numbers, or base64 of little-endian 32-bit floats. Either way it must hold
 * finite numbers, at least one: base64 can carry NaN and Infinity, which would rank as anything.
 */
function floats(value: unknown, where: string): number[] {
  if (Array.isArray(value)) return finiteVector(value, where);
  if (typeof value !== 'string') throw new MalformedAnswer(`${where} is neither a list of numbers nor base64`);
  return finiteVector(base64Floats(value, where), where);
}

function finiteVector(value: unknown[], where: string): number[] {
  if (value.length === 0) throw new MalformedAnswer(`${where} is empty`);
  if (!value.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new MalformedAnswer(`${where} holds something other than finite numbers`);
  return value as number[];
}

/** The floats of base64 text (little-endian, 32-bit). */
function base64Floats(value: string, where: string): number[] {
  let bytes: string;
  try {
    // atob, not Buffer: the runtime runs where Node's built-ins do not (edge workers, browsers).
    bytes = atob(value);
  } catch {
    throw new MalformedAnswer(`${where} is neither a list of numbers nor base64`);
  }
  if (bytes.length % 4 !== 0) throw new MalformedAnswer(`${where} is not a whole number of 32-bit floats`);
  const view = new DataView(new ArrayBuffer(bytes.length));
  for (let i = 0; i < bytes.length; i++) view.setUint8(i, bytes.charCodeAt(i));
  const vector = new Array<number>(bytes.length / 4);
  for (let i = 0; i < vector.length; i++) vector[i] = view.getFloat32(i * 4, true);
  return vector;
}
