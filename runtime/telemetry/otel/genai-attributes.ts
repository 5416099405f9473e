/**
 * The OpenTelemetry GenAI semantic conventions as this implementation emits them: attribute keys,
 * and the values derived from Schemantic's neutral data. Two generations, chosen per settings:
 * `latest` follows the conventions as of semantic-conventions v1.41.0 (`gen_ai.provider.name`,
 * content on `gen_ai.input.messages` / `gen_ai.output.messages` / `gen_ai.system_instructions`,
 * `gen_ai.tool.call.arguments` / `.result`, cache token counts, time to first chunk); `1.36` the
 * set before the v1.37 change (`gen_ai.system`, content as span events).
 */
import type { FinishReason, RequestUsage } from '../../contract/messages.js';
import type { ModelSettings } from '../../contract/spec.js';
import type { Attributes } from '@opentelemetry/api';

/** The version of the GenAI semantic conventions the `latest` set follows. */
export const GENAI_SEMCONV_VERSION = '1.41.0';

/** The instrumentation scope of every span and metric. */
export const SCOPE_NAME = 'schemantic';

/** Which attribute set a trace emits. */
export type Semconv = 'latest' | '1.36';

/** `gen_ai.provider.name` (latest) or `gen_ai.system` (1.36): the provider of a model. */
export function providerAttributes(semconv: Semconv, system: string): Attributes {
  return semconv === 'latest' ? { 'gen_ai.provider.name': system } : { 'gen_ai.system': system };
}

/** The request settings the conventions name, as `gen_ai.request.*`. */
export function settingsAttributes(settings: ModelSettings | undefined): Attributes {
  const out: Attributes = {};
  if (!settings) return out;
  if (settings.temperature !== undefined) out['gen_ai.request.temperature'] = settings.temperature;
  if (settings.maxTokens !== undefined) out['gen_ai.request.max_tokens'] = settings.maxTokens;
  if (settings.topP !== undefined) out['gen_ai.request.top_p'] = settings.topP;
  if (settings.seed !== undefined) out['gen_ai.request.seed'] = settings.seed;
  if (settings.stop !== undefined) out['gen_ai.request.stop_sequences'] = settings.stop;
  return out;
}

/** The conventions' finish reasons (`tool_call`, `content_filter`), from the message model's. */
export function finishReason(reason: FinishReason): string {
  return reason.replace('-', '_');
}

/** Token counts of a response: `gen_ai.usage.*` (cache figures in the latest set only). */
export function usageAttributes(semconv: Semconv, usage: RequestUsage): Attributes {
  const out: Attributes = { 'gen_ai.usage.input_tokens': usage.inputTokens, 'gen_ai.usage.output_tokens': usage.outputTokens };
  if (semconv === 'latest') {
    const read = usage.details?.['cacheReadTokens'];
    const write = usage.details?.['cacheWriteTokens'];
    if (read !== undefined) out['gen_ai.usage.cache_read.input_tokens'] = read;
    if (write !== undefined) out['gen_ai.usage.cache_creation.input_tokens'] = write;
  }
  return out;
}

/** `server.address` and `server.port` of a base URL (nothing of its path, query or credentials). */
export function serverAttributes(baseUrl: string): Attributes {
  try {
    const url = new URL(baseUrl);
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : undefined;
    return { 'server.address': url.hostname, ...(port !== undefined ? { 'server.port': port } : {}) };
  } catch {
    return {};
  }
}

/** The type of an error for `error.type`: its class name (`ModelHTTPError`), else `_OTHER`. */
export function errorType(error: unknown): string {
  if (error instanceof Error) return error.constructor.name || error.name || '_OTHER';
  return '_OTHER';
}
