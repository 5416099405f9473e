/**
 * The Bedrock client a model holds, and the calls made through it. The shared `SdkClient` is built
 * around an API key and a `fetch`; Bedrock has neither: the AWS SDK signs every request (SigV4)
 * with credentials from the standard chain (environment, profiles, SSO, roles) and does its own
 * HTTP. So this module does for Bedrock what `SdkClient` does for the others: the client given, or
 * made on first use (the SDK imported then, with an install hint when it is missing); the
 * allow-requests switch asked before each call; errors translated; a stream closed when its
 * consumer stops early and abandoned when it stalls.
 *
 * Credentials are never read here. Those the caller passes, and the secret key, session token and
 * bearer token found in the environment, are only remembered, so that redaction removes them from
 * every error and trace.
 */
import { assertModelRequestAllowed } from '../../agent/allow-requests.js';
import { ModelAPIError, UserError } from '../../contract/errors.js';
import { rememberSecret } from '../../contract/redact.js';
import type { ModelSettings } from '../../contract/spec.js';
import type { ModelStreamEvent } from '../../contract/stream-events.js';
import { idleTimeout } from '../shared/request-options.js';
import { bedrockError } from './bedrock-errors.js';
import { untilIdle } from '../shared/until-idle.js';

/** What the adapter needs of a client: the SDK's `BedrockRuntimeClient` fits, and so does a test double. */
export interface BedrockClient {
  send(command: never, options?: never): Promise<unknown>;
}

/** Static AWS credentials (an access key pair, with a session token for temporary ones). */
export interface BedrockCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** How a client is made: where it sends requests, with which credentials, and the SDK's own settings. */
export interface BedrockConnectionOptions {
  /** The AWS region (`us-east-1`); default: the SDK's chain (`AWS_REGION`, the profile). */
  region?: string;
  /** Another endpoint than the region's (a VPC endpoint, a proxy, a local test server). */
  endpoint?: string;
  /** Credentials, or a function that provides them; default: the SDK's standard chain. */
  credentials?: BedrockCredentials | (() => Promise<BedrockCredentials>);
  /** How often a failed request is tried again (throttling, 5xx, connection errors). Default 2. */
  maxRetries?: number;
  /** How long one attempt may wait for an answer, and a stream for its next event, in ms. Default 10 minutes. */
  timeoutMs?: number;
  /**
   * More options of the SDK's `BedrockRuntimeClient` (`profile`, `requestHandler`, `retryMode`,
   * `logger`...), passed as they are; the options above win.
   */
  clientConfig?: Readonly<Record<string, unknown>>;
}

/** The environment variables of the AWS chain that hold secrets (remembered, never read for use). */
const SECRET_ENV = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_BEARER_TOKEN_BEDROCK'];

/** The SDK package and the range of it this adapter is written for. */
const SDK = '@aws-sdk/client-bedrock-runtime';
const SDK_RANGE = '^3.1000.0';

/**
 * What the adapter uses of the SDK's exports, written out so that the published types name no SDK
 * type (an app compiles without the SDK's types until it uses this entry point's models).
 */
export interface BedrockSdk {
  BedrockRuntimeClient: new (config: Record<string, unknown>) => unknown;
  ConverseCommand: new (input: object) => object;
  ConverseStreamCommand: new (input: object) => object;
}

type Sdk = BedrockSdk;

/** Imports the SDK, saying how to install it when it is missing. */
async function importBedrockSdk(): Promise<Sdk> {
  try {
    return (await import('@aws-sdk/client-bedrock-runtime')) as unknown as Sdk;
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new UserError(`this model needs the ${SDK} package: npm install ${SDK}@"${SDK_RANGE}"`, { cause: err });
    }
    throw err;
  }
}

/** A client held by a model, and the model's calls through it. */
export class BedrockCalls {
  #client: Promise<{ client: BedrockClient; sdk: Sdk }> | undefined;
  readonly #secrets: string[] = [];
  readonly #modelName: string;
  readonly #options: BedrockConnectionOptions;
  readonly #injected: BedrockClient | undefined;
  /** Given credentials, wrapped so that those a function provides are remembered too. */
  #credentials: BedrockCredentials | (() => Promise<BedrockCredentials>) | undefined;

  constructor(modelName: string, options: BedrockConnectionOptions, injected: BedrockClient | undefined) {
    this.#modelName = modelName;
    this.#injected = injected;
    // The key id is not a secret; the secret key and the tokens are.
    const { credentials, ...rest } = options;
    this.#options = rest;
    if (credentials !== undefined) {
      const given = credentials;
      if (typeof given === 'function') this.#credentials = async () => this.#remembered(await given());
      else this.#credentials = this.#remembered(given);
    }
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    for (const name of SECRET_ENV) {
      const value = env?.[name];
      if (value !== undefined && value !== '') this.#secret(value);
    }
  }

