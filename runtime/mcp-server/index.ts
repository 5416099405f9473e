/**
 * `schemantic/mcp/server`: agents and tools served over MCP (the Model Context Protocol), by stdio,
 * by streamable HTTP on a loopback address, or mounted in an app. Needs the optional peer
 * `@modelcontextprotocol/server` (and `@modelcontextprotocol/node` for `serveHttp`).
 */
export { createMcpServer, isMcpServer } from './create-mcp-server.js';
export type { ListedTool, McpConnection, SchemanticMcpServer } from './create-mcp-server.js';
export type { McpServerOptions } from './mcp-server-options.js';
export type { ServableAgent, SteppedRun } from './agent-tool.js';
export type { GeneratedTool, McpTool } from './function-tool.js';
export { specTools } from './spec-tools.js';
export { toolContent } from './tool-content.js';
export type { ToolContent } from './tool-content.js';
export { reportProgress } from './report-progress.js';
export type { ProgressUpdate } from './served-tool.js';
export { OUTPUT_KEY } from './output-shape.js';
export { DEFAULT_MCP_PORT, isLoopbackHost } from './listen-http.js';
export type { HttpListener, ListenOptions } from './listen-http.js';
export { ENTRY_SHAPE, serverFromEntry } from './server-from-entry.js';
export type { EntryDefaults } from './server-from-entry.js';
