/**
 * The MCP SDK's server with the served tools registered. The SDK serves one connection (stdio) or
 * one exchange or session (HTTP) per instance, so this is a factory: every connection gets its
 * own instance over the same tools.
 */
import { McpServer, type ServerContext } from '@modelcontextprotocol/server';
import type { ServedTool, ToolCall } from './served-tool.js';
import { passThroughSchema } from './standard-schema.js';

/** Who the server says it is when a client connects. */
export interface ServerInfo {
  readonly name: string;
  readonly version: string;
  readonly instructions?: string | undefined;
}

/** A factory of SDK servers offering `tools`. */
export function sdkServerFactory(info: ServerInfo, tools: readonly ServedTool[]): () => McpServer {
  return () => {
    const server = new McpServer(
      { name: info.name, version: info.version },
      { capabilities: { tools: {} }, ...(info.instructions !== undefined ? { instructions: info.instructions } : {}) },
    );
    for (const tool of tools) {
      const config = {
        description: tool.description,
        inputSchema: passThroughSchema(tool.inputSchema),
        ...(tool.outputSchema !== undefined ? { outputSchema: passThroughSchema(tool.outputSchema) } : {}),
      };
      server.registerTool(tool.name, config, (args: unknown, ctx: ServerContext) => tool.call(args, toolCall(ctx)));
    }
    return server;
  };
}

/** One `tools/call` request as the served tools see it. */
function toolCall(ctx: ServerContext): ToolCall {
  const token = ctx.mcpReq._meta?.progressToken;
  return {
    id: String(ctx.mcpReq.id),
    signal: ctx.mcpReq.signal,
    wantsProgress: token !== undefined,
    async progress(update) {
      if (token === undefined) return;
      try {
        await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, ...update } });
      } catch {
        // The client went away: the request's signal says so to whoever needs to know.
      }
    },
  };
}
