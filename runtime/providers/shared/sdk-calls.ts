/**
 * The plumbing every SDK-backed model shares, so that adapters keep to translating: the client
 * (given, or made on first use from the provider's settings), SDK calls with their errors
 * translated, and streams that are closed when a consumer stops early or when they stall.
 *
 * Secrets stay in private fields (a model printed, logged or serialised shows none), and a client
 * made here gets a `fetch` that keeps the raw body of error responses: the SDKs keep only the
 * part they understand, and OpenAI-compatible servers answer in many shapes.
 */
import { assertModelRequestAllowed } from '../../agent/allow-requests.js';
import { createAsyncScope } from '../../agent/async-scope.js';
import { activeRequestTrace } from '../../telemetry/active-trace.js';
import { rememberSecret } from '../../contract/redact.js';
import type { ModelSettings } from '../../contract/spec.js';
import type { ModelStreamEvent } from '../../contract/stream-events.js';
import { providerError, type ErrorShape } from './provider-errors.js';
import { connection, type ConnectionOptions, type ProviderProfile } from './provider-profile.js';
import { connectOptions, idleTimeout, requestOptions, retryOptions } from './request-options.js';
import { untilIdle } from './until-idle.js';

/** Where the fetch of a client made here leaves the body of an error response, per call. */
const errorBodies = createAsyncScope<{ body?: string }>();

/** A fetch that keeps the body of error responses for the call in progress. */
const keepingFetch: typeof fetch = async (input, init) => {
  // A traced run records each HTTP attempt (the SDK's retries are further attempts).
  const trace = activeRequestTrace();
  const attempt = trace?.http(init?.method ?? (input instanceof Request ? input.method : 'GET'), input instanceof Request ? input.url : String(input));
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch (err) {
    attempt?.end(undefined, err);
    throw err;
  }
  attempt?.end(response.status);
  const slot = errorBodies.getStore();
  if (!response.ok && slot)
    slot.body = await response
      .clone()
      .text()
      .catch(() => undefined);
  return response;
};

/** What makes a client: the key and URL in use, and the fetch to use. */
type MakeClient<Client> = (settings: { apiKey: string; baseURL?: string; fetch: typeof fetch }) => Promise<Client>;

/** The options of one SDK request (signal, timeout, retries), as both SDKs take them. */
export type SdkRequestOptions = ReturnType<typeof requestOptions>;

/** An SDK stream: its chunks, and the controller that closes its connection (when the SDK gives one). */
export type SdkStream<Chunk> = AsyncIterable<Chunk> & { controller?: AbortController };

/**
 * A client held by a model: the injected one, or one made (once) when first needed. It also makes
 * the model's requests: with the per-request options of the model's and the run's settings (so
 * retries and the timeout hold for an injected client too), their errors translated.
 */
export class SdkClient<Client extends { apiKey?: unknown }> {
  #client: Promise<Client> | undefined;
  readonly #secrets: string[] = [];
  readonly #make: MakeClient<Client>;
  readonly #profile: ProviderProfile;
  readonly #modelName: string;
  readonly #connect: ConnectionOptions;
  readonly #retries: { maxRetries?: number; timeoutMs?: number };
  readonly #shape: ErrorShape;

  /**
   * `options` are the model's: what a client is made with (key, base URL), and the retries and
   * timeout of every request.
   */
  constructor(options: {
    profile: ProviderProfile;
    modelName: string;
    options: ConnectionOptions;
    make: MakeClient<Client>;
    injected: Client | undefined;
    shape: ErrorShape;
  }) {
    this.#profile = options.profile;
    this.#modelName = options.modelName;
    this.#connect = connectOptions(options.options);
    this.#retries = retryOptions(options.options);
    this.#make = options.make;
    this.#shape = options.shape;
    if (options.injected) {
      this.#client = Promise.resolve(options.injected);
      if (typeof options.injected.apiKey === 'string') this.#secret(options.injected.apiKey);
    } else {
      // Remembered now, not at the first request: a traced run records its prompt before that.
      try {
        const settings = connection(this.#profile, this.#modelName, this.#connect);
        if (settings.keyGiven) rememberSecret(settings.apiKey);
      } catch {
        // No key yet: the first request says so, and remembers the key it then finds.
      }
    }
  }

  #secret(value: string): void {
    // Short placeholders ('none' for local servers) are not secrets, and would blank common words.
    if (value.length >= 8) this.#secrets.push(value);
    // Traces redact it too (contract/redact.ts).
    rememberSecret(value);
  }

