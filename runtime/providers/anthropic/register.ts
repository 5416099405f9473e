/**
 * Importing `schemantic/anthropic` registers the `anthropic:` id prefix (`anthropic:claude-sonnet-5-5`).
 */
import { registerModelProvider } from '../../models/registry.js';
import { AnthropicModel } from './anthropic-model.js';
import { ANTHROPIC_PROVIDER } from './profile.js';

registerModelProvider(ANTHROPIC_PROVIDER.name, (modelName) => AnthropicModel.connect(modelName, { provider: ANTHROPIC_PROVIDER }));
