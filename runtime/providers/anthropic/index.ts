/**
 * `schemantic/anthropic`: Claude models by constructor (`new AnthropicModel('claude-sonnet-5-5',
 * { client })`). The id `anthropic:claude-sonnet-5-5` reaches the same class without importing
 * this entry point.
 */
export { AnthropicModel } from './anthropic-model.js';
export type { AnthropicClient, AnthropicModelOptions } from './anthropic-model.js';
