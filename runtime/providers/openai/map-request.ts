/**
 * Neutral messages and request parameters to an OpenAI Chat Completions request body. Shared by
 * the plain and the streaming call; used for OpenAI and every OpenAI-compatible server (their
 * differences are in the provider profile).
 */
import type OpenAI from 'openai';
import { UnsupportedContentError } from '../../contract/errors.js';
import type { ModelMessage, ModelResponse, RequestPart, UserContent } from '../../contract/messages.js';
import { latestInstructions, responseText, retryPromptText, toolCallArgsJson, toolReturnText } from '../../contract/messages.js';
import { jsonTextOf, jsonValueTooDeep } from '../../stream/json-depth.js';
import type { ModelRequestParameters, OutputObjectDefinition, ToolDefinition } from '../../contract/model.js';
import type { ModelSettings } from '../../contract/spec.js';
import type { ProviderProfile } from '../shared/provider-profile.js';
import { strictForm } from '../shared/strict-variants.js';
import { warnUnsupported } from '../shared/warnings.js';
import { chatSettingsFields } from './chat-settings.js';
import { inputAudioFormat } from './input-audio.js';
import { isTextLikeMediaType, textDocumentPart } from './text-documents.js';

type Body = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
type Message = OpenAI.Chat.ChatCompletionMessageParam;
type ContentPart = OpenAI.Chat.ChatCompletionContentPart;

/** The request body of one call (without `stream`). */
export function requestBody(
  modelName: string,
  profile: ProviderProfile,
  messages: readonly ModelMessage[],
  settings: ModelSettings | undefined,
  params: ModelRequestParameters,
  /** Collects the settings this provider ignores (they end up on the response). */
  warnings: string[] = [],
): Body {
  const body: Body = { model: modelName, messages: mapMessages(messages, profile) };
  const tools = [...params.functionTools, ...params.outputTools].map((t) => mapTool(t, profile, warnings));
  if (tools.length > 0) {
    body.tools = tools;
    body.tool_choice = params.allowText ? 'auto' : 'required';
  }
  const format = responseFormat(params, profile, warnings);
  if (format) body.response_format = format;
  applySettings(body, settings, profile, tools.length > 0, warnings);
  return body;
}

function mapMessages(messages: readonly ModelMessage[], profile: ProviderProfile): Message[] {
  const out: Message[] = [];
  for (const message of messages) {
    if (message.kind === 'response') out.push(assistantMessage(message, profile));
    else for (const part of message.parts) out.push(requestPartMessage(part, profile));
  }
  // The latest request's instructions (only), after the leading system prompts, as the reference does.
  const instructions = latestInstructions(messages);
  if (instructions !== undefined) {
    const role = profile.systemRole ?? 'system';
    let at = 0;
    while (at < out.length && out[at]!.role === role) at++;
    out.splice(at, 0, { role, content: instructions } as Message);
  }
  return out;
}

function requestPartMessage(part: RequestPart, profile: ProviderProfile): Message {
  switch (part.kind) {
    case 'system-prompt':
      return { role: profile.systemRole ?? 'system', content: part.content } as Message;
    case 'user-prompt':
      return { role: 'user', content: typeof part.content === 'string' ? part.content : part.content.map((item) => userContent(item, profile)) };
    case 'tool-return':
      return { role: 'tool', tool_call_id: callId(part.toolCallId), content: toolReturnText(part) };
    case 'retry-prompt':
      return part.toolCallId !== undefined
        ? { role: 'tool', tool_call_id: callId(part.toolCallId), content: retryPromptText(part) }
        : { role: 'user', content: retryPromptText(part) };
  }
}

