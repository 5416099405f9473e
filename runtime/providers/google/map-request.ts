/**
 * Neutral messages and request parameters to a Gemini `generateContent` request (model, contents,
 * config), shared by the plain and the streaming call.
 *
 * Gemini wants instructions apart (`systemInstruction`), user and model turns (consecutive parts
 * of one side merged into one turn), tool results as `functionResponse` parts of a user turn, and
 * its thought signatures back on the parts they came with (see map-response.ts for how they are
 * kept in the neutral model). Thinking from another provider is dropped: Gemini cannot take it.
 */
import type { Content, FunctionDeclaration, GenerateContentConfig, GenerateContentParameters, Part, SafetySetting } from '@google/genai';
import type { ModelMessage, ModelResponse, RequestPart, ToolCallPart } from '../../contract/messages.js';
import { latestInstructions, retryPromptText, toolCallArgs, toolCallArgsJson } from '../../contract/messages.js';
import type { ModelRequestParameters, ToolDefinition } from '../../contract/model.js';
import type { JsonSchema, ModelSettings } from '../../contract/spec.js';
import { warnUnsupported } from '../shared/warnings.js';
import { geminiSchema } from '../../schema/gemini-schema.js';
import { isSignatureOnly } from './map-parts.js';
import { userContentPart } from './map-user-content.js';

/** What the model adds to every request besides the run's settings. */
export interface GoogleRequestDefaults {
  /** Gemini's safety thresholds, per harm category. */
  safetySettings?: SafetySetting[];
}

