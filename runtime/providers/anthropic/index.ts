/**
 * `schemantic/anthropic`: Claude models. Importing it registers the id prefix `anthropic:`
 * (`anthropic:claude-sonnet-5-5`); models can also be made by constructor
 * (`new AnthropicModel('claude-sonnet-5-5', { client })`). Needs `@anthropic-ai/sdk` 1.x.
 */
import './register.js';

export { AnthropicModel } from './anthropic-model.js';
export type { AnthropicClient, AnthropicModelOptions } from './anthropic-model.js';
export { ANTHROPIC_PROVIDER } from './profile.js';
