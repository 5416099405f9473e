/**
 * `schemantic/openai`: models served through OpenAI's Chat Completions API. Importing it registers
 * the ids `openai:`, `deepseek:`, `openrouter:`, `groq:`, `mistral:`, `ollama:` and `vllm:` (and
 * {@link registerOpenAICompatibleProvider} adds more); models can also be made by constructor
 * (`new OpenAIChatModel('gpt-4o', { client })`). Needs the `openai` package (6.49 or later, or 7).
 */
export { registerOpenAICompatibleProvider } from './register.js';
export type { OpenAICompatibleProvider } from './register.js';
export { OpenAIChatModel } from './openai-chat-model.js';
export type { OpenAIChatClient, OpenAIChatModelOptions } from './openai-chat-model.js';
export type { UrlDownloadOptions } from '../shared/download-content.js';
export { OpenAIEmbedder, type OpenAIEmbedderOptions, type OpenAIEmbeddingsClient } from './openai-embedder.js';
export { OPENAI_COMPATIBLE_PROVIDERS } from './profiles.js';
export { OpenAIResponsesModel } from './openai-responses-model.js';
export type { OpenAIResponsesClient, OpenAIResponsesModelOptions, OpenAIResponsesModelSettings } from './openai-responses-model.js';
