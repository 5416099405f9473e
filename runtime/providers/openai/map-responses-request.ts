/**
 * Neutral messages and request parameters to an OpenAI Responses API request body (`POST
 * /v1/responses`). Shared by the plain and the streaming call. The conversation goes in `input` as
 * items (messages, `function_call`, `function_call_output`, `reasoning`), the latest request's
 * instructions in `instructions`, native output in `text.format`.
 */
import type OpenAI from 'openai';
import { UnsupportedContentError } from '../../contract/errors.js';
import type { ModelMessage, ModelResponse, RequestPart, UserContent } from '../../contract/messages.js';
import { latestInstructions, retryPromptText, toolCallArgsJson, toolReturnText } from '../../contract/messages.js';
import type { ModelRequestParameters, ToolDefinition } from '../../contract/model.js';
import type { ModelSettings } from '../../contract/spec.js';
import { jsonTextOf, jsonValueTooDeep } from '../../stream/json-depth.js';
import { strictForm } from '../shared/strict-variants.js';
import { warnUnsupported } from '../shared/warnings.js';
import { responseItemIds } from './responses-item-ids.js';

type Body = OpenAI.Responses.ResponseCreateParamsNonStreaming;
type InputItem = OpenAI.Responses.ResponseInputItem;
type InputContent = OpenAI.Responses.ResponseInputContent;

/** The provider name used in warnings, errors and thinking parts: the models are OpenAI's. */
export const RESPONSES_PROVIDER = 'openai';

/** What the request mapping needs besides the messages: the model and how to chain responses. */
export interface ResponsesRequestOptions {
  /** `previous_response_id`: an id, or `auto` for the latest Responses API response in the history. */
  previousResponseId?: string | undefined;
  /** The reasoning summary asked for when `thinking` is set (default `auto`; `none` asks for none). */
  reasoningSummary?: 'auto' | 'concise' | 'detailed' | 'none' | undefined;
}

/** The request body of one call (without `stream`). */
export function responsesRequestBody(
  modelName: string,
  messages: readonly ModelMessage[],
  settings: ModelSettings | undefined,
  params: ModelRequestParameters,
  options: ResponsesRequestOptions,
  /** Collects the settings this provider ignores (they end up on the response). */
  warnings: string[] = [],
): Body {
  const chain = chainedHistory(messages, options.previousResponseId);
  const body: Body = { model: modelName, input: mapMessages(chain.messages) };
  // Only the latest request's instructions are sent: with previous_response_id the server does
  // not carry the earlier ones over either.
  const instructions = latestInstructions(messages);
  if (instructions !== undefined) body.instructions = instructions;
  if (chain.previousResponseId !== undefined) body.previous_response_id = chain.previousResponseId;
  const tools = [...params.functionTools, ...params.outputTools].map((t) => mapTool(t, warnings));
  if (tools.length > 0) {
    body.tools = tools;
    body.tool_choice = params.allowText ? 'auto' : 'required';
  }
  const format = textFormat(params);
  if (format) body.text = { format };
  applySettings(body, settings, options, tools.length > 0, warnings);
  return body;
}

/**
 * The part of the history to send, and the `previous_response_id` that stands for the rest: the
 * server already holds everything up to and including that response, so only what came after it
 * is sent. An explicit id that no response of the history carries is sent with the whole history.
 */
export function chainedHistory(
  messages: readonly ModelMessage[],
  option: string | undefined,
): { messages: readonly ModelMessage[]; previousResponseId?: string } {
  if (option === undefined) return { messages };
  let at = -1;
  for (let i = messages.length - 1; i >= 0 && at < 0; i--) {
    const m = messages[i]!;
    if (m.kind !== 'response' || m.providerResponseId === undefined) continue;
    // `auto` follows only responses of this API (`resp_...`): a Chat Completions id means nothing here.
    if (option === 'auto' ? m.providerResponseId.startsWith('resp_') : m.providerResponseId === option) at = i;
  }
  if (at < 0) return option === 'auto' ? { messages } : { messages, previousResponseId: option };
  return { messages: messages.slice(at + 1), previousResponseId: (messages[at] as ModelResponse).providerResponseId! };
}

function mapMessages(messages: readonly ModelMessage[]): InputItem[] {
  const out: InputItem[] = [];
  for (const message of messages) {
    if (message.kind === 'response') out.push(...responseItems(message));
    else for (const part of message.parts) out.push(requestPartItem(part));
  }
  return out;
}

