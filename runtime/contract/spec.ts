/**
 * The generated-code contract: the data a generated module hands to the runtime. Hand-written
 * agents build the same shapes (with validators the runtime compiles once), so both paths meet
 * here.
 */
import type { Validator } from '../validators/index.js';
import type { ProviderOptions } from './provider-options.js';

/** A JSON Schema document (draft 2020-12), self-contained: named types live under `$defs`. */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** Instructions with placeholders: text, and paths into the run's context. */
export type InstructionTemplate = readonly (string | { readonly path: readonly string[] })[];

/** A tool's validators, as its generated validators module exports them. */
export interface ToolValidators<Args = unknown, Return = unknown> {
  /** Checks arguments before the handler sees them. */
  readonly validateArgs: Validator<Args>;
  /** Checks what the handler returns (when the tool declares `returns`). */
  readonly validateReturn?: Validator<Return>;
}

/** A function tool: what the model sees, and how its arguments and return value are checked. */
export interface ToolSpec<Args = unknown, Return = unknown> {
  /** The model-facing name. */
  readonly name: string;
  /** What the tool does, for the model. */
  readonly description?: string;
  /** JSON Schema of the arguments (an object schema). */
  readonly parameters: JsonSchema;
  /** JSON Schema of what the handler returns, when declared. */
  readonly returns?: JsonSchema;
  /**
   * The parameters in OpenAI's strict form (every property required, optional ones nullable,
   * closed objects), prepared by the generator; absent when `parameters` already are in that
   * form, cannot take it, or `strict` is false (adapters then work it out themselves).
   */
  readonly strictParameters?: JsonSchema;
  /**
   * The parameters in Gemini's JSON Schema subset (`const` as `enum`, `oneOf` as `anyOf`, other
   * keywords dropped), prepared by the generator, which warned (`not-gemini`) about each keyword
   * dropped. Prepared only for tools that an agent whose definition names a Gemini model uses, and
   * absent when Gemini takes `parameters` as they are; the Gemini adapter computes it when absent
   * (hand-written tools, or a run that moves an agent to Gemini), warning at request time.
   */
  readonly geminiParameters?: JsonSchema;
  /**
   * Loads the tool's validators, on the first run of an agent that has the tool. Generated
   * tools import their validators module here, so importing an agent loads no validator code.
   */
  readonly validators: () => Promise<ToolValidators<Args, Return>>;
  /** Retry budget of this tool (default: the agent's `retries`). */
  readonly retries?: number;
  /** Ask providers to enforce the schema while sampling. */
  readonly strict?: boolean;
  /**
   * A call needs a person's approval before its handler runs: always (`required`), or when the
   * factory's `needsApproval` condition for the tool says so (`conditional`). Until then the run
   * ends with the call among its DeferredToolRequests.
   */
  readonly approval?: 'required' | 'conditional';
  /** Run by the caller, not by a handler: every call ends the run as a deferred request. */
  readonly external?: boolean;
}

/** An agent seen as a tool by the agents that delegate to it. */
export interface DelegateSpec<Args = unknown> {
  /** The model-facing tool name (the delegate agent's name). */
  readonly name: string;
  readonly description?: string;
  /** JSON Schema of the arguments: `prompt`, and `context` when the delegate has one. */
  readonly parameters: JsonSchema;
  /** The parameters in OpenAI's strict form, when they can take it (see {@link ToolSpec}). */
  readonly strictParameters?: JsonSchema;
  /**
   * The parameters in Gemini's schema subset, when they differ from it and an agent naming a
   * Gemini model delegates to this one (see {@link ToolSpec.geminiParameters}).
   */
  readonly geminiParameters?: JsonSchema;
  /** Loads the validator of the arguments (from the delegate agent's validators module). */
  readonly validators: () => Promise<{ readonly validateDelegateArgs: Validator<Args> }>;
}

/** One member of a structured output. */
export interface OutputMemberSpec {
  /** Name of the output tool for this member in tool mode. */
  readonly toolName: string;
  readonly description?: string;
  readonly schema: JsonSchema;
  /** The schema in OpenAI's strict form, when it can take it (see {@link ToolSpec}). */
  readonly strictSchema?: JsonSchema;
  /**
   * The schema in Gemini's schema subset, when it differs from it and the agent's definition names
   * a Gemini model (see {@link ToolSpec.geminiParameters}).
   */
  readonly geminiSchema?: JsonSchema;
  /**
   * The name of this member's validator among the agent's validators: `validateOutput` for a
   * single output, `validateOutput<Member>` for a union member.
   */
  readonly validator: `validateOutput${string}`;
}

/** An agent's validators, as its generated validators module exports them. */
export interface AgentValidators<Output = unknown, Context = unknown> {
  /** Checks the context of a run. */
  readonly validateContext?: Validator<Context>;
  /** One per output member (see {@link OutputMemberSpec.validator}). */
  readonly [member: `validateOutput${string}`]: Validator<Output>;
}

/** How the model returns output. */
export type OutputMode = 'tool' | 'native' | 'prompted';

