/**
 * `schemantic/mcp`: the tools of MCP servers in agent runs.
 *
 * ```ts
 * const everything = mcpServer({ name: 'everything', command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'] });
 * const helper = agent({ name: 'helper', model, toolsets: [everything] });
 * ```
 *
 * Needs `@modelcontextprotocol/client` (an optional peer dependency), imported when a server is
 * first used.
 */
export { McpServer, mcpServer } from './mcp-server.js';
export type { McpServerOptions } from './mcp-server.js';
export type {
  McpContent,
  McpEmbeddedResource,
  McpMediaContent,
  McpResourceLink,
  McpTextContent,
  McpToolAnnotations,
  McpToolInfo,
  McpToolResult,
} from './mcp-content.js';
export { McpArgumentsError, McpConnectionError, McpError, McpResultError, McpSchemaError } from './mcp-errors.js';
export type { McpProblem } from './mcp-errors.js';
