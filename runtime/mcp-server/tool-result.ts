/**
 * MCP tool results: a value as JSON text plus structured content, content blocks as given, and
 * failures as `isError` results whose text says what went wrong (a message, never a stack, with
 * anything shaped like a secret removed) so that the client, or its model, can act on it.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { RetryDetail } from '../contract/messages.js';
import { redactText } from '../contract/redact.js';
import { structuredValue, type OutputShape } from './output-shape.js';
import type { ToolContent } from './tool-content.js';

/** A value as the result: text (strings as they are, anything else as JSON) and, with a shape, structured content. */
export function valueResult(value: unknown, shape: OutputShape | undefined): CallToolResult {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  const result: CallToolResult = { content: [{ type: 'text', text }] };
  if (shape) result.structuredContent = structuredValue(value, shape);
  return result;
}

/** Content blocks a handler returned ({@link toolContent}), with their structured value when the tool has a shape. */
export function contentResult(value: ToolContent, shape: OutputShape | undefined): CallToolResult {
  const result: CallToolResult = { content: [...value.content] };
  if (shape && value.structured !== undefined) result.structuredContent = structuredValue(value.structured, shape);
  return result;
}

/** A failure the caller can read: `isError`, and the text. */
export function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text: redactText(text) }], isError: true };
}

/** Arguments that break the tool's schema, one problem a line. */
export function invalidArguments(toolName: string, problems: readonly RetryDetail[]): CallToolResult {
  const lines = problems.map((p) => `- ${p.path === '' ? '(root)' : p.path}: ${p.message}`);
  return errorResult(`Invalid arguments for tool ${toolName}:\n${lines.join('\n')}`);
}

/** What an error says, without its stack: its message (or, for a thrown non-error, what it is). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : 'an unknown error';
}
