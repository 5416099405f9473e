/**
 * The plumbing every SDK-backed model shares, so that adapters keep to translating: the client
 * (given, or made on first use from the provider's settings), the secrets to keep out of errors,
 * and SDK calls with their errors translated, streams closed when a consumer stops early.
 */
import type { ModelStreamEvent } from '../stream-events.js';
import { providerError } from './provider-errors.js';
import { connection, type ConnectionOptions, type ProviderProfile } from './providers.js';

/** A client held by a model: the injected one, or one made (once) when first needed. */
export class SdkClient<Client extends { apiKey?: unknown }> {
  private client: Promise<Client> | undefined;
  /** Strings that must never appear in an error (the API key in use). */
  readonly secrets: string[] = [];

  constructor(
    private readonly make: (settings: { apiKey: string; baseURL?: string }) => Promise<Client>,
    injected: Client | undefined,
  ) {
    if (injected) {
      this.client = Promise.resolve(injected);
      if (typeof injected.apiKey === 'string') this.secrets.push(injected.apiKey);
    }
  }

  /** Makes the client now, from the profile and options (throws at once when no key is set). */
  connect(profile: ProviderProfile, modelName: string, options: ConnectionOptions): void {
    if (this.client) return;
    const settings = connection(profile, modelName, options);
    this.secrets.push(settings.apiKey);
    this.client = this.make(settings);
  }

  /** The client, made now if it was neither given nor made. */
  get(profile: ProviderProfile, modelName: string, options: ConnectionOptions): Promise<Client> {
    this.connect(profile, modelName, options);
    return this.client!;
  }
}

/** One SDK call, its errors translated. */
export async function sdkRequest<T>(call: () => Promise<T>, modelName: string, signal: AbortSignal | undefined, secrets: readonly string[]): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw providerError(err, modelName, signal, secrets);
  }
}

/** An SDK stream as model events: opened, translated, closed if the consumer stops early. */
export async function* sdkStream<Chunk>(
  open: () => Promise<AsyncIterable<Chunk> & { controller?: AbortController }>,
  translate: (chunks: AsyncIterable<Chunk>) => AsyncIterable<ModelStreamEvent>,
  modelName: string,
  signal: AbortSignal | undefined,
  secrets: readonly string[],
): AsyncIterable<ModelStreamEvent> {
  const stream = await sdkRequest(open, modelName, signal, secrets);
  let finished = false;
  try {
    yield* translate(stream);
    finished = true;
  } catch (err) {
    throw providerError(err, modelName, signal, secrets, { duringStream: true });
  } finally {
    // A consumer that stops early must not leave the connection open.
    if (!finished) stream.controller?.abort();
  }
}
