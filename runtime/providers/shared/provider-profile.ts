/**
 * What an adapter knows of a provider: which wire API it speaks, where it is, where its API key
 * comes from, and its quirks; and the connection every adapter makes from that. The profiles
 * themselves live with their adapter (providers/openai/profiles.ts, providers/anthropic/profile.ts).
 *
 * Nothing here loads an SDK: models are made (and the SDK imported) when a run first needs one.
 */
import { UserError } from '../../contract/errors.js';

/** What an adapter needs to know about a provider. */
export interface ProviderProfile {
  /** The id prefix (`openai` in `openai:gpt-4o`). */
  readonly name: string;
  /** The wire API. */
  readonly api: 'openai-chat' | 'anthropic' | 'google';
  /** Base URL of the API; absent: the SDK's default. */
  readonly baseURL?: string;
  /** An environment variable that overrides the base URL. */
  readonly baseURLEnv?: string;
  /** Environment variables that may hold the API key, first set wins. */
  readonly apiKeyEnv: readonly string[];
  /** Local servers (Ollama, vLLM) take no key. */
  readonly apiKeyOptional?: boolean;
  /** Strict tools and strict `json_schema` output (OpenAI's structured outputs). */
  readonly strict?: boolean;
  /** `response_format: {type: "json_schema"}` (else native output falls back to `json_object`). */
  readonly jsonSchemaOutput?: boolean;
  /** PDFs as `file` content parts (OpenAI, OpenRouter); other hosts have no part for them. */
  readonly fileInput?: boolean;
  /** The field for the output token limit (default `max_tokens`: OpenAI itself wants the other). */
  readonly maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  /** The role of instructions (OpenAI reasoning models want `developer`). */
  readonly systemRole?: 'system' | 'developer';
  /** The message field that carries reasoning text (DeepSeek, OpenRouter, Groq). */
  readonly reasoningField?: 'reasoning_content' | 'reasoning';
  /**
   * The provider wants its own reasoning back on assistant turns that call tools (DeepSeek's
   * thinking mode answers 400 without it); other turns' reasoning is never sent back.
   */
  readonly reasoningWithToolCalls?: boolean;
  /**
   * Reasoning may come inline, at the start of the text between `<think>` and `</think>` (Groq's
   * `reasoning_format: "raw"`, models served as they are): it is taken out as a thinking part.
   */
  readonly thinkTags?: boolean;
  /**
   * Message content may be a list of chunks, `text` ones and `thinking` ones holding text chunks,
   * instead of a string (Mistral's reasoning models).
   */
  readonly contentChunks?: boolean;
  /**
   * A 400 `tool_use_failed` error carries the generation that failed validation on the server
   * (Groq): it is taken as the model's response, so that the run asks the model to try again.
   */
  readonly failedGenerationAsResponse?: boolean;
  /** `logit_bias` is honoured (OpenAI, OpenRouter, vLLM); elsewhere the `logitBias` setting warns. */
  readonly logitBias?: boolean;
  /** `top_k` is taken (OpenRouter, vLLM); elsewhere the `topK` setting warns. */
  readonly topK?: boolean;
  /**
   * How the `thinking` setting is sent (default `reasoning_effort`, the effort as OpenAI names it):
   * `reasoning` is OpenRouter's object (an effort or a token budget), `thinking` DeepSeek's on/off
   * switch, `reasoning_effort-high` Mistral's `reasoning_effort`, which knows only `high` and `none`.
   */
  readonly thinkingForm?: 'reasoning_effort' | 'reasoning' | 'thinking' | 'reasoning_effort-high';
}

/** Options every adapter accepts besides its client. */
export interface ConnectionOptions {
  /** The API key; default: the provider's environment variable. */
  apiKey?: string;
  /** The API's base URL; default: the provider's (or its environment variable). */
  baseURL?: string;
  /**
   * How often a failed request is tried again (HTTP 408, 409, 429, 5xx, Anthropic's 529,
   * connection errors), with exponential backoff that honours `retry-after`. Default 2.
   */
  maxRetries?: number;
  /**
   * How long one attempt may wait for the response to begin, and a stream may go without an
   * event, before it is abandoned (an attempt is then retried), in ms. Default 10 minutes.
   */
  timeoutMs?: number;
}

/**
 * The key and URL a provider's client is made with, from the options or the environment.
 * `keyGiven` is false for the placeholder a keyless local server gets (the SDKs insist on one).
 */
export function connection(profile: ProviderProfile, modelName: string, options: ConnectionOptions): { apiKey: string; keyGiven: boolean; baseURL?: string } {
  const env = profile.apiKeyEnv.map((name) => environment(name)).find((v) => v !== undefined && v !== '');
  const apiKey = options.apiKey ?? env;
  if (apiKey === undefined && !profile.apiKeyOptional) {
    const where =
      profile.apiKeyEnv.length > 0 ? `set ${profile.apiKeyEnv.join(' or ')}, or pass apiKey or a configured client` : 'pass apiKey or a configured client';
    throw new UserError(`model ${profile.name}:${modelName} needs an API key: ${where}`);
  }
  const baseURL = options.baseURL ?? (profile.baseURLEnv ? environment(profile.baseURLEnv) || undefined : undefined) ?? profile.baseURL;
  return { apiKey: apiKey ?? 'none', keyGiven: apiKey !== undefined, ...(baseURL !== undefined ? { baseURL } : {}) };
}

/** An environment variable, where the platform has them (edge runtimes pass keys as options). */
function environment(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

/** Imports an SDK, saying how to install it when it is missing. */
export async function importSdk<T>(name: 'openai' | '@anthropic-ai/sdk', load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      const range = name === 'openai' ? '^6.49.0 || ^7' : '^1.12.0';
      throw new UserError(`this model needs the ${name} package: npm install ${name}@"${range}"`, { cause: err });
    }
    throw err;
  }
}