function requestPartItem(part: RequestPart): InputItem {
  switch (part.kind) {
    case 'system-prompt':
      return { role: 'system', content: part.content };
    case 'user-prompt':
      return { role: 'user', content: typeof part.content === 'string' ? part.content : part.content.map(userContent) };
    case 'tool-return':
      return { type: 'function_call_output', call_id: part.toolCallId, output: toolReturnText(part) };
    case 'retry-prompt':
      return part.toolCallId !== undefined
        ? { type: 'function_call_output', call_id: part.toolCallId, output: retryPromptText(part) }
        : { role: 'user', content: retryPromptText(part) };
  }
}

function userContent(item: UserContent): InputContent {
  if (typeof item === 'string') return { type: 'input_text', text: item };
  switch (item.kind) {
    case 'image-url':
      return { type: 'input_image', image_url: item.url, detail: 'auto' };
    case 'document-url':
      // The Responses API fetches documents by URL itself: nothing to download here.
      return { type: 'input_file', file_url: item.url };
    case 'binary': {
      const dataUrl = `data:${item.mediaType};base64,${item.data}`;
      if (item.mediaType.startsWith('image/')) return { type: 'input_image', image_url: dataUrl, detail: 'auto' };
      const kind = item.mediaType.split('/')[0];
      if (kind === 'audio' || kind === 'video')
        throw new UnsupportedContentError(`OpenAI Responses models do not take ${kind} input (${item.mediaType}): use an OpenAI chat model for audio`);
      return { type: 'input_file', file_data: dataUrl, filename: item.identifier ?? defaultFilename(item.mediaType) };
    }
    case 'audio-url':
    case 'video-url': {
      // Message content takes text, images and files only (`input_audio` is not one of its parts).
      const kind = item.kind === 'audio-url' ? 'audio' : 'video';
      throw new UnsupportedContentError(`OpenAI Responses models do not take ${kind} input (${item.kind}): use an OpenAI chat model for audio`);
    }
  }
}

/** A file name for bytes sent without one (the API wants a name; its extension says the type). */
function defaultFilename(mediaType: string): string {
  if (mediaType === 'application/pdf') return 'document.pdf';
  if (mediaType === 'text/plain') return 'document.txt';
  const subtype = mediaType.split('/')[1]?.replace(/[^a-z0-9]/gi, '') ?? '';
  return subtype === '' ? 'document' : `document.${subtype}`;
}

/**
 * A response sent back as items, in part order. Reasoning goes back only when this API made it
 * (its item id, with the encrypted content, is what the model needs); reasoning from other
 * providers is left out, as the Chat Completions adapter leaves all reasoning out. Item ids of
 * messages and function calls are sent back too: the API refuses a reasoning item whose following
 * item is not the one it produced.
 */
function responseItems(response: ModelResponse): InputItem[] {
  const ids = responseItemIds(response);
  const out: InputItem[] = [];
  let textOrdinal = 0;
  for (const part of response.parts) {
    switch (part.kind) {
      case 'thinking': {
        if (part.provider !== RESPONSES_PROVIDER || part.id === undefined || part.redacted) break;
        const last = out.at(-1);
        // Each summary of a reasoning item is a part of its own; they go back as one item.
        const item: OpenAI.Responses.ResponseReasoningItem =
          last && 'type' in last && last.type === 'reasoning' && last.id === part.id ? last : { type: 'reasoning', id: part.id, summary: [] };
        if (item !== last) out.push(item);
        if (part.content !== '') item.summary.push({ type: 'summary_text', text: part.content });
        if (part.signature !== undefined) item.encrypted_content = part.signature;
        break;
      }
      case 'text': {
        const id = ids.messageIds[textOrdinal++];
        out.push(
          id !== undefined
            ? { type: 'message', role: 'assistant', id, status: 'completed', content: [{ type: 'output_text', text: part.content, annotations: [] }] }
            : { role: 'assistant', content: part.content },
        );
        break;
      }
      case 'tool-call': {
        const item: OpenAI.Responses.ResponseFunctionToolCall = {
          type: 'function_call',
          call_id: part.toolCallId,
          name: part.toolName,
          arguments: argumentsJson(part),
        };
        const id = ids.functionCallIds[part.toolCallId];
        if (id !== undefined) item.id = id;
        out.push(item);
        break;
      }
    }
  }
  return out;
}

