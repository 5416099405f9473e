/**
 * Importing `schemantic/openai` registers OpenAI and the OpenAI-compatible hosts by id prefix
 * (`openai:gpt-4o`, `deepseek:deepseek-chat`, `ollama:llama3`...), OpenAI's Responses API as
 * `openai-responses:` (`openai:` stays the Chat Completions API), and lets an app register more.
 */
import { registerModelProvider } from '../../models/registry.js';
import type { ConnectionOptions, ProviderProfile } from '../shared/provider-profile.js';
import { OpenAIChatModel } from './openai-chat-model.js';
import { OpenAIResponsesModel } from './openai-responses-model.js';
import { OPENAI_COMPATIBLE_PROVIDERS } from './profiles.js';

for (const profile of OPENAI_COMPATIBLE_PROVIDERS) {
  registerModelProvider(profile.name, (modelName) => OpenAIChatModel.connect(modelName, { provider: profile }));
}
registerModelProvider('openai-responses', (modelName) => OpenAIResponsesModel.connect(modelName));

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
  const options: ConnectionOptions = {
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(maxRetries !== undefined ? { maxRetries } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
  registerModelProvider(provider.name, (modelName) => OpenAIChatModel.connect(modelName, { ...options, provider: profile }));
}
