/**
 * The provider-neutral message model: what an agent run sends and receives, as plain JSON.
 *
 * A conversation is a list of requests (what we send: instructions, the user's prompt, tool
 * results, retry prompts) and responses (what the model sends: text, tool calls, thinking). Every
 * adapter translates to and from this model, so a history started on one provider continues on
 * another, and `JSON.stringify` of a history is its serialised form (see messages-json.ts).
 */

/** The version of the serialised message format (bumped on incompatible changes). */
export const MESSAGES_FORMAT_VERSION = 1;

/** An image given to the model by URL. */
export interface ImageUrl {
  kind: 'image-url';
  url: string;
  /** IANA media type, when known (`image/png`). */
  mediaType?: string;
}

/** A document (PDF, text) given to the model by URL. */
export interface DocumentUrl {
  kind: 'document-url';
  url: string;
  mediaType?: string;
}

/**
 * Audio given to the model by URL. Providers that read URLs themselves (Gemini) get the URL; the
 * OpenAI Chat adapter downloads it and sends the bytes; others raise UnsupportedContentError.
 */
export interface AudioUrl {
  kind: 'audio-url';
  url: string;
  /** IANA media type, when known (`audio/wav`, `audio/mpeg`). */
  mediaType?: string;
}

/**
 * A video given to the model by URL (a web URL, a YouTube link, a Files API URI, `s3://` for
 * Bedrock): sent as a URL where the provider reads it, else UnsupportedContentError.
 */
export interface VideoUrl {
  kind: 'video-url';
  url: string;
  /** IANA media type, when known (`video/mp4`). */
  mediaType?: string;
}

/** An image, document, audio or video given to the model as bytes (base64 in JSON). */
export interface BinaryContent {
  kind: 'binary';
  /** The bytes, base64-encoded. */
  data: string;
  mediaType: string;
  /** An optional name the model can refer to. */
  identifier?: string;
}

/** One item of a user prompt. */
export type UserContent = string | ImageUrl | DocumentUrl | AudioUrl | VideoUrl | BinaryContent;

/**
 * A system prompt: part of the conversation, stored in its history and sent with it on every
 * later turn (unlike a request's `instructions`).
 */
export interface SystemPromptPart {
  kind: 'system-prompt';
  content: string;
  /**
   * For system prompts that are re-evaluated on every run of a continued conversation: the key
   * that identifies them, so the new text replaces the old one.
   */
  dynamicRef?: string;
  timestamp: string;
}

/** What the user asked. */
export interface UserPromptPart {
  kind: 'user-prompt';
  content: string | UserContent[];
  timestamp: string;
}

/** The result of a tool call, sent back to the model. */
export interface ToolReturnPart {
  kind: 'tool-return';
  toolName: string;
  toolCallId: string;
  /** What the handler returned (JSON data). */
  content: unknown;
  timestamp: string;
}

/** One validation error in a retry prompt. */
export interface RetryDetail {
  /** JSON pointer of the offending value (`''` for the whole value). */
  path: string;
  message: string;
}

/** Asks the model to try again: after invalid arguments, an invalid output, or a ModelRetry. */
export interface RetryPromptPart {
  kind: 'retry-prompt';
  /** A message, or the list of validation errors. */
  content: string | RetryDetail[];
  /** The tool call being retried, when the retry is about one. */
  toolName?: string;
  toolCallId?: string;
  timestamp: string;
}

/** A part of a request. */
export type RequestPart = SystemPromptPart | UserPromptPart | ToolReturnPart | RetryPromptPart;

/** What we send to the model in one step. */
export interface ModelRequest {
  kind: 'request';
  parts: RequestPart[];
  /**
   * The instructions of the agent that sent this request, as sent (prompted-output instructions
   * included). Adapters send only the latest request's instructions (see
   * {@link latestInstructions}), as the system message: earlier requests' are a record of what
   * was in force then, never replayed, so a history continued by another agent carries that
   * agent's instructions only.
   */
  instructions?: string;
}

/** Text from the model. */
export interface TextPart {
  kind: 'text';
  content: string;
}

/** A tool call from the model. */
export interface ToolCallPart {
  kind: 'tool-call';
  toolName: string;
  /** The arguments: a JSON string as the model sent it, or an object (any JSON object). */
  args: string | object;
  toolCallId: string;
}

