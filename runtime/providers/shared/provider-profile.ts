/**
 * Providers by model id prefix: which wire API they speak, where they are, where their API key
 * comes from, and the quirks adapters must know. `openai:` and `anthropic:` are the vendors
 * themselves; the others speak OpenAI's Chat Completions API at another base URL.
 *
 * Nothing here loads an SDK: models are made (and the SDK imported) when a run first needs one.
 */
import { UserError } from '../../contract/errors.js';
import type { Model } from '../../contract/model.js';

/** What an adapter needs to know about a provider. */
export interface ProviderProfile {
  /** The id prefix (`openai` in `openai:gpt-4o`). */
  readonly name: string;
  /** The wire API. */
  readonly api: 'openai-chat' | 'anthropic';
  /** Base URL of the API; absent: the SDK's default. */
  readonly baseURL?: string;
  /** An environment variable that overrides the base URL. */
  readonly baseURLEnv?: string;
  /** Environment variables that may hold the API key, first set wins. */
  readonly apiKeyEnv: readonly string[];
  /** Local servers (Ollama, vLLM) take no key. */
  readonly apiKeyOptional?: boolean;
  /** Strict tools and strict `json_schema` output (OpenAI's structured outputs). */
  readonly strict?: boolean;
  /** `response_format: {type: "json_schema"}` (else native output falls back to `json_object`). */
  readonly jsonSchemaOutput?: boolean;
  /** The field for the output token limit (default `max_tokens`: OpenAI itself wants the other). */
  readonly maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  /** The role of instructions (OpenAI reasoning models want `developer`). */
  readonly systemRole?: 'system' | 'developer';
  /** The message field that carries reasoning text (DeepSeek, OpenRouter, Groq). */
  readonly reasoningField?: 'reasoning_content' | 'reasoning';
  /**
   * The provider wants its own reasoning back on assistant turns that call tools (DeepSeek's
   * thinking mode answers 400 without it); other turns' reasoning is never sent back.
   */
  readonly reasoningWithToolCalls?: boolean;
}

/** The providers Schemantic knows by name. */
export const BUILT_IN_PROVIDERS: readonly ProviderProfile[] = [
  { name: 'openai', api: 'openai-chat', apiKeyEnv: ['OPENAI_API_KEY'], baseURLEnv: 'OPENAI_BASE_URL', strict: true, jsonSchemaOutput: true, maxTokensField: 'max_completion_tokens' },
  { name: 'anthropic', api: 'anthropic', apiKeyEnv: ['ANTHROPIC_API_KEY'], baseURLEnv: 'ANTHROPIC_BASE_URL' },
  { name: 'deepseek', api: 'openai-chat', baseURL: 'https://api.deepseek.com', apiKeyEnv: ['DEEPSEEK_API_KEY'], maxTokensField: 'max_tokens', reasoningField: 'reasoning_content', reasoningWithToolCalls: true },
  { name: 'openrouter', api: 'openai-chat', baseURL: 'https://openrouter.ai/api/v1', apiKeyEnv: ['OPENROUTER_API_KEY'], strict: true, jsonSchemaOutput: true, maxTokensField: 'max_tokens', reasoningField: 'reasoning' },
  { name: 'groq', api: 'openai-chat', baseURL: 'https://api.groq.com/openai/v1', apiKeyEnv: ['GROQ_API_KEY'], jsonSchemaOutput: true, maxTokensField: 'max_tokens', reasoningField: 'reasoning' },
  { name: 'ollama', api: 'openai-chat', baseURL: 'http://localhost:11434/v1', baseURLEnv: 'OLLAMA_BASE_URL', apiKeyEnv: ['OLLAMA_API_KEY'], apiKeyOptional: true, jsonSchemaOutput: true, maxTokensField: 'max_tokens' },
  { name: 'vllm', api: 'openai-chat', baseURL: 'http://localhost:8000/v1', baseURLEnv: 'VLLM_BASE_URL', apiKeyEnv: ['VLLM_API_KEY'], apiKeyOptional: true, jsonSchemaOutput: true, maxTokensField: 'max_tokens' },
];

/** The built-in profile of a prefix. */
export function builtInProvider(name: string): ProviderProfile | undefined {
  return BUILT_IN_PROVIDERS.find((p) => p.name === name);
}

/** Options every adapter accepts besides its client. */
export interface ConnectionOptions {
  /** The API key; default: the provider's environment variable. */
  apiKey?: string;
  /** The API's base URL; default: the provider's (or its environment variable). */
  baseURL?: string;
  /**
   * How often a failed request is tried again (HTTP 408, 409, 429, 5xx, Anthropic's 529,
   * connection errors), with exponential backoff that honours `retry-after`. Default 2.
   */
  maxRetries?: number;
  /**
   * How long one attempt may wait for the response to begin, and a stream may go without an
   * event, before it is abandoned (an attempt is then retried), in ms. Default 10 minutes.
   */
  timeoutMs?: number;
}

/**
 * The key and URL a provider's client is made with, from the options or the environment.
 * `keyGiven` is false for the placeholder a keyless local server gets (the SDKs insist on one).
 */
export function connection(profile: ProviderProfile, modelName: string, options: ConnectionOptions): { apiKey: string; keyGiven: boolean; baseURL?: string } {
  const env = profile.apiKeyEnv.map((name) => process.env[name]).find((v) => v !== undefined && v !== '');
  const apiKey = options.apiKey ?? env;
  if (apiKey === undefined && !profile.apiKeyOptional) {
    const where = profile.apiKeyEnv.length > 0 ? `set ${profile.apiKeyEnv.join(' or ')}, or pass apiKey or a configured client` : 'pass apiKey or a configured client';
    throw new UserError(`model ${profile.name}:${modelName} needs an API key: ${where}`);
  }
  const baseURL = options.baseURL ?? (profile.baseURLEnv ? process.env[profile.baseURLEnv] || undefined : undefined) ?? profile.baseURL;
  return { apiKey: apiKey ?? 'none', keyGiven: apiKey !== undefined, ...(baseURL !== undefined ? { baseURL } : {}) };
}

/** Makes the model `modelName` of a provider (loading its adapter and SDK). */
export async function modelOf(profile: ProviderProfile, modelName: string, options: ConnectionOptions = {}): Promise<Model> {
  if (profile.api === 'anthropic') {
    const { AnthropicModel } = await import('../anthropic/anthropic-model.js');
    return AnthropicModel.connect(modelName, { ...options, provider: profile });
  }
  const { OpenAIChatModel } = await import('../openai/openai-chat-model.js');
  return OpenAIChatModel.connect(modelName, { ...options, provider: profile });
}

/** Imports an SDK, saying how to install it when it is missing. */
export async function importSdk<T>(name: 'openai' | '@anthropic-ai/sdk', load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      const version = name === 'openai' ? '6' : '1';
      throw new UserError(`this model needs the ${name} package: npm install ${name}@^${version}`, { cause: err });
    }
    throw err;
  }
}
