/**
 * The runtime's public surface (package entry point `schemantic`).
 */
export { Agent, defineAgent } from './agent/agent.js';
export type { AgentBinding, AgentOptions, BaseRunOptions, ResumeArgs, ResumeOptions, RunArgs, RunOptions } from './agent/agent.js';
export { ApprovalRequired, CallDeferred, DEFAULT_DENIAL, DeferredToolRequests } from './agent/deferred.js';
export type { ApprovalCondition, ApprovalDecision, DeferredCall, DeferredCallOf, DeferredToolResults, ExternalRetry } from './agent/deferred.js';
export { MemoryPausedRunStore, PAUSED_RUN_FORMAT, PausedRunError, readPausedRun } from './agent/paused-run.js';
export type { PausedRun, PausedRunStore } from './agent/paused-run.js';
export { ContractChangedError } from './agent/resume-check.js';
export type { ContractChange } from './agent/resume-check.js';
export type { AgentContract, ToolContract } from './agent/agent-contract.js';
export type { DurableSteps } from './run/durable-steps.js';
export type { DelegateTarget } from './agent/delegate-tool.js';
export { agent } from './agent/hand-written.js';
export type { HandAgentDefinition, HandOutputMember } from './agent/hand-written.js';
export { defineTool } from './agent/tools.js';
export type { HandTool, RuntimeTool, ToolHandler, ToolPrepare } from './agent/tools.js';
export type { Toolset, ToolsetSession } from './agent/toolset.js';
export { AgentRun } from './run/agent-run.js';
export type { AgentNode, CallToolsNode, EndNode, ModelRequestNode, UserPromptNode } from './run/agent-run.js';
export type { OutputValidator, PrepareTools, UserPrompt } from './run/setup.js';
export { ToolReturnError } from './run/run-tool.js';
export { RunResult } from './agent/result.js';
export { StreamedRun } from './stream/streamed-run.js';
export type {
  AgentRunEvent,
  AgentStreamEvent,
  DeepPartial,
  EventHandler,
  FinalResultEvent,
  DeferredToolRequestsEvent,
  FunctionToolCallEvent,
  FunctionToolResultEvent,
  PartEndEvent,
  PartStartEvent,
  PartialOutputEvent,
  RunResultEvent,
  TextPartDeltaEvent,
  ToolCallDeltaEvent,
} from './stream/events.js';
export type { MessageOptions } from './agent/result.js';
export type { RunContext } from './agent/run-context.js';
export type { DynamicInstruction, Instruction, InstructionFn } from './agent/instructions.js';
export { renderTemplate } from './agent/instructions.js';
export {
  SchemanticError,
  UserError,
  ModelRetry,
  UnexpectedModelBehavior,
  UsageLimitExceeded,
  ModelAPIError,
  ModelHTTPError,
  UnsupportedContentError,
} from './contract/errors.js';
export { latestInstructions, MESSAGES_FORMAT_VERSION, responseText, toolCalls } from './contract/messages.js';
export type {
  AudioUrl,
  BinaryContent,
  DocumentUrl,
  FinishReason,
  ImageUrl,
  ModelMessage,
  ModelRequest,
  ModelResponse,
  RequestPart,
  RequestUsage,
  ResponsePart,
  RetryDetail,
  RetryPromptPart,
  SystemPromptPart,
  TextPart,
  ThinkingPart,
  ToolCallPart,
  ToolReturnPart,
  UserContent,
  UserPromptPart,
  VideoUrl,
} from './contract/messages.js';
export { MessageHistoryError, messagesToJson, parseClientMessages, parseMessages } from './contract/messages-json.js';
export { clientMessages } from './contract/client-history.js';
export { MESSAGES_JSON_SCHEMA } from './contract/messages-schema.js';
export type { Model, ModelRequestParameters, OutputObjectDefinition, ToolDefinition } from './contract/model.js';
export { collectStream, ResponseAssembler } from './contract/stream-events.js';
export type { ModelStreamEvent, PartDelta } from './contract/stream-events.js';
export { modelProviders, registerModelProvider, resolveModel } from './models/registry.js';
export { assertModelRequestAllowed } from './agent/allow-requests.js';
export type { ModelFactory, ModelLike } from './models/registry.js';
export { FallbackExhaustedError, FallbackModel } from './models/fallback-model.js';
export type { FallbackOptions } from './models/fallback-model.js';
export type { ConnectionOptions, ProviderProfile } from './providers/shared/provider-profile.js';
export { Usage } from './agent/usage.js';
export type { UsageSnapshot } from './agent/usage.js';
export type {
  AgentSpec,
  AgentValidators,
  DelegateSpec,
  EndStrategy,
  InstructionTemplate,
  JsonSchema,
  ModelSettings,
  OutputMemberSpec,
  OutputMode,
  OutputSpec,
  ToolSpec,
  ToolValidators,
  UsageLimits,
} from './contract/spec.js';
export type {
  AnthropicProviderOptions,
  BedrockGuardrailConfig,
  BedrockProviderOptions,
  GoogleProviderOptions,
  GoogleSafetySetting,
  OpenAIProviderOptions,
  ProviderOptions,
} from './contract/provider-options.js';
export type { ValidationError, Validator } from './validators/index.js';
export { defineGraph, Graph } from './graph/graph.js';
export { GraphRun } from './graph/graph-run.js';
export type { GraphEndNode, GraphNode, GraphNodeToRun, GraphNodeWaiting } from './graph/graph-node.js';
export type { GraphEnded, GraphHistoryEntry, GraphResult, GraphWaiting } from './graph/graph-result.js';
export type { GraphDepsOption, GraphResumeOptions, GraphRunOptions } from './graph/graph-run-options.js';
export type { GraphPersistence } from './graph/graph-persistence.js';
export { GRAPH_SNAPSHOT_FORMAT, readGraphSnapshot } from './graph/graph-snapshot.js';
export type { GraphRunStatus, GraphSnapshot } from './graph/graph-snapshot.js';
export { MemoryGraphStore } from './graph/memory-graph-store.js';
export { GraphError, GraphResumeError, GraphSnapshotError, GraphStepError, GraphValidationError } from './graph/graph-errors.js';
export type { GraphCheckSubject } from './graph/graph-errors.js';
export type { GraphContext, GraphNodeSpec, GraphSpec, GraphStep, GraphValidators } from './contract/graph-spec.js';
export { VERSION } from './contract/version.js';

// Embeddings: the Embedder contract, its batching helper, an offline embedder and the similarity
// measure. Provider embedders live with their provider's entry point (`OpenAIEmbedder` in
// `schemantic/openai`, `GoogleEmbedder` in `schemantic/google`), so the core loads no SDK.
export type { Embedder, EmbeddingInputType, EmbeddingProgress, EmbeddingResult, EmbeddingUsage, EmbedOptions } from './embeddings/embedder.js';
export type { Embedding } from './embeddings/embedding.js';
export { embedInBatches } from './embeddings/embed-in-batches.js';
export type { BatchingOptions, EmbedBatch } from './embeddings/embed-in-batches.js';
export { DeterministicEmbedder } from './embeddings/deterministic-embedder.js';
export type { DeterministicEmbedderOptions } from './embeddings/deterministic-embedder.js';
export { cosineSimilarity } from './embeddings/cosine-similarity.js';
