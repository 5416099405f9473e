/**
 * The providers that speak OpenAI's Chat Completions API: OpenAI itself, and the hosts and local
 * servers that copy it at another base URL, each with the quirks the adapter must know.
 */
import type { ProviderProfile } from '../shared/provider-profile.js';

/** The OpenAI-compatible providers `schemantic/openai` registers by name. */
export const OPENAI_COMPATIBLE_PROVIDERS: readonly ProviderProfile[] = [
  {
    name: 'openai',
    api: 'openai-chat',
    apiKeyEnv: ['OPENAI_API_KEY'],
    baseURLEnv: 'OPENAI_BASE_URL',
    strict: true,
    jsonSchemaOutput: true,
    fileInput: true,
    maxTokensField: 'max_completion_tokens',
    logitBias: true,
  },
  {
    name: 'deepseek',
    api: 'openai-chat',
    baseURL: 'https://api.deepseek.com',
    apiKeyEnv: ['DEEPSEEK_API_KEY'],
    maxTokensField: 'max_tokens',
    reasoningField: 'reasoning_content',
    reasoningWithToolCalls: true,
    // Thinking mode is a switch on deepseek-chat (deepseek-reasoner always thinks).
    thinkingForm: 'thinking',
  },
  {
    name: 'openrouter',
    api: 'openai-chat',
    baseURL: 'https://openrouter.ai/api/v1',
    apiKeyEnv: ['OPENROUTER_API_KEY'],
    strict: true,
    jsonSchemaOutput: true,
    fileInput: true,
    maxTokensField: 'max_tokens',
    reasoningField: 'reasoning',
    logitBias: true,
    topK: true,
    thinkingForm: 'reasoning',
  },
  {
    name: 'groq',
    api: 'openai-chat',
    baseURL: 'https://api.groq.com/openai/v1',
    baseURLEnv: 'GROQ_BASE_URL',
    apiKeyEnv: ['GROQ_API_KEY'],
    jsonSchemaOutput: true,
    maxTokensField: 'max_tokens',
    // `reasoning_format: "parsed"` puts it in `reasoning`, `"raw"` inline in the content.
    reasoningField: 'reasoning',
    thinkTags: true,
    failedGenerationAsResponse: true,
  },
  {
    // Mistral's chat completions are OpenAI's format at its own URL, except the content chunks of
    // its reasoning (Magistral) models.
    name: 'mistral',
    api: 'openai-chat',
    baseURL: 'https://api.mistral.ai/v1',
    baseURLEnv: 'MISTRAL_BASE_URL',
    apiKeyEnv: ['MISTRAL_API_KEY'],
    jsonSchemaOutput: true,
    maxTokensField: 'max_tokens',
    contentChunks: true,
    // Adjustable reasoning (Mistral Small 4, Medium 3.5) is on or off; Magistral models always reason.
    thinkingForm: 'reasoning_effort-high',
  },
  {
    name: 'ollama',
    api: 'openai-chat',
    baseURL: 'http://localhost:11434/v1',
    baseURLEnv: 'OLLAMA_BASE_URL',
    apiKeyEnv: ['OLLAMA_API_KEY'],
    apiKeyOptional: true,
    jsonSchemaOutput: true,
    maxTokensField: 'max_tokens',
    // Thinking models answer in `reasoning` (Ollama 0.9 and later) or inline in `<think>` tags.
    reasoningField: 'reasoning',
    thinkTags: true,
  },
  {
    name: 'vllm',
    api: 'openai-chat',
    baseURL: 'http://localhost:8000/v1',
    baseURLEnv: 'VLLM_BASE_URL',
    apiKeyEnv: ['VLLM_API_KEY'],
    apiKeyOptional: true,
    jsonSchemaOutput: true,
    maxTokensField: 'max_tokens',
    // vLLM's sampling parameters beyond OpenAI's.
    logitBias: true,
    topK: true,
  },
];

/** The profile of a provider `schemantic/openai` knows by name. */
export function openAICompatibleProfile(name: string): ProviderProfile | undefined {
  return OPENAI_COMPATIBLE_PROVIDERS.find((p) => p.name === name);
}
