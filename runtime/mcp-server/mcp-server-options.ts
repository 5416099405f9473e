/**
 * The options of `createMcpServer` (and what a `schemantic serve --mcp` entry module exports), and
 * their check: every agent and tool turned into a served tool, with a message that names the
 * entry at fault when one is not what it should be.
 */
import { UserError } from '../contract/errors.js';
import { agentTool, type ServableAgent } from './agent-tool.js';
import { functionTool, isGeneratedTool, type CallSettings, type McpTool } from './function-tool.js';
import type { ServedTool } from './served-tool.js';

/** What the server serves, and with what. */
export interface McpServerOptions<Deps = unknown> {
  /** The server's name, as MCP clients show it. */
  name: string;
  /** The server's version, as MCP clients show it (default `0.0.0`). */
  version?: string;
  /** Tells clients (and their models) how to use the tools, sent when they connect. */
  instructions?: string;
  /**
   * Agents, by the tool name MCP clients call them by. Each takes `{ prompt, context }` and answers
   * with its output (structured content when the output is structured).
   */
  agents?: Readonly<Record<string, ServableAgent>>;
  /**
   * Function tools: defined with `defineTool`, or generated tools with their handlers
   * (`specTools(weatherSpec, weatherTools)`). A list serves each under its own name; an object
   * serves each under its key.
   */
  tools?: readonly McpTool<NoInfer<Deps>>[] | Readonly<Record<string, McpTool<NoInfer<Deps>>>>;
  /** What handlers get as `ctx.deps`, and agents' runs as their deps (its type is the handlers' `Deps`). */
  deps?: Deps;
  /**
   * What tool handlers get as `ctx.context`; for an agent with a context, the context of a call
   * that gives none (without it, calls of such an agent must give one).
   */
  context?: unknown;
  /**
   * Told about each failure of a call (a handler's error, a failed run), with its stack, for your
   * logs; the client gets the message only.
   */
  onError?: (error: unknown, tool: string) => void;
  /**
   * The host names the HTTP endpoint answers to (its `Host` header, and the `Origin` of browser
   * requests), against DNS rebinding: default `localhost`, `127.0.0.1` and `[::1]`. Set it when
   * the endpoint is reached under another name (behind your app's own authentication).
   */
  allowedHosts?: readonly string[];
}

/** MCP tool names (SEP-986): letters, digits, `_`, `-` and `.`, 1 to 128 of them. */
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** The served tools of the options, checked: agents first, then tools, each name once. */
export function servedTools(options: McpServerOptions<never>): ServedTool[] {
  const settings: CallSettings = { deps: options.deps, context: options.context, onError: options.onError };
  const served: ServedTool[] = [];
  const origins = new Map<string, string>();
  const add = (name: string, origin: string, make: () => ServedTool) => {
    if (!TOOL_NAME.test(name))
      throw new UserError(
        `createMcpServer: ${origin} cannot be served as ${JSON.stringify(name)}: MCP tool names are 1 to 128 letters, digits, "_", "-" or "."`,
      );
    const taken = origins.get(name);
    if (taken !== undefined) throw new UserError(`createMcpServer: ${taken} and ${origin} are both named ${name}; MCP tool names must differ`);
    origins.set(name, origin);
    served.push(make());
  };
  for (const [key, agent] of Object.entries(objectOption(options.agents, 'agents'))) {
    if (!isAgent(agent)) {
      throw new UserError(`createMcpServer: agents.${key} is not an agent (make it with a generated create<Name>Agent factory, agent() or defineAgent)`);
    }
    add(key, `agents.${key}`, () => agentTool(key, agent, settings));
  }
  const tools = options.tools ?? [];
  const entries: [string | undefined, string, unknown][] = Array.isArray(tools)
    ? tools.map((tool, i) => [undefined, `tools[${i}]`, tool])
    : Object.entries(objectOption(tools, 'tools')).map(([key, tool]) => [key, `tools.${key}`, tool]);
  for (const [key, origin, tool] of entries) {
    if (!isTool(tool)) {
      throw new UserError(
        `createMcpServer: ${origin} is not a tool: give a tool made with defineTool ({ name, parameters, handler }) or a generated tool with its handler ({ spec: getLatLngTool, handler }, or specTools(weatherSpec, weatherTools))`,
      );
    }
    const name = key ?? (isGeneratedTool(tool) ? tool.spec.name : tool.name);
    add(name, origin, () => functionTool(name, tool, settings));
  }
  if (served.length === 0) throw new UserError('createMcpServer: nothing to serve: give agents, tools, or both');
  return served;
}

/** Checks that the options themselves are an object with a name, as the entry module of `schemantic serve` may get wrong. */
export function checkOptions(options: unknown): asserts options is McpServerOptions<never> {
  if (typeof options !== 'object' || options === null)
    throw new UserError('createMcpServer: the options must be an object ({ name, agents, tools, deps, context })');
  const { name, version } = options as Record<string, unknown>;
  if (typeof name !== 'string' || name === '') throw new UserError('createMcpServer: `name` must be a non-empty string (the server name MCP clients show)');
  if (version !== undefined && typeof version !== 'string') throw new UserError('createMcpServer: `version` must be a string');
}

function objectOption(value: unknown, option: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`createMcpServer: \`${option}\` must be an object`);
  return value as Record<string, unknown>;
}

function isAgent(value: unknown): value is ServableAgent {
  if (typeof value !== 'object' || value === null) return false;
  const agent = value as Record<string, unknown>;
  const spec = agent['spec'] as Record<string, unknown> | undefined;
  return (
    typeof agent['iter'] === 'function' && typeof agent['name'] === 'string' && typeof spec === 'object' && spec !== null && typeof spec['output'] === 'object'
  );
}

function isTool(value: unknown): value is McpTool<never> {
  if (typeof value !== 'object' || value === null) return false;
  const tool = value as Record<string, unknown>;
  if (typeof tool['handler'] !== 'function') return false;
  if ('spec' in tool) {
    const spec = tool['spec'] as Record<string, unknown> | null;
    return typeof spec === 'object' && spec !== null && typeof spec['name'] === 'string' && typeof spec['validators'] === 'function' && 'parameters' in spec;
  }
  return typeof tool['name'] === 'string' && 'parameters' in tool;
}