/** The parameters of one call (`config.abortSignal` and `config.httpOptions` are the caller's). */
export function requestParams(
  modelName: string,
  messages: readonly ModelMessage[],
  settings: ModelSettings | undefined,
  params: ModelRequestParameters,
  warnings: string[] = [],
  defaults: GoogleRequestDefaults = {},
): GenerateContentParameters {
  const { system, contents } = mapMessages(messages);
  const config: GenerateContentConfig = {};
  if (system !== '') config.systemInstruction = { parts: [{ text: system }] };
  const declarations = [...params.functionTools, ...params.outputTools].map((tool) => declaration(tool, warnings));
  if (declarations.length > 0) {
    config.tools = [{ functionDeclarations: declarations }];
    // ANY makes Gemini call a tool: when text cannot end the run, the output tools are the way out.
    config.toolConfig = { functionCallingConfig: { mode: (params.allowText ? 'AUTO' : 'ANY') as never } };
  }
  if (params.outputMode === 'native' && params.outputObject) {
    config.responseMimeType = 'application/json';
    const schema = schemaFor(params.outputObject.jsonSchema, params.outputObject.geminiJsonSchema, warnings);
    const description = params.outputObject.description;
    // Gemini has no field for the output's description (OpenAI has): it goes into the schema.
    config.responseJsonSchema = description !== undefined && isRecord(schema) && schema['description'] === undefined ? { ...schema, description } : schema;
  } else if (params.outputMode === 'prompted' && declarations.length === 0) {
    // The schema is in the instructions; JSON mode keeps the answer parseable. Gemini 2.x rejects
    // JSON mode together with function calling, so it is asked for only without tools.
    config.responseMimeType = 'application/json';
  }
  if (defaults.safetySettings !== undefined) config.safetySettings = defaults.safetySettings;
  applySettings(config, settings, declarations.length > 0, warnings);
  return { model: modelName, contents, config };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A schema in Gemini's subset: the generator's variant as it is (it already warned, located,
 * about what it dropped), else computed here, each keyword it had to drop reported. The generator
 * prepares variants only for agents whose definition names a Gemini model (and their tools and
 * delegates), so hand-written agents and runs that move another agent to Gemini come here.
 */
function schemaFor(schema: JsonSchema, prepared: JsonSchema | undefined, warnings: string[]): unknown {
  if (prepared !== undefined) return prepared;
  const { schema: subset, dropped } = geminiSchema(schema);
  for (const keyword of dropped)
    warnUnsupported('google', `the JSON Schema keyword ${keyword} (dropped from the schema sent; replies are still validated against it)`, warnings);
  return subset;
}

function declaration(tool: ToolDefinition, warnings: string[]): FunctionDeclaration {
  const out: FunctionDeclaration = { name: tool.name, parametersJsonSchema: schemaFor(tool.parametersJsonSchema, tool.geminiParametersJsonSchema, warnings) };
  if (tool.description !== undefined) out.description = tool.description;
  return out;
}

function applySettings(config: GenerateContentConfig, settings: ModelSettings | undefined, hasTools: boolean, warnings: string[]): void {
  if (!settings) return;
  if (settings.temperature !== undefined) config.temperature = settings.temperature;
  if (settings.topP !== undefined) config.topP = settings.topP;
  if (settings.maxTokens !== undefined) config.maxOutputTokens = settings.maxTokens;
  if (settings.stop !== undefined) config.stopSequences = settings.stop;
  if (settings.seed !== undefined) config.seed = settings.seed;
  if (settings.presencePenalty !== undefined) config.presencePenalty = settings.presencePenalty;
  if (settings.frequencyPenalty !== undefined) config.frequencyPenalty = settings.frequencyPenalty;
  if (settings.parallelToolCalls !== undefined && hasTools) warnUnsupported('google', 'parallelToolCalls', warnings);
  if (settings.topK !== undefined) config.topK = settings.topK;
  if (settings.logitBias !== undefined) warnUnsupported('google', 'logitBias', warnings);
  const own = settings.providerOptions?.google;
  // The run's safety thresholds replace the model's (a list per category, not a merge).
  if (own?.safetySettings !== undefined) config.safetySettings = own.safetySettings as SafetySetting[];
  if (own?.labels !== undefined) config.labels = own.labels;
  const thinking = settings.thinking;
  if (thinking?.budgetTokens !== undefined) config.thinkingConfig = { includeThoughts: true, thinkingBudget: thinking.budgetTokens };
  // A level is how Gemini 3 models take an effort; Gemini 2.5 models answer 400 to it (set a budget).
  else if (thinking?.effort !== undefined) config.thinkingConfig = { includeThoughts: true, thinkingLevel: thinking.effort.toUpperCase() as never };
}

function mapMessages(messages: readonly ModelMessage[]): { system: string; contents: Content[] } {
  const system: string[] = [];
  const contents: Content[] = [];
  const push = (role: 'user' | 'model', parts: Part[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts!.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of messages) {
    if (message.kind === 'response') {
      push('model', modelParts(message));
      continue;
    }
    const parts: Part[] = [];
    for (const part of message.parts) {
      if (part.kind === 'system-prompt') system.push(part.content);
      else parts.push(...requestParts(part));
    }
    push('user', parts);
  }
  // The latest request's instructions (only), after the system prompts.
  const instructions = latestInstructions(messages);
  if (instructions !== undefined) system.push(instructions);
  return { system: system.join('\n\n'), contents };
}

function requestParts(part: Exclude<RequestPart, { kind: 'system-prompt' }>): Part[] {
  switch (part.kind) {
    case 'user-prompt':
      return typeof part.content === 'string' ? [{ text: part.content }] : part.content.map(userContentPart);
    case 'tool-return':
      // Gemini wants an object: the result goes under `output`, as its documentation says.
      return [{ functionResponse: { id: part.toolCallId, name: part.toolName, response: { output: part.content } } }];
    case 'retry-prompt':
      return part.toolCallId !== undefined && part.toolName !== undefined
        ? [{ functionResponse: { id: part.toolCallId, name: part.toolName, response: { error: retryPromptText(part) } } }]
        : [{ text: retryPromptText(part) }];
  }
}

/** A response sent back as history: Gemini's own thoughts and signatures where they came. */
function modelParts(response: ModelResponse): Part[] {
  const parts: Part[] = [];
  for (const part of response.parts) {
    switch (part.kind) {
      case 'text':
        if (part.content !== '') parts.push({ text: part.content });
        break;
      case 'thinking': {
        if (part.provider !== 'google') break;
        if (isSignatureOnly(part)) {
          // The signature of the part before it (see map-parts.ts).
          const last = parts[parts.length - 1];
          if (last && last.thoughtSignature === undefined) last.thoughtSignature = part.signature;
          else parts.push({ text: '', thoughtSignature: part.signature });
        } else {
          parts.push({ text: part.content, thought: true, ...(part.signature !== undefined ? { thoughtSignature: part.signature } : {}) });
        }
        break;
      }
      case 'tool-call':
        parts.push({ functionCall: { id: part.toolCallId, name: part.toolName, args: argsObject(part) } });
        break;
      default:
        return unreachable(part);
    }
  }
  return parts;
}

function unreachable(part: never): never {
  throw new Error(`a response part Gemini cannot take: ${JSON.stringify(part)}`);
}

/**
 * A call's arguments as the object Gemini wants. Arguments that are not a JSON object (malformed
 * ones, already answered with a retry prompt) go back as `{"INVALID_JSON": <the text as sent>}`,
 * so the model sees what it sent.
 */
function argsObject(part: ToolCallPart): Record<string, unknown> {
  let args: unknown;
  try {
    args = toolCallArgs(part);
  } catch {
    args = undefined;
  }
  if (args !== null && typeof args === 'object' && !Array.isArray(args)) return args as Record<string, unknown>;
  return { INVALID_JSON: toolCallArgsJson(part) };
}
