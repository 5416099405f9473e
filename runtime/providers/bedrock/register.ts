/**
 * Importing `schemantic/bedrock` registers the `bedrock:` id prefix
 * (`bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0`, `bedrock:amazon.nova-micro-v1:0`): the
 * part after the prefix is the Bedrock model id, inference profile id or ARN, colons included.
 */
import { registerModelProvider } from '../../models/registry.js';
import { BedrockModel } from './bedrock-model.js';

registerModelProvider('bedrock', (modelId) => BedrockModel.connect(modelId));