  /** Makes the client now (throws at once, naming the variable, when no key is set). */
  connect(): void {
    if (this.#client) return;
    const settings = connection(this.#profile, this.#modelName, this.#connect);
    if (settings.keyGiven) this.#secret(settings.apiKey);
    const client = this.#make({ apiKey: settings.apiKey, ...(settings.baseURL !== undefined ? { baseURL: settings.baseURL } : {}), fetch: keepingFetch });
    // Made when the model is, awaited only at its first request: a failure in between (the SDK is
    // not installed) must reach that request, not surface as an unhandled rejection that ends the
    // process. Observed here, it still rejects for whoever awaits it; the next use tries again.
    client.catch(() => {
      if (this.#client === client) this.#client = undefined;
    });
    this.#client = client;
  }

  /** The client, made now if it was neither given nor made. */
  get(): Promise<Client> {
    this.connect();
    return this.#client!;
  }

  /**
   * One SDK request, `send` given its options (signal, timeout, retries), its answer read by
   * `read` (the adapter's mapping, which checks the shape it reads), their errors translated.
   */
  request<T, R>(
    settings: ModelSettings | undefined,
    signal: AbortSignal | undefined,
    send: (options: SdkRequestOptions) => Promise<T>,
    read: (answer: T) => R,
  ): Promise<R> {
    return this.#call(async () => read(await send(requestOptions(settings, signal, this.#retries))), signal);
  }

  /**
   * One streamed SDK request as model events: `open` given the request's options, its chunks
   * turned into events by `translate`, and abandoned when nothing arrives within the request's
   * timeout.
   */
  streamRequest<Chunk>(
    settings: ModelSettings | undefined,
    signal: AbortSignal | undefined,
    open: (options: SdkRequestOptions) => Promise<SdkStream<Chunk>>,
    translate: (chunks: AsyncIterable<Chunk>) => AsyncIterable<ModelStreamEvent>,
  ): AsyncIterable<ModelStreamEvent> {
    const options = requestOptions(settings, signal, this.#retries);
    return this.#stream(() => open(options), translate, signal, idleTimeout(settings, this.#retries));
  }

  /** One SDK call, its errors translated. */
  async #call<T>(call: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    assertModelRequestAllowed(this.#profile.name, this.#modelName);
    const slot: { body?: string } = {};
    const trace = activeRequestTrace();
    if (trace) {
      // The server the request goes to: the client knows, whether it was made here or injected.
      const baseURL = (await this.get().catch(() => undefined)) as { baseURL?: unknown } | undefined;
      if (typeof baseURL?.baseURL === 'string') trace.server(baseURL.baseURL);
    }
    try {
      return await errorBodies.run(slot, call);
    } catch (err) {
      throw providerError(err, this.#modelName, signal, this.#secrets, { shape: this.#shape, rawBody: slot.body });
    }
  }

  /**
   * An SDK stream as model events: opened, translated, closed if the consumer stops early, and
   * abandoned (an error) if nothing arrives for `idleMs`: the SDK's timeout covers only the wait
   * for the response to begin.
   */
  async *#stream<Chunk>(
    open: () => Promise<SdkStream<Chunk>>,
    translate: (chunks: AsyncIterable<Chunk>) => AsyncIterable<ModelStreamEvent>,
    signal: AbortSignal | undefined,
    idleMs: number,
  ): AsyncIterable<ModelStreamEvent> {
    const stream = await this.#call(open, signal);
    const events = translate(stream)[Symbol.asyncIterator]();
    let finished = false;
    try {
      yield* untilIdle(events, idleMs, this.#modelName, () => stream.controller?.abort());
      finished = true;
    } catch (err) {
      throw providerError(err, this.#modelName, signal, this.#secrets, { shape: this.#shape, duringStream: true });
    } finally {
      // A consumer that stops early must not leave the connection open.
      if (!finished) {
        stream.controller?.abort();
        await events.return?.(undefined).catch(() => undefined);
      }
    }
  }

  /** Nothing of a client is worth showing, and its key must not be. */
  toJSON(): object {
    return {};
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'SdkClient {}';
  }
}