  #remembered(credentials: BedrockCredentials): BedrockCredentials {
    this.#secret(credentials.secretAccessKey);
    if (credentials.sessionToken !== undefined) this.#secret(credentials.sessionToken);
    return credentials;
  }

  #secret(value: string): void {
    if (value.length >= 8) this.#secrets.push(value);
    rememberSecret(value);
  }

  /** Starts making the client (the SDK imported now), so that a later request finds it ready. */
  connect(): void {
    if (this.#client) return;
    const made = (async () => {
      const sdk = await importBedrockSdk();
      if (this.#injected) return { client: this.#injected, sdk };
      const o = this.#options;
      const config: Record<string, unknown> = { ...o.clientConfig };
      if (o.region !== undefined) config['region'] = o.region;
      if (o.endpoint !== undefined) config['endpoint'] = o.endpoint;
      if (this.#credentials !== undefined) config['credentials'] = this.#credentials;
      config['maxAttempts'] = (o.maxRetries ?? 2) + 1;
      return { client: new sdk.BedrockRuntimeClient(config) as BedrockClient, sdk };
    })();
    // Awaited only at the first request: a failure in between (the SDK is not installed) must
    // reach that request, not surface as an unhandled rejection. The next use tries again.
    made.catch(() => {
      if (this.#client === made) this.#client = undefined;
    });
    this.#client = made;
  }

  async #get(): Promise<{ client: BedrockClient; sdk: Sdk }> {
    this.connect();
    return this.#client!;
  }

  /** The per-request options the SDK takes: the run's signal and the attempt's timeout. */
  #sendOptions(settings: ModelSettings | undefined, signal: AbortSignal | undefined): { abortSignal?: AbortSignal; requestTimeout?: number } {
    const timeout = settings?.timeout !== undefined ? Math.round(settings.timeout * 1000) : this.#options.timeoutMs;
    return { ...(signal ? { abortSignal: signal } : {}), ...(timeout !== undefined ? { requestTimeout: timeout } : {}) };
  }

  /** One Converse call: `command` makes the SDK command, `read` maps the answer; errors translated. */
  async request<R>(
    settings: ModelSettings | undefined,
    signal: AbortSignal | undefined,
    command: (sdk: Sdk) => object,
    read: (answer: unknown) => R,
  ): Promise<R> {
    assertModelRequestAllowed('bedrock', this.#modelName);
    try {
      const { client, sdk } = await this.#get();
      return read(await client.send(command(sdk) as never, this.#sendOptions(settings, signal) as never));
    } catch (err) {
      throw bedrockError(err, this.#modelName, signal, this.#secrets);
    }
  }

  /**
   * One ConverseStream call as model events: the SDK decodes the AWS event stream, `translate`
   * turns its events into neutral ones. The stream is closed when the consumer stops early, and
   * abandoned (an error) when nothing arrives within the request's timeout.
   */
  async *streamRequest(
    settings: ModelSettings | undefined,
    signal: AbortSignal | undefined,
    command: (sdk: Sdk) => object,
    translate: (events: AsyncIterable<unknown>) => AsyncIterable<ModelStreamEvent>,
  ): AsyncIterable<ModelStreamEvent> {
    assertModelRequestAllowed('bedrock', this.#modelName);
    // Aborting this closes the connection: on the run's signal, an early stop or a stall.
    const local = new AbortController();
    const onAbort = () => local.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let events: AsyncIterator<ModelStreamEvent> | undefined;
    let finished = false;
    try {
      const { client, sdk } = await this.#get();
      const answer = (await client.send(command(sdk) as never, { ...this.#sendOptions(settings, signal), abortSignal: local.signal } as never)) as {
        stream?: AsyncIterable<unknown>;
      };
      if (answer?.stream === undefined || typeof answer.stream[Symbol.asyncIterator] !== 'function') {
        throw new ModelAPIError(this.#modelName, `model ${this.#modelName} answered without an event stream`);
      }
      events = translate(answer.stream)[Symbol.asyncIterator]();
      const idleMs = idleTimeout(settings, this.#options);
      yield* untilIdle(events, idleMs, this.#modelName, () => local.abort());
      finished = true;
    } catch (err) {
      throw bedrockError(err, this.#modelName, signal, this.#secrets, events !== undefined);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // A consumer that stops early must not leave the connection open.
      if (!finished) {
        local.abort();
        await events?.return?.(undefined).catch(() => undefined);
      }
    }
  }

  /** Nothing of a client is worth showing, and its credentials must not be. */
  toJSON(): object {
    return {};
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'BedrockCalls {}';
  }
}
