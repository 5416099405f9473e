/**
 * The keys of `model_settings` and `usage_limits`: the name in the IR (camelCase) and in the
 * definitions format (snake_case), in the order the reference lists them (`top_k` beside `top_p`).
 */
import type { IRModelSettings, IRUsageLimits } from './types.js';

/** `model_settings` keys, as [IR name, definitions key]. */
export const MODEL_SETTING_KEYS: readonly (readonly [keyof IRModelSettings, string])[] = [
  ['temperature', 'temperature'],
  ['maxTokens', 'max_tokens'],
  ['topP', 'top_p'],
  ['topK', 'top_k'],
  ['stop', 'stop'],
  ['seed', 'seed'],
  ['timeout', 'timeout'],
  ['parallelToolCalls', 'parallel_tool_calls'],
  ['presencePenalty', 'presence_penalty'],
  ['frequencyPenalty', 'frequency_penalty'],
  ['logitBias', 'logit_bias'],
];

/** `usage_limits` keys, as [IR name, definitions key]. */
export const USAGE_LIMIT_KEYS: readonly (readonly [keyof IRUsageLimits, string])[] = [
  ['requests', 'requests'],
  ['toolCalls', 'tool_calls'],
  ['inputTokens', 'input_tokens'],
  ['outputTokens', 'output_tokens'],
  ['totalTokens', 'total_tokens'],
];
