/**
 * Neutral messages and request parameters to a Converse request, shared by the plain and the
 * streaming call.
 *
 * Converse wants instructions apart (`system`), alternating user and assistant turns (consecutive
 * parts of one side are merged into one turn), tool results inside a user turn, and the reasoning
 * it produced sent back as it came (with its signature, or as redacted bytes): Claude on Bedrock
 * rejects thinking it did not sign, so reasoning from another provider is dropped.
 */
import type { ContentBlock, ConverseRequest, Message, Tool, ToolConfiguration } from '@aws-sdk/client-bedrock-runtime';
import { UnsupportedContentError } from '../../contract/errors.js';
import type { ModelMessage, ModelResponse, RequestPart, ToolCallPart } from '../../contract/messages.js';
import { latestInstructions, retryPromptText, toolCallArgs, toolCallArgsJson, toolReturnText } from '../../contract/messages.js';
import type { ModelRequestParameters, ToolDefinition } from '../../contract/model.js';
import type { ModelSettings } from '../../contract/spec.js';
import { jsonTextTooDeep, jsonValueTooDeep } from '../../stream/json-depth.js';
import { closedForm } from '../shared/strict-variants.js';
import { warnUnsupported } from '../shared/warnings.js';
import { documentNames, userContentBlock, type DocumentNames } from './map-content.js';
import { modelFields, topKField } from './model-fields.js';

/** The provider name on thinking parts this adapter makes (only those are sent back). */
export const BEDROCK = 'bedrock';

/** The Converse request of one call (the same for ConverseStream). */
export function converseRequest(
  modelId: string,
  messages: readonly ModelMessage[],
  settings: ModelSettings | undefined,
  params: ModelRequestParameters,
  warnings: string[] = [],
): ConverseRequest {
  const { system, turns } = mapMessages(messages);
  const request: ConverseRequest = { modelId, messages: turns };
  if (system.length > 0) request.system = system.map((text) => ({ text }));
  const inference = {
    ...(settings?.maxTokens !== undefined ? { maxTokens: settings.maxTokens } : {}),
    ...(settings?.temperature !== undefined ? { temperature: settings.temperature } : {}),
    ...(settings?.topP !== undefined ? { topP: settings.topP } : {}),
    ...(settings?.stop !== undefined ? { stopSequences: settings.stop } : {}),
  };
  if (Object.keys(inference).length > 0) request.inferenceConfig = inference;
  if (settings?.seed !== undefined) warnUnsupported(BEDROCK, 'seed', warnings);
  // Converse has no switch for parallel tool calls.
  if (settings?.parallelToolCalls === false) warnUnsupported(BEDROCK, 'parallelToolCalls', warnings);
  // Penalties have no Converse field, and extra headers would need a signing middleware.
  if (settings?.presencePenalty !== undefined) warnUnsupported(BEDROCK, 'presencePenalty', warnings);
  if (settings?.frequencyPenalty !== undefined) warnUnsupported(BEDROCK, 'frequencyPenalty', warnings);
  if (settings?.extraHeaders !== undefined) warnUnsupported(BEDROCK, 'extraHeaders', warnings);
  if (settings?.logitBias !== undefined) warnUnsupported(BEDROCK, 'logitBias', warnings);
  const fields = modelFields(modelId, settings, warnings);
  // `extraBody` is what the model itself takes beyond Converse's fields: Bedrock's place for it.
  const additional = { ...fields.additionalModelRequestFields, ...topKField(modelId, settings?.topK, warnings), ...settings?.extraBody };
  if (Object.keys(additional).length > 0) request.additionalModelRequestFields = additional as never;
  const own = settings?.providerOptions?.bedrock;
  if (own?.guardrailConfig !== undefined) request.guardrailConfig = { ...own.guardrailConfig };
  if (own?.performanceConfig !== undefined) request.performanceConfig = { ...own.performanceConfig };
  if (own?.requestMetadata !== undefined) request.requestMetadata = { ...own.requestMetadata };
  const tools = [...params.functionTools, ...params.outputTools].map(mapTool);
  if (tools.length > 0) request.toolConfig = toolConfig(tools, params.allowText || fields.thinking);
  if (params.outputMode === 'native' && params.outputObject) {
    const output = params.outputObject;
    request.outputConfig = {
      textFormat: {
        type: 'json_schema',
        structure: {
          jsonSchema: {
            // Bedrock takes the schema as a JSON string, with every object closed.
            schema: JSON.stringify(closedForm(output.jsonSchema)),
            name: output.name,
            ...(output.description !== undefined ? { description: output.description } : {}),
          },
        },
      },
    };
  }
  return request;
}

