/**
 * Delegate agents as function tools: the model hands a sub-task (a prompt, and the delegate's
 * context) to another agent, which runs with the caller's deps, usage and limits.
 */
import { UserError } from '../contract/errors.js';
import { DeferredToolRequests } from './deferred.js';
import type { BaseRunOptions } from './run-options.js';
import type { UserPrompt } from '../run/setup.js';
import type { AgentSpec, JsonSchema } from '../contract/spec.js';
import { definitionOf, type RuntimeTool } from './tools.js';
import type { Validator } from '../validators/index.js';

/**
 * What a delegate tool needs of an agent. Its options parameter is typed `never` so that an agent
 * of any Deps and Context fits; the delegate tool passes the caller's deps and the arguments'
 * context, which the generated types (or the agent's context validator) keep consistent.
 */
export interface DelegateTarget {
  readonly name: string;
  run(prompt: UserPrompt, options: never): Promise<{ output: unknown }>;
}

/** A delegate agent as a function tool: runs the agent with the caller's deps and usage. */
export function delegateTool(
  delegate: DelegateTarget,
  tool: {
    name: string;
    description?: string | undefined;
    parameters: JsonSchema;
    strictParameters?: JsonSchema | undefined;
    geminiParameters?: JsonSchema | undefined;
  },
  validateArgs: Validator<unknown>,
  defaultRetries: number,
  origin: string,
): RuntimeTool {
  const definition = definitionOf(tool.name, tool.description, tool.parameters, undefined, tool.strictParameters, tool.geminiParameters);
  return {
    definition,
    validateArgs,
    maxRetries: defaultRetries,
    origin,
    async call(ctx, args) {
      const { prompt, context } = args as { prompt: string; context?: unknown };
      const options: BaseRunOptions & { deps?: unknown; context?: unknown } = { deps: ctx.deps, usage: ctx.usage };
      if (context !== undefined) options.context = context;
      if (ctx.signal) options.signal = ctx.signal;
      // The caller's limits cover the whole tree of runs, counted on the shared usage.
      if (ctx.usageLimits) options.usageLimits = ctx.usageLimits;
      const result = await delegate.run(prompt, options as never);
      // A delegate's pause has no caller to answer it: its run state would be lost in a tool return.
      if (DeferredToolRequests.isInstance(result.output))
        throw new UserError(
          `${origin}: the delegate agent ${delegate.name} stopped at deferred tool calls (${result.output
            .all()
            .map((c) => c.toolName)
            .join(', ')}); a delegate cannot pause its caller's run: give the approval or external tool to the calling agent`,
        );
      return result.output;
    },
  };
}

/**
 * The parameters of a hand-written agent's delegate tool: the prompt, and the delegate's context
 * when it has a context schema.
 */
export function delegateParameters(delegate: { spec: AgentSpec<unknown, unknown>; name: string }): JsonSchema {
  const contextSchema = delegate.spec.context?.schema;
  // The context schema moves under `properties.context`: its `$defs` (and draft-07
  // `definitions`) go to the new root so that `#/$defs/...` references still resolve.
  const { $defs, definitions, ...context } = (typeof contextSchema === 'object' && contextSchema !== null ? contextSchema : {}) as Record<string, unknown>;
  return {
    type: 'object',
    properties: {
      prompt: { type: 'string', description: `What to ask the ${delegate.name} agent.` },
      ...(contextSchema !== undefined ? { context: typeof contextSchema === 'object' ? context : contextSchema } : {}),
    },
    required: contextSchema !== undefined ? ['prompt', 'context'] : ['prompt'],
    additionalProperties: false,
    ...($defs !== undefined ? { $defs } : {}),
    ...(definitions !== undefined ? { definitions } : {}),
  };
}
