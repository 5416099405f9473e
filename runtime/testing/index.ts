/**
 * `schemantic/testing`: models and helpers for testing code that runs agents, without a provider.
 */
export { TestModel } from './test-model.js';
export type { TestModelOptions } from './test-model.js';
export { FunctionModel } from './function-model.js';
export type { AgentInfo, DeltaThinking, DeltaToolCalls, FunctionAnswer, ModelFunction, StreamChunk, StreamModelFunction } from './function-model.js';
export { sampleFromSchema, seededRandom } from './schema-data.js';
export { captureRunMessages } from '../agent/scopes.js';
export type { CapturedRun } from '../agent/scopes.js';
export { ALLOW_MODEL_REQUESTS_ENV, modelRequestsAllowed, setAllowModelRequests } from '../agent/allow-requests.js';
