/**
 * The runtime's public surface (package entry point `schemantic`).
 */
export { Agent, defineAgent } from './agent.js';
export type { AgentOptions, RunContext, ToolHandler } from './agent.js';
export { SchemanticError, UserError, ModelRetry, UnexpectedModelBehavior, UsageLimitExceeded, ModelHTTPError } from './errors.js';
export type {
  AgentSpec,
  DelegateSpec,
  EndStrategy,
  InstructionTemplate,
  JsonSchema,
  ModelSettings,
  OutputMemberSpec,
  OutputMode,
  OutputSpec,
  ToolSpec,
  UsageLimits,
} from './spec.js';
export type { ValidationError, Validator } from './validators.js';
export { VERSION } from './version.js';
