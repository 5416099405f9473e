/**
 * Neutral messages and request parameters to an Anthropic Messages request body, shared by the
 * plain and the streaming call.
 *
 * Anthropic wants instructions apart (`system`), strictly alternating user and assistant turns
 * (consecutive parts of one side are merged into one turn), tool results inside a user turn, and
 * its own thinking blocks sent back unchanged with their signatures. Thinking from another
 * provider is dropped: Anthropic only accepts the thinking it signed.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { UnsupportedContentError, UserError } from '../../contract/errors.js';
import type { ModelMessage, ModelResponse, RequestPart, UserContent } from '../../contract/messages.js';
import { latestInstructions, retryPromptText, toolCallArgs, toolCallArgsJson, toolReturnText } from '../../contract/messages.js';
import { jsonTextTooDeep, jsonValueTooDeep } from '../../stream/json-depth.js';
import type { ModelRequestParameters, ToolDefinition } from '../../contract/model.js';
import type { AnthropicProviderOptions } from '../../contract/provider-options.js';
import type { ModelSettings } from '../../contract/spec.js';
import { closedForm } from '../shared/strict-variants.js';
import { warnUnsupported } from '../shared/warnings.js';

type Body = Anthropic.MessageCreateParamsNonStreaming;
type Block = Anthropic.ContentBlockParam;

/**
 * `max_tokens` when the settings give none (Anthropic requires one): room for an answer, on top of
 * the thinking budget when there is one (the budget counts toward the limit and must stay below it).
 */
const DEFAULT_MAX_TOKENS = 4096;

/** The request body of one call (without `stream`). */
export function requestBody(
  modelName: string,
  messages: readonly ModelMessage[],
  settings: ModelSettings | undefined,
  params: ModelRequestParameters,
  warnings: string[] = [],
): Body {
  const { system, turns } = mapMessages(messages);
  const budget = settings?.thinking?.budgetTokens;
  if (budget !== undefined && settings?.maxTokens !== undefined && settings.maxTokens <= budget) {
    throw new UserError(`maxTokens (${settings.maxTokens}) must be above thinking.budgetTokens (${budget}): the thinking budget counts toward it`);
  }
  const body: Body = { model: modelName, max_tokens: settings?.maxTokens ?? (budget ?? 0) + DEFAULT_MAX_TOKENS, messages: turns };
  if (system !== '') body.system = system;
  const tools = [...params.functionTools, ...params.outputTools].map(mapTool);
  const thinking = settings?.thinking;
  if (tools.length > 0) {
    body.tools = tools;
    // With thinking on, Anthropic allows only `auto`: the output tools are still the only way to end.
    const choice: Anthropic.ToolChoice =
      params.allowText || thinking?.budgetTokens !== undefined || thinking?.effort !== undefined ? { type: 'auto' } : { type: 'any' };
    if (settings?.parallelToolCalls === false) (choice as Anthropic.ToolChoiceAuto).disable_parallel_tool_use = true;
    body.tool_choice = choice;
  }
  if (params.outputMode === 'native' && params.outputObject) {
    body.output_config = { format: { type: 'json_schema', schema: closedForm(params.outputObject.jsonSchema) as Record<string, unknown> } };
  }
  applySettings(body, settings, warnings);
  return body;
}