/**
 * `any` makes the model call a tool (the output tools are the only way to end); with thinking on,
 * Claude allows only `auto`, as on Anthropic's own API.
 */
function toolConfig(tools: Tool[], auto: boolean): ToolConfiguration {
  return { tools, toolChoice: auto ? { auto: {} } : { any: {} } };
}

function mapTool(tool: ToolDefinition): Tool {
  return {
    toolSpec: {
      name: tool.name,
      ...(tool.description !== undefined && tool.description !== '' ? { description: tool.description } : {}),
      inputSchema: { json: tool.parametersJsonSchema as never },
      // Only when asked for: not every model on Bedrock takes strict tools.
      ...(tool.strict === true ? { strict: true } : {}),
    },
  };
}

function mapMessages(messages: readonly ModelMessage[]): { system: string[]; turns: Message[] } {
  const system: string[] = [];
  const turns: Message[] = [];
  const names = documentNames();
  const push = (role: 'user' | 'assistant', blocks: ContentBlock[]) => {
    if (blocks.length === 0) return;
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content!.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  for (const message of messages) {
    if (message.kind === 'response') {
      push('assistant', assistantBlocks(message));
      continue;
    }
    const blocks: ContentBlock[] = [];
    for (const part of message.parts) {
      if (part.kind === 'system-prompt') system.push(part.content);
      else blocks.push(...requestBlocks(part, names));
    }
    push('user', blocks);
  }
  // The latest request's instructions (only), after the system prompts.
  const instructions = latestInstructions(messages);
  if (instructions !== undefined && instructions !== '') system.push(instructions);
  return { system, turns };
}

function requestBlocks(part: Exclude<RequestPart, { kind: 'system-prompt' }>, names: DocumentNames): ContentBlock[] {
  switch (part.kind) {
    case 'user-prompt':
      return typeof part.content === 'string' ? [{ text: part.content }] : part.content.map((item) => userContentBlock(item, names));
    case 'tool-return':
      return [{ toolResult: { toolUseId: toolUseId(part.toolCallId), content: [{ text: toolReturnText(part) }], status: 'success' } }];
    case 'retry-prompt':
      return part.toolCallId !== undefined
        ? [{ toolResult: { toolUseId: toolUseId(part.toolCallId), content: [{ text: retryPromptText(part) }], status: 'error' } }]
        : [{ text: retryPromptText(part) }];
  }
}

function assistantBlocks(response: ModelResponse): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  for (const part of response.parts) {
    switch (part.kind) {
      case 'text':
        // Converse rejects empty text blocks.
        if (part.content !== '') blocks.push({ text: part.content });
        break;
      case 'thinking':
        if (part.provider !== BEDROCK) break;
        if (part.redacted) blocks.push({ reasoningContent: { redactedContent: Buffer.from(part.content, 'base64') } });
        else
          blocks.push({ reasoningContent: { reasoningText: { text: part.content, ...(part.signature !== undefined ? { signature: part.signature } : {}) } } });
        break;
      case 'tool-call':
        blocks.push({ toolUse: { toolUseId: toolUseId(part.toolCallId), name: part.toolName, input: inputObject(part) as never } });
        break;
      default:
        return unreachable(part);
    }
  }
  return blocks;
}

function unreachable(part: never): never {
  throw new UnsupportedContentError(`a response part Bedrock cannot take: ${JSON.stringify(part)}`);
}

/**
 * A call's arguments as the object Converse wants. Arguments that are not a JSON object (malformed
 * ones, already retried) go back as `{"INVALID_JSON": <the text as sent>}`, as the Anthropic
 * adapter does; arguments nested past the depth limit become `{}`.
 */
function inputObject(part: ToolCallPart): Record<string, unknown> {
  if (typeof part.args === 'string' ? jsonTextTooDeep(part.args) : jsonValueTooDeep(part.args)) return {};
  let args: unknown;
  try {
    args = toolCallArgs(part);
  } catch {
    args = undefined;
  }
  if (args !== null && typeof args === 'object' && !Array.isArray(args)) return args as Record<string, unknown>;
  return { INVALID_JSON: toolCallArgsJson(part) };
}

/**
 * Converse tool-use ids must match `[a-zA-Z0-9_-]+`: each other character of an id from another
 * provider is written `_x<hex>_`, so two different ids never become one.
 */
function toolUseId(id: string): string {
  if (id === '') return 'call_';
  return id.replace(/[^A-Za-z0-9_-]|_(?=x[0-9a-f]+_)/g, (c) => `_x${c.charCodeAt(0).toString(16)}_`);
}
