/**
 * `schemantic/bedrock`: models on Amazon Bedrock through the Converse API. Importing it registers
 * the id prefix `bedrock:` (`bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0`,
 * `bedrock:amazon.nova-micro-v1:0`); models can also be made by constructor
 * (`new BedrockModel('amazon.nova-micro-v1:0', { region: 'us-east-1' })`). Credentials and region
 * come from the AWS SDK's standard chain unless given. Needs `@aws-sdk/client-bedrock-runtime` 3.x.
 */
import './register.js';

export { BedrockModel } from './bedrock-model.js';
export type { BedrockModelOptions } from './bedrock-model.js';
export type { BedrockClient, BedrockConnectionOptions, BedrockCredentials } from './bedrock-client.js';
