/**
 * What the MCP server serves: agents and function tools alike become one shape, a tool with its
 * JSON Schemas and a call that answers with an MCP tool result. The SDK glue (sdk-server.ts) knows
 * only this shape.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { JsonSchema } from '../contract/spec.js';

/** One progress notification: how far a call has come, and what it did last. */
export interface ProgressUpdate {
  /** Grows with every update of a call (MCP requires it to increase). */
  progress: number;
  /** The total, when the call knows it. */
  total?: number;
  /** What just happened, for people watching. */
  message?: string;
}

/** What one `tools/call` request brings besides its arguments. */
export interface ToolCall {
  /** The request's id, as the client sent it (a string here): the tool call's id. */
  readonly id: string;
  /** Aborted when the client cancels the request (or the connection goes away). */
  readonly signal: AbortSignal;
  /** Whether the client asked for progress notifications (it sent a progress token). */
  readonly wantsProgress: boolean;
  /**
   * Sends a progress notification, when the client asked for them; otherwise does nothing. Never
   * throws: a client that went away is the signal's business, not the tool's.
   */
  progress(update: ProgressUpdate): Promise<void>;
}

/** A tool as the server lists and calls it. */
export interface ServedTool {
  /** The name MCP clients call it by. */
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments (an object schema, as MCP requires). */
  readonly inputSchema: JsonSchema;
  /** JSON Schema of the structured content (an object schema), when the tool declares one. */
  readonly outputSchema?: JsonSchema;
  /**
   * Runs one call. Arguments come as the client sent them; checking them is the tool's job, and a
   * failure (bad arguments, a handler error) is an `isError` result, never a thrown error.
   */
  call(args: unknown, call: ToolCall): Promise<CallToolResult>;
}
