/**
 * Models by id: `test`, `openai:gpt-4o`, `anthropic:claude-sonnet-5-5`, `ollama:llama3`...
 * Built-in providers (adapters/providers.ts) resolve without registration; others register a
 * factory under their prefix. Factories load lazily, so importing the runtime never loads an SDK
 * (or an adapter) that a run does not use.
 */
import { builtInProvider, BUILT_IN_PROVIDERS, modelOf, type ConnectionOptions, type ProviderProfile } from '../providers/shared/provider-profile.js';
import { UserError } from '../contract/errors.js';
import type { Model } from '../contract/model.js';

/** Makes a model of a provider from the part of the id after `provider:`. */
export type ModelFactory = (modelName: string) => Model | Promise<Model>;

const providers = new Map<string, ModelFactory>();

/** Registers (or replaces) the factory of a provider prefix. */
export function registerModelProvider(prefix: string, factory: ModelFactory): void {
  if (!/^[a-z][a-z0-9_-]*$/.test(prefix)) throw new UserError(`invalid provider prefix ${JSON.stringify(prefix)}`);
  providers.set(prefix, factory);
}

/** The provider prefixes models can be named with (built-in and registered), sorted. */
export function modelProviders(): string[] {
  return [...new Set([...providers.keys(), ...BUILT_IN_PROVIDERS.map((p) => p.name), 'test'])].sort();
}

/** An OpenAI-compatible server to register under its own prefix. */
export interface OpenAICompatibleProvider extends Omit<ProviderProfile, 'api' | 'apiKeyEnv'>, Pick<ConnectionOptions, 'apiKey' | 'maxRetries' | 'timeoutMs'> {
  /** The API's base URL (`https://api.together.xyz/v1`). */
  readonly baseURL: string;
  /** Environment variables that may hold the key (default: none; see apiKeyOptional). */
  readonly apiKeyEnv?: readonly string[];
}

/**
 * Registers an OpenAI-compatible server, so that `<name>:<model>` ids resolve to it
 * (`registerOpenAICompatibleProvider({ name: 'together', baseURL: 'https://api.together.xyz/v1',
 * apiKeyEnv: ['TOGETHER_API_KEY'] })`, then `together:meta-llama/Llama-3-70b`).
 */
export function registerOpenAICompatibleProvider(provider: OpenAICompatibleProvider): void {
  const { apiKey, maxRetries, timeoutMs, ...rest } = provider;
  const profile: ProviderProfile = { ...rest, api: 'openai-chat', apiKeyEnv: provider.apiKeyEnv ?? [] };
  const options: ConnectionOptions = { ...(apiKey !== undefined ? { apiKey } : {}), ...(maxRetries !== undefined ? { maxRetries } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
  registerModelProvider(provider.name, (modelName) => modelOf(profile, modelName, options));
}

/** A model given by id, or the model itself. */
export type ModelLike = string | Model;

/** Resolves a model id (or returns a model as it is). */
export async function resolveModel(model: ModelLike): Promise<Model> {
  if (typeof model !== 'string') return model;
  if (model === 'test') {
    const { TestModel } = await import('../testing/test-model.js');
    return new TestModel();
  }
  const colon = model.indexOf(':');
  if (colon <= 0) throw new UserError(`invalid model id ${JSON.stringify(model)}: write provider:model (e.g. openai:gpt-4o) or test`);
  const prefix = model.slice(0, colon);
  const builtIn = builtInProvider(prefix);
  const factory = providers.get(prefix) ?? (builtIn ? (name: string) => modelOf(builtIn, name) : undefined);
  if (!factory) {
    throw new UserError(`unknown model provider "${prefix}" in ${JSON.stringify(model)}; known providers: ${modelProviders().join(', ')}`);
  }
  return factory(model.slice(colon + 1));
}