/** The model's reasoning, when the provider exposes it. */
export interface ThinkingPart {
  kind: 'thinking';
  content: string;
  /** The provider's signature of the thinking, sent back unchanged on the next turn. */
  signature?: string;
  /** Redacted thinking: `content` is the provider's opaque data, not text. */
  redacted?: boolean;
  /** The provider that produced it (thinking is only sent back to the same provider). */
  provider?: string;
  id?: string;
}

/** A part of a response. */
export type ResponsePart = TextPart | ToolCallPart | ThinkingPart;

/** Token counts of one request, or of a whole run (see usage.ts). */
export interface RequestUsage {
  inputTokens: number;
  outputTokens: number;
  /** Provider-specific figures: `cacheReadTokens`, `reasoningTokens`, ... */
  details?: Record<string, number>;
}

/** Why the model stopped. */
export type FinishReason = 'stop' | 'length' | 'tool-call' | 'content-filter' | 'error';

/** What the model sent back in one step. */
export interface ModelResponse {
  kind: 'response';
  parts: ResponsePart[];
  /** The model that answered (`gpt-4o-2024-08-06`, `test`). */
  modelName: string;
  timestamp: string;
  usage: RequestUsage;
  finishReason?: FinishReason;
  /** The provider's id of the response, for support requests and tracing. */
  providerResponseId?: string;
  /** Anything else the provider reported that does not fit the fields above. */
  providerDetails?: Record<string, unknown>;
  /** True when the response was cut short (a cancelled or broken stream). */
  interrupted?: boolean;
  /**
   * Settings of the request the provider could not honour and ignored (`anthropic does not
   * support temperature; it is ignored`): the run went on without them.
   */
  warnings?: string[];
}

/** One message of a conversation. */
export type ModelMessage = ModelRequest | ModelResponse;

let lastMs = 0;
let lastIso = '';

/** The current time, as messages record it (ISO 8601, UTC, millisecond precision). */
export function now(): string {
  // Formatting a date costs about a microsecond; a run stamps several parts per millisecond.
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/**
 * The instructions to send with a conversation: those of its latest request (none when that
 * request has none). Instructions of earlier requests are not sent.
 */
export function latestInstructions(messages: readonly ModelMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.kind === 'request') return message.instructions;
  }
  return undefined;
}

/** Text of a response: its text parts joined. */
export function responseText(response: ModelResponse): string {
  return response.parts
    .filter((p): p is TextPart => p.kind === 'text')
    .map((p) => p.content)
    .join('');
}

/** The tool calls of a response, in order. */
export function toolCalls(response: ModelResponse): ToolCallPart[] {
  return response.parts.filter((p): p is ToolCallPart => p.kind === 'tool-call');
}

/**
 * The arguments of a tool call as an object; throws a SyntaxError for malformed JSON. Blank text
 * reads as `{}`: models send an empty string for a call without arguments.
 */
export function toolCallArgs(part: ToolCallPart): unknown {
  // A copy: validators fill in defaults and coerce lax scalars in place, and the history must
  // keep the arguments as the model sent them.
  if (typeof part.args !== 'string') return structuredCloneSafe(part.args);
  return part.args.trim() === '' ? {} : JSON.parse(part.args);
}

/**
 * A deep copy of model-sent arguments. Arguments nested past what a copy can hold are returned as
 * they are: the depth check that follows turns them into a retry prompt before anything reads them.
 */
function structuredCloneSafe<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

/** The arguments of a tool call as a JSON string. */
export function toolCallArgsJson(part: ToolCallPart): string {
  return typeof part.args === 'string' ? part.args : JSON.stringify(part.args);
}

/** What a tool returned, as the text a provider's tool-result message carries. */
export function toolReturnText(part: ToolReturnPart): string {
  return typeof part.content === 'string' ? part.content : JSON.stringify(part.content);
}

/** Validation problems on one line, for error messages: `/a must be string; (root) must have b`. */
export function detailsText(details: readonly RetryDetail[]): string {
  return details.map((d) => `${d.path || '(root)'} ${d.message}`).join('; ');
}

/** The text a retry prompt shows the model. */
export function retryPromptText(part: RetryPromptPart): string {
  if (typeof part.content === 'string') return part.content;
  const errors = part.content.map((e) => `- ${e.path === '' ? '(root)' : e.path}: ${e.message}`).join('\n');
  return `Validation errors:\n${errors}\n\nFix the errors and try again.`;
}
