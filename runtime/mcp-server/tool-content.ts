/**
 * MCP content from a tool handler: a tool written to be served over MCP may answer with content
 * blocks (an image, audio, an embedded resource, several of them) instead of a JSON value, which
 * the server would otherwise send as JSON text and structured content.
 */
import type { ContentBlock } from '@modelcontextprotocol/server';

/** Recognises tool content made by any copy of this package (two copies may be loaded side by side). */
const TOOL_CONTENT = Symbol.for('schemantic.mcp.tool-content');

/** What {@link toolContent} returns: content blocks, and optionally a structured value. */
export interface ToolContent {
  readonly [TOOL_CONTENT]: true;
  /** The blocks, sent as the result's `content`, as they are. */
  readonly content: readonly ContentBlock[];
  /** The structured value, checked against the tool's `returns` schema when it has one. */
  readonly structured?: unknown;
}

/**
 * Answers a tool call served over MCP with these content blocks (and, when the tool declares
 * `returns`, the structured value that schema describes). Outside MCP (a tool of an agent run),
 * the model would see this object as the tool's JSON result: meant for tools served over MCP.
 *
 * ```ts
 * handler: () => toolContent([{ type: 'image', data: pngBase64, mimeType: 'image/png' }])
 * ```
 */
export function toolContent(content: readonly ContentBlock[], structured?: unknown): ToolContent {
  const value: ToolContent = { [TOOL_CONTENT]: true, content: [...content] };
  return structured === undefined ? value : { ...value, structured };
}

/** Whether a handler's value is {@link toolContent}'s. */
export function isToolContent(value: unknown): value is ToolContent {
  return typeof value === 'object' && value !== null && (value as { [TOOL_CONTENT]?: unknown })[TOOL_CONTENT] === true;
}
