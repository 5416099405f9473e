/**
 * Agents: a spec (generated or hand-written) bound to tool handlers and options.
 */
import type { AgentSpec, ModelSettings, UsageLimits } from './spec.js';
import { UserError } from './errors.js';
import { assertRuntimeCompatible } from './version.js';

/** What tools, instruction functions and output validators receive about the run. */
export interface RunContext<Deps, Context> {
  /** The dependencies passed to `run`. */
  readonly deps: Deps;
  /** The context passed to `run` (fills the instructions' placeholders). */
  readonly context: Context;
}

/** A tool handler: receives the run context and validated arguments. */
export type ToolHandler<Deps, Context, Args, Return> = (ctx: RunContext<Deps, Context>, args: Args) => Return | Promise<Return>;

/** Options every agent factory accepts. */
export interface AgentOptions<Deps, Context, Output> {
  /** Overrides the spec's default model. */
  model?: string;
  /** Merged over the spec's model settings. */
  modelSettings?: ModelSettings;
  /** Merged over the spec's usage limits. */
  usageLimits?: UsageLimits;
  /** Checks (and may transform) the output; may throw ModelRetry. */
  outputValidators?: readonly ((ctx: RunContext<Deps, Context>, output: Output) => Output | Promise<Output>)[];
}

/** An agent, typed by its dependencies, output and context. */
export class Agent<Deps, Output, Context> {
  constructor(
    /** The agent's definition. */
    readonly spec: AgentSpec<Output, Context>,
    /** Handlers, delegates and overrides. */
    readonly options: AgentOptions<Deps, Context, Output> & { tools?: object; agents?: object },
  ) {}

  /** The agent's name. */
  get name(): string {
    return this.spec.name;
  }
}

/**
 * Binds a spec to handlers: what generated factories call. Checks that the generated code suits
 * this runtime and that every tool has a handler.
 */
export function defineAgent<Deps, Output, Context>(
  spec: AgentSpec<Output, Context>,
  options: AgentOptions<Deps, Context, Output> & { tools?: object; agents?: object },
): Agent<Deps, Output, Context> {
  const source = spec.source ?? `agent ${spec.name}`;
  assertRuntimeCompatible(spec.runtime, source);
  const handlers = (options.tools ?? {}) as Record<string, unknown>;
  for (const { key, tool } of spec.tools) {
    if (!Object.hasOwn(handlers, key) || typeof handlers[key] !== 'function') {
      throw new UserError(`${source}: no handler for tool ${tool.name}: pass tools.${key}`);
    }
  }
  const agents = (options.agents ?? {}) as Record<string, unknown>;
  for (const { key, tool } of spec.delegates) {
    if (!Object.hasOwn(agents, key) || !(agents[key] instanceof Agent)) {
      throw new UserError(`${source}: no agent for delegate ${tool.name}: pass agents.${key}`);
    }
  }
  return new Agent(spec, options);
}
