/**
 * An agent's generated tools, each with its handler, ready to serve over MCP on their own (without
 * the agent): the tools a generated agent module lists in its spec, bound to the handlers its
 * factory takes (the same `WeatherTools` object), by handler key.
 */
import { UserError } from '../contract/errors.js';
import type { AgentSpec } from '../contract/spec.js';
import type { ToolHandler } from '../agent/tools.js';
import type { GeneratedTool } from './function-tool.js';

/**
 * The generated tools of an agent (its spec, `weatherSpec`, or the agent itself) with their
 * handlers: all of them, or those named in `names` (the model-facing names, which MCP clients see).
 *
 * ```ts
 * tools: specTools(weatherSpec, weatherTools, ['get_lat_lng'])
 * ```
 */
export function specTools<Deps = unknown>(
  agent: AgentSpec<unknown, unknown> | { readonly spec: AgentSpec<unknown, unknown> },
  handlers: object,
  names?: readonly string[],
): GeneratedTool<Deps>[] {
  const spec = 'spec' in agent ? agent.spec : agent;
  const known = spec.tools.map((t) => t.tool.name);
  for (const name of names ?? []) {
    if (!known.includes(name)) throw new UserError(`specTools: agent ${spec.name} has no tool ${name} (its tools: ${known.join(', ') || 'none'})`);
  }
  const chosen = names === undefined ? spec.tools : spec.tools.filter((t) => names.includes(t.tool.name));
  return chosen.map(({ key, tool }) => {
    const handler = (handlers as Record<string, unknown>)[key];
    if (typeof handler !== 'function')
      throw new UserError(`specTools: no handler for tool ${tool.name} of agent ${spec.name}: the handlers have no function ${key}`);
    return { spec: tool, handler: handler as ToolHandler<Deps, never, never, unknown> };
  });
}
