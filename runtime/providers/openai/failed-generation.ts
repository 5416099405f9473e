/**
 * Groq checks tool calls against their schemas on its side: a call that fails the check (or a text
 * answer where a tool call was required) comes back as HTTP 400 `tool_use_failed`, with what the
 * model generated in `failed_generation`. As in the reference, that generation is taken as the
 * model's response (finish reason `error`), so the run validates it and asks the model to try
 * again within its retry budget, instead of failing on the first invalid call.
 */
import { ModelHTTPError } from '../../contract/errors.js';
import type { ModelResponse, ResponsePart } from '../../contract/messages.js';
import { bareResponse } from '../shared/cut-off.js';
import { isObject } from '../shared/provider-errors.js';
import { shortHash } from './short-hash.js';

/**
 * The response a `tool_use_failed` error stands for, or undefined for any other error: a tool call
 * when the failed generation is a call (`{"name": ..., "arguments": {...}}`), else its text, but
 * only where text is no answer (`allowText` false), so that the run asks again: where text is an
 * answer, a generation Groq refused (a call in malformed JSON) would end the run as its output.
 */
export function failedGenerationResponse(err: unknown, modelName: string, allowText: boolean): ModelResponse | undefined {
  if (!ModelHTTPError.isInstance(err) || err.status !== 400 || !isObject(err.body)) return undefined;
  const error = err.body['error'];
  if (!isObject(error) || error['code'] !== 'tool_use_failed' || typeof error['failed_generation'] !== 'string') return undefined;
  const generation = error['failed_generation'];
  const call = parseCall(generation);
  if (!call && allowText) return undefined;
  const parts: ResponsePart[] = call
    ? // The server assigned no id to a call it rejected: one is made from the generation, so the
      // retry prompt that answers it (and a replayed history) can refer to it.
      [{ kind: 'tool-call', toolName: call.name, args: call.arguments, toolCallId: `call_failed_${shortHash(generation)}` }]
    : generation !== ''
      ? [{ kind: 'text', content: generation }]
      : [];
  const response = bareResponse(modelName, { inputTokens: 0, outputTokens: 0 }, parts);
  response.finishReason = 'error';
  response.providerDetails = { errorCode: 'tool_use_failed', ...(typeof error['message'] === 'string' ? { errorMessage: error['message'] } : {}) };
  return response;
}

function parseCall(generation: string): { name: string; arguments: object } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(generation);
  } catch {
    return undefined;
  }
  if (!isObject(value) || typeof value['name'] !== 'string' || !isObject(value['arguments'])) return undefined;
  return { name: value['name'], arguments: value['arguments'] };
}
