/**
 * What an MCP server's tools look like and answer, in Schemantic's own types (the SDK's are mapped
 * onto these, so that this entry point's types do not need the SDK installed), and how an answer
 * becomes the return a model sees.
 */
import { ModelRetry } from '../contract/errors.js';

/** Hints a server gives about a tool's behaviour (untrusted: the server says so). */
export interface McpToolAnnotations {
  readonly title?: string;
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

/** A tool as the server announced it (`tools/list`). */
export interface McpToolInfo {
  /** The server's name for the tool (without any prefix). */
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  /** The JSON Schema of its arguments, as announced (any `$schema` included). */
  readonly inputSchema: { readonly [keyword: string]: unknown };
  /** The JSON Schema of its structured content, when it has one. */
  readonly outputSchema?: { readonly [keyword: string]: unknown };
  readonly annotations?: McpToolAnnotations;
}

/** Text. */
export interface McpTextContent {
  readonly type: 'text';
  readonly text: string;
}

/** An image or a sound, base64-encoded. */
export interface McpMediaContent {
  readonly type: 'image' | 'audio';
  readonly mimeType: string;
  /** The bytes, base64-encoded. */
  readonly data: string;
}

/** A link to a resource of the server, which the client may read later. */
export interface McpResourceLink {
  readonly type: 'resource_link';
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
}

/** A resource's contents, embedded: text, or bytes base64-encoded (`blob`). */
export interface McpEmbeddedResource {
  readonly type: 'resource';
  readonly uri: string;
  readonly mimeType?: string;
  readonly text?: string;
  readonly blob?: string;
}

/** One block of a tool's answer. */
export type McpContent = McpTextContent | McpMediaContent | McpResourceLink | McpEmbeddedResource;

/** A tool's answer. */
export interface McpToolResult {
  content: McpContent[];
  /** The structured answer, when the tool gave one (checked against its output schema, if any). */
  structuredContent?: unknown;
  /** The tool failed; `content` says why. */
  isError: boolean;
}

/**
 * The tool return a model sees: the structured content when there is some; else the content, a
 * single text block as its string and several blocks as an array of plain JSON items. A tool
 * error becomes a ModelRetry, so the model gets its text as a retry prompt.
 */
export function toolReturnOf(result: McpToolResult): unknown {
  if (result.isError) throw new ModelRetry(errorText(result));
  if (result.structuredContent !== undefined) return result.structuredContent;
  const [first] = result.content;
  if (result.content.length === 1 && first!.type === 'text') return first!.text;
  return result.content.map(itemOf);
}

/** What a tool error says: its text blocks, or a stand-in when it has none. */
function errorText(result: McpToolResult): string {
  const text = result.content.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('\n');
  return text === '' ? 'The tool failed without saying why.' : text;
}

/**
 * One block as a plain JSON item. Images and sounds are described, not included: tool returns go
 * to the model as JSON text, where base64 would be thousands of tokens of noise the model cannot
 * see as an image; what it can use is that there was one, of which type and size.
 */
function itemOf(block: McpContent): unknown {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
    case 'audio':
      return { type: block.type, mimeType: block.mimeType, bytes: base64Size(block.data) };
    case 'resource_link':
      return withDefined({ type: 'resource_link', uri: block.uri, name: block.name, description: block.description, mimeType: block.mimeType });
    case 'resource':
      return block.text !== undefined
        ? withDefined({ type: 'resource', uri: block.uri, mimeType: block.mimeType, text: block.text })
        : withDefined({ type: 'resource', uri: block.uri, mimeType: block.mimeType, bytes: base64Size(block.blob ?? '') });
  }
}

/** The object without its undefined members (they would vanish from the JSON anyway). */
function withDefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** How many bytes a base64 text encodes. */
function base64Size(data: string): number {
  const digits = data.replace(/[^A-Za-z0-9+/_-]/g, '').length;
  return Math.floor((digits * 3) / 4);
}
