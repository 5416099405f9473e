/**
 * Function tools at run time: what the model sees, how arguments are checked, and what runs.
 * Generated tools bring precompiled validators (loaded on first run); tools defined by hand are
 * compiled when defined, so a schema that does not compile fails there and not in the middle of a run.
 */
import { compileSchema } from '../schema/compile.js';
import type { ToolDefinition } from '../contract/model.js';
import type { RunContext } from './run-context.js';
import { inlineRootRef } from '../schema/schema-shapes.js';
import type { JsonSchema, ToolSpec, ToolValidators } from '../contract/spec.js';
import type { Validator } from '../validators/index.js';
import { UserError } from '../contract/errors.js';
import type { ApprovalCondition } from './deferred.js';

/** A tool handler: receives the run context and validated arguments. */
export type ToolHandler<Deps, Context, Args, Return> = (ctx: RunContext<Deps, Context>, args: Args) => Return | Promise<Return>;

/**
 * Hides a tool for one step (return undefined) or changes what the model sees of it (its
 * description, say). Arguments are still checked against the tool's own schema.
 */
export type ToolPrepare<Deps, Context> = (
  ctx: RunContext<Deps, Context>,
  definition: ToolDefinition,
) => ToolDefinition | undefined | Promise<ToolDefinition | undefined>;

/** A tool defined in TypeScript with a raw JSON Schema, for agents written without the generator. */
export interface HandTool<Deps = unknown, Context = unknown, Args = unknown, Return = unknown> {
  readonly name: string;
  readonly description?: string;
  readonly parameters: JsonSchema;
  readonly returns?: JsonSchema;
  /** Runs a call (every tool has one, except an `external` tool). */
  readonly handler?: ToolHandler<Deps, Context, Args, Return>;
  readonly retries?: number;
  readonly strict?: boolean;
  readonly prepare?: ToolPrepare<Deps, Context>;
  /** A call needs a person's approval first: always (`true`), or when the condition says so. */
  readonly needsApproval?: boolean | ApprovalCondition<Deps, Context, Args>;
  /** Run by the caller (no handler): every call ends the run as a deferred request. */
  readonly external?: boolean;
}

/** Defines a tool by hand (its schemas are compiled with Ajv when an agent using it is defined). */
export function defineTool<Args = unknown, Return = unknown, Deps = unknown, Context = unknown>(
  tool: HandTool<Deps, Context, Args, Return>,
): HandTool<Deps, Context, Args, Return> {
  return tool;
}

/** A tool ready to run: definition, checks, retry budget and the code that runs. */
export interface RuntimeTool {
  definition: ToolDefinition;
  validateArgs: Validator<unknown>;
  validateReturn?: Validator<unknown>;
  maxRetries: number;
  /** Where the tool comes from, for error messages. */
  origin: string;
  prepare?: ToolPrepare<unknown, unknown>;
  call(ctx: RunContext<unknown, unknown>, args: unknown): Promise<unknown>;
  /** The `returns` schema, when declared (recorded in a paused run's contract). */
  returnsSchema?: JsonSchema;
  /** Calls need approval: always (`true`), or when the condition says so. */
  approval?: true | ApprovalCondition;
  /** Run by the caller: every call is deferred, `call` is never used. */
  external?: boolean;
  /**
   * A generated agent's tool whose agent declares no deferred tool: its output type has no
   * DeferredToolRequests, so a handler that throws ApprovalRequired or CallDeferred is a UserError
   * (declare the tool `approval: conditional` instead).
   */
  cannotDefer?: boolean;
}

/** A tool without a handler (external): its calls never reach `call`. */
const noHandler = (origin: string) => (): Promise<unknown> => Promise.reject(new UserError(`${origin}: an external tool has no handler`));

/** A function tool of a spec, with its loaded validators, bound to its handler. */
export function specTool(
  spec: ToolSpec,
  validators: ToolValidators,
  handler: ToolHandler<unknown, unknown, unknown, unknown> | undefined,
  defaultRetries: number,
  origin: string,
  condition?: ApprovalCondition,
  /** Some tool of the agent is declared `approval` or `external`: its runs may pause. */
  agentDefers = true,
): RuntimeTool {
  const tool: RuntimeTool = {
    definition: definitionOf(spec.name, spec.description, spec.parameters, spec.strict, spec.strictParameters, spec.geminiParameters),
    validateArgs: validators.validateArgs as Validator<unknown>,
    maxRetries: spec.retries ?? defaultRetries,
    origin,
    call: handler ? async (ctx, args) => handler(ctx, args) : noHandler(origin),
  };
  if (validators.validateReturn) tool.validateReturn = validators.validateReturn as Validator<unknown>;
  if (spec.returns !== undefined) tool.returnsSchema = spec.returns;
  if (spec.external) tool.external = true;
  else if (spec.approval === 'required') tool.approval = true;
  else if (spec.approval === 'conditional' && condition) tool.approval = condition;
  if (!agentDefers) tool.cannotDefer = true;
  return tool;
}

/** A hand-written tool, its schemas compiled (once per schema object). */
export function handTool(tool: HandTool<never, never, never, unknown>, defaultRetries: number, agentName: string): RuntimeTool {
  const origin = `tool ${tool.name} of agent ${agentName}`;
  const handler = tool.handler as unknown as ToolHandler<unknown, unknown, unknown, unknown> | undefined;
  if (!handler && !tool.external) throw new UserError(`${origin}: no handler (only an external tool has none)`);
  if (handler && tool.external) throw new UserError(`${origin}: an external tool has no handler: the caller runs its calls`);
  if (tool.external && tool.needsApproval) throw new UserError(`${origin}: an external tool cannot need approval: the caller decides when it runs it`);
  const runtime: RuntimeTool = {
    definition: definitionOf(tool.name, tool.description, tool.parameters, tool.strict),
    validateArgs: compileSchema(tool.parameters, `${origin}: parameters`),
    maxRetries: tool.retries ?? defaultRetries,
    origin,
    call: handler ? async (ctx, args) => handler(ctx, args) : noHandler(origin),
  };
  if (tool.returns !== undefined) {
    runtime.validateReturn = compileSchema(tool.returns, `${origin}: returns`);
    runtime.returnsSchema = tool.returns;
  }
  if (tool.prepare) runtime.prepare = tool.prepare as ToolPrepare<unknown, unknown>;
  if (tool.external) runtime.external = true;
  else if (tool.needsApproval === true) runtime.approval = true;
  else if (typeof tool.needsApproval === 'function') runtime.approval = tool.needsApproval as ApprovalCondition;
  return runtime;
}

/** The definition the model sees. */
export function definitionOf(
  name: string,
  description: string | undefined,
  parameters: JsonSchema,
  strict: boolean | undefined,
  strictParameters?: JsonSchema,
  geminiParameters?: JsonSchema,
): ToolDefinition {
  const definition: ToolDefinition = { name, parametersJsonSchema: inlineRootRef(parameters), kind: 'function' };
  if (description !== undefined) definition.description = description;
  if (strict !== undefined) definition.strict = strict;
  if (strictParameters !== undefined) definition.strictParametersJsonSchema = strictParameters;
  // Inlined as the parameters are, so that Gemini gets the same shape either way.
  if (geminiParameters !== undefined) definition.geminiParametersJsonSchema = inlineRootRef(geminiParameters);
  return definition;
}