/** What an agent outputs: text, or one of a list of structured members. */
export type OutputSpec =
  | { readonly kind: 'text' }
  | {
      readonly kind: 'structured';
      readonly mode: OutputMode;
      /** The model may also end the run with plain text. */
      readonly allowsText: boolean;
      readonly members: readonly OutputMemberSpec[];
    };

/** Settings sent with each model request. */
export interface ModelSettings {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  /** Seconds. */
  timeout?: number;
  parallelToolCalls?: boolean;
  /**
   * Ask for (and keep) the model's reasoning: a token budget (Anthropic) or an effort (OpenAI
   * reasoning models). Providers that cannot honour it warn once.
   */
  thinking?: { budgetTokens?: number; effort?: 'minimal' | 'low' | 'medium' | 'high' };
  /** Penalises tokens that already appeared at all (-2 to 2; OpenAI-compatible APIs). */
  presencePenalty?: number;
  /** Penalises tokens by how often they already appeared (-2 to 2; OpenAI-compatible APIs). */
  frequencyPenalty?: number;
  /**
   * HTTP headers sent with each request, besides the SDK's own (a gateway's budget or routing
   * header). Never put into errors or histories; a header that carries a secret is the caller's to
   * keep out of logs.
   */
  extraHeaders?: Record<string, string>;
  /**
   * Samples only from the `topK` most likely tokens (Gemini; Claude on Bedrock; OpenRouter and
   * vLLM). Anthropic's own API no longer takes it: providers that cannot honour it warn once.
   */
  topK?: number;
  /**
   * Biases the likelihood of tokens, by token id (`{"50256": -100}` bans one): -100 to 100.
   * OpenAI chat models, OpenRouter and vLLM; other providers warn once.
   */
  logitBias?: Record<string, number>;
  /**
   * Typed options of one provider each (`{openai: {serviceTier: 'flex'}, anthropic: {userId}}`):
   * each adapter reads its own key only, so one set of settings serves a fallback chain.
   */
  providerOptions?: ProviderOptions;
  /**
   * Fields merged into the request body as they are, for parameters of one provider the settings
   * above do not name (Groq's `reasoning_format`, Mistral's `prompt_cache_key`); they win over the
   * fields the adapter writes. Gemini sends them through its SDK's `httpOptions.extraBody`,
   * Bedrock as `additionalModelRequestFields` (what the model itself takes beyond Converse).
   */
  extraBody?: Record<string, unknown>;
}

/** Limits of one run, checked before each request and after each response. */
export interface UsageLimits {
  /** Model requests (default 50, as in the reference; `Infinity` for no limit). */
  requests?: number;
  /** Function tool calls that ran successfully (checked before a response's tools run). */
  toolCalls?: number;
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
}

/**
 * When a response holds both a final output and function tool calls (as in the reference):
 * - `graceful` (the default): the calls are handled in the order the model made them; the
 *   function tools run, output tool calls after the first valid one are not used.
 * - `early`: the first valid output ends the run; the function tools are not run.
 * - `exhaustive`: every call runs, every output tool call is read; the first valid one wins.
 * Under `graceful` and `exhaustive`, a function tool that asks for a retry sets the output aside.
 */
export type EndStrategy = 'early' | 'graceful' | 'exhaustive';

/**
 * Everything the runtime needs to run an agent, typed by what it outputs and the context its
 * instructions read (the validators enforce both at run time).
 */
export interface AgentSpec<Output = unknown, Context = unknown> {
  /** The runtime version range the generated code was made for (`^0.1.0`). */
  readonly runtime: string;
  readonly name: string;
  /** Where the agent was defined (`schemas/weather.yaml#/agents/weather`), for error messages. */
  readonly source?: string;
  readonly description?: string;
  /** Default model id (`openai:gpt-4o`). */
  readonly model?: string;
  /** Instructions (`instructions`): sent with every request, never replayed from a history. */
  readonly instructions?: InstructionTemplate;
  /** System prompt (`system_prompt`): stored at the start of a conversation, replayed with its history. */
  readonly systemPrompt?: InstructionTemplate;
  /** The schema of the context its instructions read (checked by `validateContext`). */
  readonly context?: { readonly schema: JsonSchema };
  /**
   * Loads the agent's validators (its context, each output member, its delegate arguments), on
   * the agent's first run. Absent when the agent has nothing to validate.
   */
  readonly validators?: () => Promise<AgentValidators<Output, Context>>;
  /** Function tools, with the key of their handler in the factory's `tools` option. */
  readonly tools: readonly { readonly key: string; readonly tool: ToolSpec }[];
  /** Delegate agents, with their key in the factory's `agents` option. */
  readonly delegates: readonly { readonly key: string; readonly tool: DelegateSpec }[];
  readonly output: OutputSpec;
  readonly retries?: number;
  readonly outputRetries?: number;
  readonly modelSettings?: ModelSettings;
  readonly usageLimits?: UsageLimits;
  readonly endStrategy?: EndStrategy;
}
