/**
 * The runtime's public surface (package entry point `schemantic`).
 */
export { Agent, defineAgent } from './agent.js';
export type { AgentBinding, AgentOptions, BaseRunOptions, RunArgs, RunOptions } from './agent.js';
export type { DelegateTarget } from './delegate-tool.js';
export { agent } from './hand-written.js';
export type { HandAgentDefinition, HandOutputMember } from './hand-written.js';
export { defineTool } from './tools.js';
export type { HandTool, RuntimeTool, ToolHandler, ToolPrepare } from './tools.js';
export { AgentRun } from './run/agent-run.js';
export type { AgentNode, CallToolsNode, EndNode, ModelRequestNode, UserPromptNode } from './run/agent-run.js';
export type { OutputValidator, PrepareTools, UserPrompt } from './run/setup.js';
export { ToolReturnError } from './run/call-tools.js';
export { RunResult } from './result.js';
export { StreamedRun } from './stream/streamed-run.js';
export type {
  AgentRunEvent,
  AgentStreamEvent,
  DeepPartial,
  EventHandler,
  FinalResultEvent,
  FunctionToolCallEvent,
  FunctionToolResultEvent,
  PartEndEvent,
  PartStartEvent,
  RunResultEvent,
  TextPartDeltaEvent,
  ToolCallDeltaEvent,
} from './stream/events.js';
export type { MessageOptions } from './result.js';
export type { RunContext } from './run-context.js';
export type { DynamicInstruction, Instruction, InstructionFn } from './instructions.js';
export { renderTemplate } from './instructions.js';
export { SchemanticError, UserError, ModelRetry, UnexpectedModelBehavior, UsageLimitExceeded, ModelAPIError, ModelHTTPError, UnsupportedContentError } from './errors.js';
export { MESSAGES_FORMAT_VERSION, responseText, toolCalls } from './messages.js';
export type {
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
} from './messages.js';
export { MESSAGES_JSON_SCHEMA, MessageHistoryError, messagesToJson, parseMessages } from './messages-json.js';
export type { Model, ModelRequestParameters, OutputObjectDefinition, ToolDefinition } from './model.js';
export { collectStream, ResponseAssembler } from './stream-events.js';
export type { ModelStreamEvent, PartDelta } from './stream-events.js';
export { modelProviders, registerModelProvider, registerOpenAICompatibleProvider, resolveModel } from './models/registry.js';
export type { ModelFactory, ModelLike, OpenAICompatibleProvider } from './models/registry.js';
export { FallbackExhaustedError, FallbackModel } from './models/fallback-model.js';
export type { FallbackOptions } from './models/fallback-model.js';
export { BUILT_IN_PROVIDERS } from './adapters/providers.js';
export type { ConnectionOptions, ProviderProfile } from './adapters/providers.js';
export { Usage } from './usage.js';
export type { UsageSnapshot } from './usage.js';
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
} from './spec.js';
export type { ValidationError, Validator } from './validators.js';
export { VERSION } from './version.js';