function applySettings(body: Body, settings: ModelSettings | undefined, warnings: string[]): void {
  if (!settings) return;
  // The Messages API (version 2026-10-21, SDK 1.x) no longer takes sampling parameters.
  if (settings.temperature !== undefined) warnUnsupported('anthropic', 'temperature', warnings);
  if (settings.topP !== undefined) warnUnsupported('anthropic', 'topP', warnings);
  if (settings.stop !== undefined) body.stop_sequences = settings.stop;
  if (settings.seed !== undefined) warnUnsupported('anthropic', 'seed', warnings);
  if (settings.topK !== undefined) warnUnsupported('anthropic', 'topK', warnings);
  // Penalties and logit bias were never Messages API parameters.
  if (settings.presencePenalty !== undefined) warnUnsupported('anthropic', 'presencePenalty', warnings);
  if (settings.frequencyPenalty !== undefined) warnUnsupported('anthropic', 'frequencyPenalty', warnings);
  if (settings.logitBias !== undefined) warnUnsupported('anthropic', 'logitBias', warnings);
  applyAnthropicOptions(body, settings.providerOptions?.anthropic);
  const thinking = settings.thinking;
  if (thinking?.budgetTokens !== undefined) body.thinking = { type: 'enabled', budget_tokens: thinking.budgetTokens };
  else if (thinking?.effort !== undefined) {
    // An effort without a budget: the model decides how much to think (adaptive thinking).
    body.thinking = { type: 'adaptive' };
    body.output_config = { ...body.output_config, effort: thinking.effort === 'minimal' ? 'low' : thinking.effort };
  }
  // Last, so that a parameter of the API the settings do not name can also replace one written here.
  if (settings.extraBody !== undefined) Object.assign(body, settings.extraBody);
}

/** `providerOptions.anthropic`: the end user's id, the instructions' cache breakpoint, the service tier. */
function applyAnthropicOptions(body: Body, options: AnthropicProviderOptions | undefined): void {
  if (!options) return;
  if (options.userId !== undefined) body.metadata = { user_id: options.userId };
  if (options.serviceTier !== undefined) body.service_tier = options.serviceTier;
  const cache = options.cacheInstructions;
  if (cache !== undefined && cache !== false && typeof body.system === 'string' && body.system !== '') {
    // A breakpoint on the (one) system block caches everything up to it: tools and instructions.
    const control: Anthropic.CacheControlEphemeral = cache === true ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: cache };
    body.system = [{ type: 'text', text: body.system, cache_control: control }];
  }
}

function mapMessages(messages: readonly ModelMessage[]): { system: string; turns: Anthropic.MessageParam[] } {
  const system: string[] = [];
  const turns: Anthropic.MessageParam[] = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    if (blocks.length === 0) return;
    const last = turns[turns.length - 1];
    if (last && last.role === role) (last.content as Block[]).push(...blocks);
    else turns.push({ role, content: blocks });
  };
  for (const message of messages) {
    if (message.kind === 'response') {
      push('assistant', assistantBlocks(message));
      continue;
    }
    const blocks: Block[] = [];
    for (const part of message.parts) {
      if (part.kind === 'system-prompt') system.push(part.content);
      else blocks.push(...requestBlocks(part));
    }
    push('user', blocks);
  }
  // The latest request's instructions (only), after the system prompts.
  const instructions = latestInstructions(messages);
  if (instructions !== undefined) system.push(instructions);
  return { system: system.join('\n\n'), turns };
}

function requestBlocks(part: Exclude<RequestPart, { kind: 'system-prompt' }>): Block[] {
  switch (part.kind) {
    case 'user-prompt':
      return typeof part.content === 'string' ? [{ type: 'text', text: part.content }] : part.content.map(userContent);
    case 'tool-return':
      return [{ type: 'tool_result', tool_use_id: toolUseId(part.toolCallId), content: toolReturnText(part), is_error: false }];
    case 'retry-prompt':
      return part.toolCallId !== undefined
        ? [{ type: 'tool_result', tool_use_id: toolUseId(part.toolCallId), content: retryPromptText(part), is_error: true }]
        : [{ type: 'text', text: retryPromptText(part) }];
  }
}