function userContent(item: UserContent, profile: ProviderProfile): ContentPart {
  if (typeof item === 'string') return { type: 'text', text: item };
  switch (item.kind) {
    case 'image-url':
      return { type: 'image_url', image_url: { url: item.url } };
    case 'binary': {
      if (item.mediaType.startsWith('image/')) return { type: 'image_url', image_url: { url: `data:${item.mediaType};base64,${item.data}` } };
      if (item.mediaType === 'application/pdf' && profile.fileInput) {
        return { type: 'file', file: { file_data: `data:${item.mediaType};base64,${item.data}`, filename: item.identifier ?? 'document.pdf' } };
      }
      const audio = inputAudioFormat(item.mediaType);
      if (audio !== undefined) return { type: 'input_audio', input_audio: { data: item.data, format: audio } };
      // No content part takes text files: they go in as framed text, on every OpenAI-compatible API.
      if (isTextLikeMediaType(item.mediaType)) return textDocumentPart(item.data, item.mediaType, item.identifier);
      if (/^(audio|video)\//.test(item.mediaType))
        throw new UnsupportedContentError(`${profile.name} chat models take WAV and MP3 audio and no video, not ${item.mediaType} (binary)`);
      throw new UnsupportedContentError(`${profile.name} chat models take images${profile.fileInput ? ', PDF' : ''} and text files, not ${item.mediaType}`);
    }
    case 'document-url':
      // OpenAIChatModel downloads documents by URL first where the provider takes files (download-url-content.ts).
      throw new UnsupportedContentError(
        `${profile.name} chat models do not take documents by URL (document-url): ${profile.fileInput ? 'download it and pass its bytes' : 'they take no PDF files'}`,
      );
    case 'audio-url':
      // Likewise for WAV and MP3 audio by URL: what arrives here is audio of another type, or not downloaded.
      throw new UnsupportedContentError(`${profile.name} chat models take WAV and MP3 audio as bytes, not ${item.mediaType ?? 'audio'} by URL (audio-url)`);
    case 'video-url':
      throw new UnsupportedContentError(`${profile.name} chat models do not take video (video-url)`);
  }
}

/**
 * A response sent back as history. Thinking is left out (the Chat Completions API takes no
 * reasoning back), except a provider's own reasoning on a turn that calls tools where the
 * provider asks for it (DeepSeek's thinking mode).
 */
function assistantMessage(response: ModelResponse, profile: ProviderProfile): Message {
  const text = responseText(response);
  const calls = response.parts.flatMap((p) =>
    p.kind === 'tool-call' ? [{ id: callId(p.toolCallId), type: 'function' as const, function: { name: p.toolName, arguments: argumentsJson(p) } }] : [],
  );
  const message: OpenAI.Chat.ChatCompletionAssistantMessageParam = { role: 'assistant', content: text === '' && calls.length > 0 ? null : text };
  if (calls.length > 0) message.tool_calls = calls;
  if (calls.length > 0 && profile.reasoningWithToolCalls && profile.reasoningField) {
    const reasoning = response.parts.flatMap((p) => (p.kind === 'thinking' && p.provider === profile.name ? [p.content] : [])).join('');
    if (reasoning !== '') (message as unknown as Record<string, unknown>)[profile.reasoningField] = reasoning;
  }
  return message;
}

/**
 * The arguments of a call as JSON text (a call without arguments, `''` from some providers, is
 * `{}`). Arguments held as a value nested past the depth limit are written without recursion: the
 * SDK's JSON.stringify of the body only sees their text.
 */
function argumentsJson(part: Parameters<typeof toolCallArgsJson>[0]): string {
  const json = typeof part.args !== 'string' && jsonValueTooDeep(part.args) ? jsonTextOf(part.args) : toolCallArgsJson(part);
  return json.trim() === '' ? '{}' : json;
}

/**
 * Tool call ids from other providers can be longer than OpenAI's 40 characters: shorten such ids
 * the same way in the call and in its result, so they still match.
 */
function callId(id: string): string {
  if (id.length <= 40) return id;
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (Math.imul(hash, 31) + id.charCodeAt(i)) | 0;
  return `${id.slice(0, 31)}_${(hash >>> 0).toString(16).padStart(8, '0')}`;
}

function mapTool(tool: ToolDefinition, profile: ProviderProfile, warnings: string[]): OpenAI.Chat.ChatCompletionTool {
  const fn: OpenAI.FunctionDefinition = { name: tool.name, parameters: tool.parametersJsonSchema as Record<string, unknown> };
  if (tool.description !== undefined) fn.description = tool.description;
  // Strict unless the tool says otherwise, when the provider and the schema allow it.
  const strict = profile.strict && tool.strict !== false ? strictForm(tool.parametersJsonSchema, tool.strictParametersJsonSchema) : undefined;
  if (strict) {
    fn.parameters = strict as Record<string, unknown>;
    fn.strict = true;
  } else if (tool.strict === true) {
    warnUnsupported(profile.name, profile.strict ? `strict mode for tool ${tool.name} (its schema cannot take the strict form)` : 'strict tools', warnings);
  }
  return { type: 'function', function: fn };
}

function responseFormat(params: ModelRequestParameters, profile: ProviderProfile, warnings: string[]): Body['response_format'] {
  if (params.outputMode === 'prompted') return { type: 'json_object' };
  if (params.outputMode !== 'native' || !params.outputObject) return undefined;
  if (!profile.jsonSchemaOutput) {
    // The schema is in the instructions' place for such servers: ask for JSON at least.
    warnUnsupported(profile.name, 'native output (response_format json_schema); using json_object', warnings);
    return { type: 'json_object' };
  }
  return { type: 'json_schema', json_schema: jsonSchemaFormat(params.outputObject, profile) };
}

function jsonSchemaFormat(output: OutputObjectDefinition, profile: ProviderProfile): OpenAI.ResponseFormatJSONSchema['json_schema'] {
  const strict = profile.strict && output.strict !== false ? strictForm(output.jsonSchema, output.strictJsonSchema) : undefined;
  const format: OpenAI.ResponseFormatJSONSchema['json_schema'] = {
    name: output.name,
    schema: (strict ?? output.jsonSchema) as Record<string, unknown>,
    strict: strict !== undefined,
  };
  if (output.description !== undefined) format.description = output.description;
  return format;
}

function applySettings(body: Body, settings: ModelSettings | undefined, profile: ProviderProfile, hasTools: boolean, warnings: string[]): void {
  if (!settings) return;
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  if (settings.topP !== undefined) body.top_p = settings.topP;
  if (settings.maxTokens !== undefined) {
    if (profile.maxTokensField === 'max_completion_tokens') body.max_completion_tokens = settings.maxTokens;
    else body.max_tokens = settings.maxTokens;
  }
  if (settings.stop !== undefined) body.stop = settings.stop;
  if (settings.seed !== undefined) body.seed = settings.seed;
  if (settings.parallelToolCalls !== undefined && hasTools) body.parallel_tool_calls = settings.parallelToolCalls;
  if (settings.presencePenalty !== undefined) body.presence_penalty = settings.presencePenalty;
  if (settings.frequencyPenalty !== undefined) body.frequency_penalty = settings.frequencyPenalty;
  // Thinking, top_k, logit_bias and OpenAI's own options: each provider's form, or a warning.
  Object.assign(body, chatSettingsFields(settings, profile, warnings));
  // Last, so that a provider's own parameter can also replace one the adapter wrote.
  if (settings.extraBody !== undefined) Object.assign(body, settings.extraBody);
}
