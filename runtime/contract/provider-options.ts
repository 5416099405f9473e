/**
 * Per-provider request options: the typed bag `ModelSettings.providerOptions`, one key per
 * provider. Each adapter reads only its own key, so one set of settings can carry options for
 * every model of a fallback chain; a field the adapter cannot send warns like any other setting.
 *
 * Plain data on purpose: the core imports no SDK, and these types must not either (an app that
 * uses one provider never installs another's SDK). `extraBody` stays the untyped escape hatch for
 * fields not named here.
 */

/** Options of OpenAI's own API (`openai:` chat models and the Responses API). */
export interface OpenAIProviderOptions {
  /** An id of the end user, sent as `user` (OpenAI uses it to detect abuse; no personal data). */
  user?: string;
  /** The processing tier, sent as `service_tier` (`flex` is cheaper and slower; `priority` faster). */
  serviceTier?: 'auto' | 'default' | 'flex' | 'scale' | 'priority';
  /** Whether OpenAI keeps the response (`store`), for its dashboard, evals, or `previous_response_id`. */
  store?: boolean;
  /**
   * The reasoning summary asked for when `thinking` is set (Responses API only): `auto`, `concise`,
   * `detailed`, or `none`. Wins over the model's `reasoningSummary` option for this run.
   */
  reasoningSummary?: 'auto' | 'concise' | 'detailed' | 'none';
}

/** Options of Anthropic's Messages API. */
export interface AnthropicProviderOptions {
  /** An opaque id of the end user, sent as `metadata.user_id` (Anthropic uses it to detect abuse). */
  userId?: string;
  /**
   * Caches the instructions (the `system` prompt): a cache breakpoint on its last block, for five
   * minutes (`true` or `5m`) or an hour (`1h`). Later requests that start the same read it from
   * the cache (`cacheReadTokens` in the usage).
   */
  cacheInstructions?: boolean | '5m' | '1h';
  /** `auto` may use priority capacity when the organisation has it; `standard_only` never does. */
  serviceTier?: 'auto' | 'standard_only';
}

/** A Gemini safety threshold for one harm category (`{category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH'}`). */
export interface GoogleSafetySetting {
  /** The harm category, as Gemini names it (`HARM_CATEGORY_HATE_SPEECH`, `HARM_CATEGORY_DANGEROUS_CONTENT`...). */
  category: `HARM_CATEGORY_${string}`;
  /** From which probability to block (`BLOCK_LOW_AND_ABOVE`, `BLOCK_MEDIUM_AND_ABOVE`, `BLOCK_ONLY_HIGH`, `BLOCK_NONE`, `OFF`). */
  threshold: 'BLOCK_LOW_AND_ABOVE' | 'BLOCK_MEDIUM_AND_ABOVE' | 'BLOCK_ONLY_HIGH' | 'BLOCK_NONE' | 'OFF';
}

/** Options of the Gemini API (and Vertex AI through the same SDK). */
export interface GoogleProviderOptions {
  /** Safety thresholds for this run; they replace the model's `safetySettings` option. */
  safetySettings?: GoogleSafetySetting[];
  /** Labels of the request, for breaking down billing (Vertex AI). */
  labels?: Record<string, string>;
}

/** A Bedrock guardrail applied to the request and the answer. */
export interface BedrockGuardrailConfig {
  /** The guardrail's id or ARN. */
  guardrailIdentifier: string;
  /** Its version (`1`, or `DRAFT`). */
  guardrailVersion: string;
  /** Whether the response carries the guardrail's trace. */
  trace?: 'enabled' | 'disabled' | 'enabled_full';
}

/** Options of Amazon Bedrock's Converse API. */
export interface BedrockProviderOptions {
  /** A guardrail to apply, sent as `guardrailConfig`. */
  guardrailConfig?: BedrockGuardrailConfig;
  /** Latency-optimised inference where the model offers it, sent as `performanceConfig`. */
  performanceConfig?: { latency: 'standard' | 'optimized' };
  /** Key-value pairs recorded with the invocation log, sent as `requestMetadata`. */
  requestMetadata?: Record<string, string>;
}

/** The per-provider options of `ModelSettings` (`providerOptions`): each adapter reads its own key and ignores the others. */
export interface ProviderOptions {
  openai?: OpenAIProviderOptions;
  anthropic?: AnthropicProviderOptions;
  google?: GoogleProviderOptions;
  bedrock?: BedrockProviderOptions;
}