/** The arguments of a call as JSON text (`{}` for none); deep values are written without recursion. */
function argumentsJson(part: Parameters<typeof toolCallArgsJson>[0]): string {
  const json = typeof part.args !== 'string' && jsonValueTooDeep(part.args) ? jsonTextOf(part.args) : toolCallArgsJson(part);
  return json.trim() === '' ? '{}' : json;
}

function mapTool(tool: ToolDefinition, warnings: string[]): OpenAI.Responses.FunctionTool {
  // Strict unless the tool says otherwise, when the schema takes the strict form.
  const strict = tool.strict !== false ? strictForm(tool.parametersJsonSchema, tool.strictParametersJsonSchema) : undefined;
  if (!strict && tool.strict === true)
    warnUnsupported(RESPONSES_PROVIDER, `strict mode for tool ${tool.name} (its schema cannot take the strict form)`, warnings);
  const fn: OpenAI.Responses.FunctionTool = {
    type: 'function',
    name: tool.name,
    parameters: (strict ?? tool.parametersJsonSchema) as Record<string, unknown>,
    strict: strict !== undefined,
  };
  if (tool.description !== undefined) fn.description = tool.description;
  return fn;
}

/** `text.format`: a JSON schema in native mode, JSON mode in prompted mode (the schema is in the instructions). */
function textFormat(params: ModelRequestParameters): OpenAI.Responses.ResponseFormatTextConfig | undefined {
  if (params.outputMode === 'prompted') return { type: 'json_object' };
  if (params.outputMode !== 'native' || !params.outputObject) return undefined;
  const output = params.outputObject;
  const strict = output.strict !== false ? strictForm(output.jsonSchema, output.strictJsonSchema) : undefined;
  const format: OpenAI.Responses.ResponseFormatTextJSONSchemaConfig = {
    type: 'json_schema',
    name: output.name,
    schema: (strict ?? output.jsonSchema) as Record<string, unknown>,
    strict: strict !== undefined,
  };
  if (output.description !== undefined) format.description = output.description;
  return format;
}

function applySettings(body: Body, settings: ModelSettings | undefined, options: ResponsesRequestOptions, hasTools: boolean, warnings: string[]): void {
  if (!settings) return;
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  if (settings.topP !== undefined) body.top_p = settings.topP;
  if (settings.maxTokens !== undefined) body.max_output_tokens = settings.maxTokens;
  if (settings.parallelToolCalls !== undefined && hasTools) body.parallel_tool_calls = settings.parallelToolCalls;
  // The Responses API has no stop sequences, seed or penalties (the Chat Completions API has).
  if (settings.stop !== undefined) warnUnsupported(RESPONSES_PROVIDER, 'stop sequences in the Responses API', warnings);
  if (settings.seed !== undefined) warnUnsupported(RESPONSES_PROVIDER, 'seed in the Responses API', warnings);
  if (settings.presencePenalty !== undefined) warnUnsupported(RESPONSES_PROVIDER, 'presencePenalty in the Responses API', warnings);
  if (settings.frequencyPenalty !== undefined) warnUnsupported(RESPONSES_PROVIDER, 'frequencyPenalty in the Responses API', warnings);
  if (settings.topK !== undefined) warnUnsupported(RESPONSES_PROVIDER, 'topK', warnings);
  if (settings.logitBias !== undefined) warnUnsupported(RESPONSES_PROVIDER, 'logitBias in the Responses API', warnings);
  const own = settings.providerOptions?.openai;
  if (own?.user !== undefined) body.user = own.user;
  if (own?.serviceTier !== undefined) body.service_tier = own.serviceTier;
  if (own?.store !== undefined) body.store = own.store;
  if (settings.thinking !== undefined) {
    const reasoning: OpenAI.Reasoning = {};
    if (settings.thinking.effort !== undefined) reasoning.effort = settings.thinking.effort;
    else warnUnsupported(RESPONSES_PROVIDER, 'thinking.budgetTokens (set thinking.effort for OpenAI models)', warnings);
    const summary = own?.reasoningSummary ?? options.reasoningSummary ?? 'auto';
    if (summary !== 'none') reasoning.summary = summary;
    body.reasoning = reasoning;
    // The encrypted reasoning lets it go back on the next turn even where the server keeps nothing.
    body.include = ['reasoning.encrypted_content'];
  } else if (own?.reasoningSummary !== undefined && own.reasoningSummary !== 'none') {
    // Reasoning models think without the setting too: asked for, their summary comes back.
    body.reasoning = { summary: own.reasoningSummary };
  }
  if (settings.extraBody !== undefined) Object.assign(body, settings.extraBody);
}