function userContent(item: UserContent): Block {
  if (typeof item === 'string') return { type: 'text', text: item };
  switch (item.kind) {
    case 'image-url':
      return { type: 'image', source: { type: 'url', url: item.url } };
    case 'document-url':
      if (item.mediaType !== undefined && item.mediaType !== 'application/pdf')
        throw new UnsupportedContentError(`Anthropic takes PDF documents by URL, not ${item.mediaType}`);
      return { type: 'document', source: { type: 'url', url: item.url } };
    case 'binary':
      if (/^image\/(jpeg|png|gif|webp)$/.test(item.mediaType)) {
        return { type: 'image', source: { type: 'base64', media_type: item.mediaType as 'image/png', data: item.data } };
      }
      if (item.mediaType === 'application/pdf') return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: item.data } };
      if (item.mediaType === 'text/plain')
        return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: Buffer.from(item.data, 'base64').toString('utf8') } };
      throw new UnsupportedContentError(`Anthropic models take JPEG, PNG, GIF and WebP images, PDF and plain text documents, not ${item.mediaType}`);
    case 'audio-url':
    case 'video-url':
      // The Messages API has no audio or video blocks, by URL or otherwise.
      throw new UnsupportedContentError(`Anthropic models take no ${item.kind === 'audio-url' ? 'audio' : 'video'} (${item.kind})`);
  }
}

function assistantBlocks(response: ModelResponse): Block[] {
  const blocks: Block[] = [];
  for (const part of response.parts) {
    switch (part.kind) {
      case 'text':
        if (part.content !== '') blocks.push({ type: 'text', text: part.content });
        break;
      case 'thinking':
        // Only Anthropic's own thinking goes back, as it was signed.
        if (part.provider !== 'anthropic') break;
        if (part.redacted) blocks.push({ type: 'redacted_thinking', data: part.content });
        else if (part.signature !== undefined) blocks.push({ type: 'thinking', thinking: part.content, signature: part.signature });
        break;
      case 'tool-call':
        blocks.push({ type: 'tool_use', id: toolUseId(part.toolCallId), name: part.toolName, input: inputObject(part) });
        break;
      default:
        return unreachable(part);
    }
  }
  return blocks;
}

function unreachable(part: never): never {
  throw new UnsupportedContentError(`a response part Anthropic cannot take: ${JSON.stringify(part)}`);
}

/**
 * A call's arguments as the object Anthropic wants. Arguments that are not a JSON object (malformed
 * ones, already retried) go back as `{"INVALID_JSON": <the text as sent>}`, as in the reference:
 * the model sees what it sent, and Anthropic gets the object it requires. Arguments nested past the
 * depth limit, which the SDK's JSON.stringify could not write, become `{}`.
 */
function inputObject(part: Parameters<typeof toolCallArgs>[0]): Record<string, unknown> {
  if (typeof part.args === 'string' ? jsonTextTooDeep(part.args) : jsonValueTooDeep(part.args)) return {};
  let args: unknown;
  try {
    args = toolCallArgs(part);
  } catch {
    args = undefined;
  }
  if (args !== null && typeof args === 'object' && !Array.isArray(args)) return args as Record<string, unknown>;
  return { [INVALID_JSON_KEY]: toolCallArgsJson(part) };
}

/** The key under which arguments that are not a JSON object go back (the reference's name). */
const INVALID_JSON_KEY = 'INVALID_JSON';

/**
 * Ids from other providers may hold characters Anthropic refuses. Each such character is written
 * `_x<hex>_`, so two different ids never become one; the same in a call and in its result.
 */
function toolUseId(id: string): string {
  if (id === '') return 'call_';
  return id.replace(/[^A-Za-z0-9_-]|_(?=x[0-9a-f]+_)/g, (c) => `_x${c.charCodeAt(0).toString(16)}_`);
}

function mapTool(tool: ToolDefinition): Anthropic.Tool {
  // Anthropic's strict tools, like its structured output, want every object closed.
  const schema = tool.strict === true ? closedForm(tool.parametersJsonSchema) : tool.parametersJsonSchema;
  const out: Anthropic.Tool = { name: tool.name, input_schema: schema as Anthropic.Tool.InputSchema };
  if (tool.description !== undefined) out.description = tool.description;
  if (tool.strict === true) out.strict = true;
  return out;
}
