/**
 * The SDK's answers in this package's own terms (its public types name nothing of the SDK, so
 * they type-check without it installed).
 */
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/client';
import type { McpContent, McpToolResult } from './mcp-content.js';

/** A tool's answer in this package's own terms. */
export function resultOf(raw: CallToolResult): McpToolResult {
  const result: McpToolResult = {
    content: (raw.content ?? []).map(contentOf),
    isError: raw.isError === true,
  };
  if (raw.structuredContent !== undefined) result.structuredContent = raw.structuredContent;
  return result;
}

/** One block of an answer in this package's own terms (an embedded resource flattened). */
function contentOf(block: ContentBlock): McpContent {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
    case 'audio':
      return { type: block.type, mimeType: block.mimeType, data: block.data };
    case 'resource_link':
      return defined({ type: 'resource_link', uri: block.uri, name: block.name, title: block.title, description: block.description, mimeType: block.mimeType });
    case 'resource': {
      const r = block.resource as { uri: string; mimeType?: string; text?: string; blob?: string };
      return defined({ type: 'resource', uri: r.uri, mimeType: r.mimeType, text: r.text, blob: r.blob });
    }
  }
}

/** The block without its undefined members. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
