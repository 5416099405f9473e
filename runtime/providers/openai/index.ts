/**
 * `schemantic/openai`: models served through OpenAI's Chat Completions API, by constructor
 * (`new OpenAIChatModel('gpt-4o', { client })`). Ids (`openai:gpt-4o`, `deepseek:deepseek-chat`)
 * reach the same class without importing this entry point.
 */
export { OpenAIChatModel } from './openai-chat-model.js';
export type { OpenAIChatClient, OpenAIChatModelOptions } from './openai-chat-model.js';
