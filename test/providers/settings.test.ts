/**
 * Model settings, setting by setting and adapter by adapter: the exact request field each adapter
 * writes for it (read from its request mapping), or the warning it gives when the provider cannot
 * honour it, in which case the request is the same as without the setting (nothing is sent half
 * way, and nothing is dropped silently). `providerOptions` are read by their own adapter only: the
 * others send the same request as without them, and say nothing. What the SDKs then put on the
 * wire is checked by settings-replay.test.ts, on recorded traffic.
 */
import { describe, expect, it } from 'vitest';
import type { ModelMessage, ModelRequestParameters, ModelSettings } from 'schemantic';
import { requestBody as anthropicBody } from '../../runtime/providers/anthropic/map-request.js';
import { converseRequest } from '../../runtime/providers/bedrock/map-request.js';
import { requestParams as googleParams } from '../../runtime/providers/google/map-request.js';
import { requestBody as chatBody } from '../../runtime/providers/openai/map-request.js';
import { responsesRequestBody } from '../../runtime/providers/openai/map-responses-request.js';
import { openAICompatibleProfile } from '../../runtime/providers/openai/profiles.js';
import { noTools } from './harness.js';

const messages: ModelMessage[] = [
  {
    kind: 'request',
    parts: [
      { kind: 'system-prompt', content: 'Be brief.', timestamp: '' },
      { kind: 'user-prompt', content: 'What is the capital of France?', timestamp: '' },
    ],
  },
];

/** One function tool, for the settings that only apply when tools are sent. */
const withTool: ModelRequestParameters = {
  ...noTools,
  functionTools: [{ name: 'get_weather', kind: 'function', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }],
};

const CLAUDE_ON_BEDROCK = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const NOVA = 'us.amazon.nova-micro-v1:0';
const GPT_OSS = 'openai.gpt-oss-120b-1:0';

type Mapper = (settings: ModelSettings | undefined, params: ModelRequestParameters, warnings: string[]) => unknown;

const chat =
  (provider: string): Mapper =>
  (settings, params, warnings) =>
    chatBody('some-model', openAICompatibleProfile(provider)!, messages, settings, params, warnings);
const bedrock =
  (modelId: string): Mapper =>
  (settings, params, warnings) =>
    converseRequest(modelId, messages, settings, params, warnings);

/** Each adapter's request mapping, by a short name. */
const adapters = {
  openai: chat('openai'),
  groq: chat('groq'),
  mistral: chat('mistral'),
  ollama: chat('ollama'),
  deepseek: chat('deepseek'),
  openrouter: chat('openrouter'),
  vllm: chat('vllm'),
  responses: (settings, params, warnings) => responsesRequestBody('gpt-5', messages, settings, params, {}, warnings),
  anthropic: (settings, params, warnings) => anthropicBody('claude-sonnet-4-5', messages, settings, params, warnings),
  google: (settings, params, warnings) => googleParams('gemini-2.5-flash', messages, settings, params, warnings),
  'bedrock-claude': bedrock(CLAUDE_ON_BEDROCK),
  'bedrock-nova': bedrock(NOVA),
  'bedrock-gpt-oss': bedrock(GPT_OSS),
} satisfies Record<string, Mapper>;

type AdapterName = keyof typeof adapters;

/**
 * A row: the settings, the adapter, and either the fields it sends (dotted paths into the request
 * to their exact values) or the one warning it gives (the request then unchanged).
 */
type Row = { adapter: AdapterName; settings: ModelSettings; tools?: true } & ({ sends: Record<string, unknown> } | { warns: string });

const ignored = (provider: string, what: string) => `${provider} does not support ${what}; it is ignored`;
const bias = { '50256': -100 };
const system = 'Be brief.';

const rows: [string, Row][] = [
  // The long-standing settings, on the main adapters.
  ['temperature', { adapter: 'openai', settings: { temperature: 0.2 }, sends: { temperature: 0.2 } }],
  ['temperature', { adapter: 'responses', settings: { temperature: 0.2 }, sends: { temperature: 0.2 } }],
  ['temperature', { adapter: 'anthropic', settings: { temperature: 0.2 }, warns: ignored('anthropic', 'temperature') }],
  ['temperature', { adapter: 'google', settings: { temperature: 0.2 }, sends: { 'config.temperature': 0.2 } }],
  ['temperature', { adapter: 'bedrock-nova', settings: { temperature: 0.2 }, sends: { 'inferenceConfig.temperature': 0.2 } }],
  ['maxTokens', { adapter: 'openai', settings: { maxTokens: 300 }, sends: { max_completion_tokens: 300 } }],
  ['maxTokens', { adapter: 'groq', settings: { maxTokens: 300 }, sends: { max_tokens: 300 } }],
  ['maxTokens', { adapter: 'responses', settings: { maxTokens: 300 }, sends: { max_output_tokens: 300 } }],
  ['maxTokens', { adapter: 'anthropic', settings: { maxTokens: 300 }, sends: { max_tokens: 300 } }],
  ['maxTokens', { adapter: 'google', settings: { maxTokens: 300 }, sends: { 'config.maxOutputTokens': 300 } }],
  ['maxTokens', { adapter: 'bedrock-nova', settings: { maxTokens: 300 }, sends: { 'inferenceConfig.maxTokens': 300 } }],
  ['topP', { adapter: 'openai', settings: { topP: 0.9 }, sends: { top_p: 0.9 } }],
  ['topP', { adapter: 'responses', settings: { topP: 0.9 }, sends: { top_p: 0.9 } }],
  ['topP', { adapter: 'anthropic', settings: { topP: 0.9 }, warns: ignored('anthropic', 'topP') }],
  ['topP', { adapter: 'google', settings: { topP: 0.9 }, sends: { 'config.topP': 0.9 } }],
  ['topP', { adapter: 'bedrock-nova', settings: { topP: 0.9 }, sends: { 'inferenceConfig.topP': 0.9 } }],
  ['stop', { adapter: 'openai', settings: { stop: ['END'] }, sends: { stop: ['END'] } }],
  ['stop', { adapter: 'responses', settings: { stop: ['END'] }, warns: ignored('openai', 'stop sequences in the Responses API') }],
  ['stop', { adapter: 'anthropic', settings: { stop: ['END'] }, sends: { stop_sequences: ['END'] } }],
  ['stop', { adapter: 'google', settings: { stop: ['END'] }, sends: { 'config.stopSequences': ['END'] } }],
  ['stop', { adapter: 'bedrock-nova', settings: { stop: ['END'] }, sends: { 'inferenceConfig.stopSequences': ['END'] } }],
  ['seed', { adapter: 'openai', settings: { seed: 7 }, sends: { seed: 7 } }],
  ['seed', { adapter: 'responses', settings: { seed: 7 }, warns: ignored('openai', 'seed in the Responses API') }],
  ['seed', { adapter: 'anthropic', settings: { seed: 7 }, warns: ignored('anthropic', 'seed') }],
  ['seed', { adapter: 'google', settings: { seed: 7 }, sends: { 'config.seed': 7 } }],
  ['seed', { adapter: 'bedrock-nova', settings: { seed: 7 }, warns: ignored('bedrock', 'seed') }],
  ['parallelToolCalls', { adapter: 'openai', tools: true, settings: { parallelToolCalls: false }, sends: { parallel_tool_calls: false } }],
  ['parallelToolCalls', { adapter: 'responses', tools: true, settings: { parallelToolCalls: false }, sends: { parallel_tool_calls: false } }],
  [
    'parallelToolCalls',
    { adapter: 'anthropic', tools: true, settings: { parallelToolCalls: false }, sends: { tool_choice: { type: 'auto', disable_parallel_tool_use: true } } },
  ],
  ['parallelToolCalls', { adapter: 'google', tools: true, settings: { parallelToolCalls: false }, warns: ignored('google', 'parallelToolCalls') }],
  ['parallelToolCalls', { adapter: 'bedrock-nova', tools: true, settings: { parallelToolCalls: false }, warns: ignored('bedrock', 'parallelToolCalls') }],

  // Penalties: OpenAI-compatible APIs and Gemini.
  ['presencePenalty', { adapter: 'openai', settings: { presencePenalty: 0.5 }, sends: { presence_penalty: 0.5 } }],
  ['presencePenalty', { adapter: 'mistral', settings: { presencePenalty: 0.5 }, sends: { presence_penalty: 0.5 } }],
  ['presencePenalty', { adapter: 'responses', settings: { presencePenalty: 0.5 }, warns: ignored('openai', 'presencePenalty in the Responses API') }],
  ['presencePenalty', { adapter: 'anthropic', settings: { presencePenalty: 0.5 }, warns: ignored('anthropic', 'presencePenalty') }],
  ['presencePenalty', { adapter: 'google', settings: { presencePenalty: 0.5 }, sends: { 'config.presencePenalty': 0.5 } }],
  ['presencePenalty', { adapter: 'bedrock-claude', settings: { presencePenalty: 0.5 }, warns: ignored('bedrock', 'presencePenalty') }],
  ['frequencyPenalty', { adapter: 'openai', settings: { frequencyPenalty: 0.3 }, sends: { frequency_penalty: 0.3 } }],
  ['frequencyPenalty', { adapter: 'groq', settings: { frequencyPenalty: 0.3 }, sends: { frequency_penalty: 0.3 } }],
  ['frequencyPenalty', { adapter: 'responses', settings: { frequencyPenalty: 0.3 }, warns: ignored('openai', 'frequencyPenalty in the Responses API') }],
  ['frequencyPenalty', { adapter: 'anthropic', settings: { frequencyPenalty: 0.3 }, warns: ignored('anthropic', 'frequencyPenalty') }],
  ['frequencyPenalty', { adapter: 'google', settings: { frequencyPenalty: 0.3 }, sends: { 'config.frequencyPenalty': 0.3 } }],
  ['frequencyPenalty', { adapter: 'bedrock-claude', settings: { frequencyPenalty: 0.3 }, warns: ignored('bedrock', 'frequencyPenalty') }],

  // topK: Gemini, Claude on Bedrock, OpenRouter and vLLM.
  ['topK', { adapter: 'google', settings: { topK: 40 }, sends: { 'config.topK': 40 } }],
  ['topK', { adapter: 'bedrock-claude', settings: { topK: 40 }, sends: { 'additionalModelRequestFields.top_k': 40 } }],
  ['topK', { adapter: 'bedrock-nova', settings: { topK: 40 }, warns: ignored('bedrock', `topK on ${NOVA}`) }],
  ['topK', { adapter: 'openrouter', settings: { topK: 40 }, sends: { top_k: 40 } }],
  ['topK', { adapter: 'vllm', settings: { topK: 40 }, sends: { top_k: 40 } }],
  ['topK', { adapter: 'openai', settings: { topK: 40 }, warns: ignored('openai', 'topK') }],
  ['topK', { adapter: 'groq', settings: { topK: 40 }, warns: ignored('groq', 'topK') }],
  ['topK', { adapter: 'mistral', settings: { topK: 40 }, warns: ignored('mistral', 'topK') }],
  ['topK', { adapter: 'ollama', settings: { topK: 40 }, warns: ignored('ollama', 'topK') }],
  ['topK', { adapter: 'responses', settings: { topK: 40 }, warns: ignored('openai', 'topK') }],
  ['topK', { adapter: 'anthropic', settings: { topK: 40 }, warns: ignored('anthropic', 'topK') }],

  // logitBias: OpenAI chat models, OpenRouter and vLLM.
  ['logitBias', { adapter: 'openai', settings: { logitBias: bias }, sends: { logit_bias: bias } }],
  ['logitBias', { adapter: 'openrouter', settings: { logitBias: bias }, sends: { logit_bias: bias } }],
  ['logitBias', { adapter: 'vllm', settings: { logitBias: bias }, sends: { logit_bias: bias } }],
  ['logitBias', { adapter: 'groq', settings: { logitBias: bias }, warns: ignored('groq', 'logitBias') }],
  ['logitBias', { adapter: 'mistral', settings: { logitBias: bias }, warns: ignored('mistral', 'logitBias') }],
  ['logitBias', { adapter: 'ollama', settings: { logitBias: bias }, warns: ignored('ollama', 'logitBias') }],
  ['logitBias', { adapter: 'deepseek', settings: { logitBias: bias }, warns: ignored('deepseek', 'logitBias') }],
  ['logitBias', { adapter: 'responses', settings: { logitBias: bias }, warns: ignored('openai', 'logitBias in the Responses API') }],
  ['logitBias', { adapter: 'anthropic', settings: { logitBias: bias }, warns: ignored('anthropic', 'logitBias') }],
  ['logitBias', { adapter: 'google', settings: { logitBias: bias }, warns: ignored('google', 'logitBias') }],
  ['logitBias', { adapter: 'bedrock-claude', settings: { logitBias: bias }, warns: ignored('bedrock', 'logitBias') }],

  // thinking as an effort, each provider's form.
  ['thinking.effort', { adapter: 'openai', settings: { thinking: { effort: 'high' } }, sends: { reasoning_effort: 'high' } }],
  ['thinking.effort', { adapter: 'groq', settings: { thinking: { effort: 'low' } }, sends: { reasoning_effort: 'low' } }],
  ['thinking.effort', { adapter: 'ollama', settings: { thinking: { effort: 'medium' } }, sends: { reasoning_effort: 'medium' } }],
  ['thinking.effort', { adapter: 'vllm', settings: { thinking: { effort: 'high' } }, sends: { reasoning_effort: 'high' } }],
  ['thinking.effort', { adapter: 'mistral', settings: { thinking: { effort: 'low' } }, sends: { reasoning_effort: 'high' } }],
  ['thinking.effort', { adapter: 'deepseek', settings: { thinking: { effort: 'high' } }, sends: { thinking: { type: 'enabled' } } }],
  ['thinking.effort', { adapter: 'openrouter', settings: { thinking: { effort: 'high' } }, sends: { reasoning: { effort: 'high' } } }],
  [
    'thinking.effort',
    {
      adapter: 'responses',
      settings: { thinking: { effort: 'high' } },
      sends: { reasoning: { effort: 'high', summary: 'auto' }, include: ['reasoning.encrypted_content'] },
    },
  ],
  [
    'thinking.effort',
    { adapter: 'anthropic', settings: { thinking: { effort: 'high' } }, sends: { thinking: { type: 'adaptive' }, output_config: { effort: 'high' } } },
  ],
  [
    'thinking.effort',
    { adapter: 'google', settings: { thinking: { effort: 'low' } }, sends: { 'config.thinkingConfig': { includeThoughts: true, thinkingLevel: 'LOW' } } },
  ],
  [
    'thinking.effort',
    {
      adapter: 'bedrock-claude',
      settings: { thinking: { effort: 'medium' } },
      sends: { additionalModelRequestFields: { thinking: { type: 'adaptive' }, output_config: { effort: 'medium' } } },
    },
  ],
  [
    'thinking.effort',
    { adapter: 'bedrock-gpt-oss', settings: { thinking: { effort: 'low' } }, sends: { additionalModelRequestFields: { reasoning_effort: 'low' } } },
  ],
  ['thinking.effort', { adapter: 'bedrock-nova', settings: { thinking: { effort: 'low' } }, warns: ignored('bedrock', `thinking on ${NOVA}`) }],

  // thinking as a token budget.
  [
    'thinking.budgetTokens',
    { adapter: 'anthropic', settings: { thinking: { budgetTokens: 2048 } }, sends: { thinking: { type: 'enabled', budget_tokens: 2048 } } },
  ],
  [
    'thinking.budgetTokens',
    { adapter: 'google', settings: { thinking: { budgetTokens: 2048 } }, sends: { 'config.thinkingConfig': { includeThoughts: true, thinkingBudget: 2048 } } },
  ],
  [
    'thinking.budgetTokens',
    {
      adapter: 'bedrock-claude',
      settings: { thinking: { budgetTokens: 2048 } },
      sends: { 'additionalModelRequestFields.thinking': { type: 'enabled', budget_tokens: 2048 } },
    },
  ],
  ['thinking.budgetTokens', { adapter: 'openrouter', settings: { thinking: { budgetTokens: 2048 } }, sends: { reasoning: { max_tokens: 2048 } } }],
  ['thinking.budgetTokens', { adapter: 'deepseek', settings: { thinking: { budgetTokens: 2048 } }, sends: { thinking: { type: 'enabled' } } }],
  [
    'thinking.budgetTokens',
    {
      adapter: 'openai',
      settings: { thinking: { budgetTokens: 2048 } },
      warns: ignored('openai', 'thinking.budgetTokens (set thinking.effort for openai models)'),
    },
  ],
  [
    'thinking.budgetTokens',
    { adapter: 'groq', settings: { thinking: { budgetTokens: 2048 } }, warns: ignored('groq', 'thinking.budgetTokens (set thinking.effort for groq models)') },
  ],

  // extraBody: merged into the body last (Bedrock: the model's own fields).
  [
    'extraBody',
    {
      adapter: 'openai',
      settings: { extraBody: { prompt_cache_key: 'k1', temperature: 1 }, temperature: 0 },
      sends: { prompt_cache_key: 'k1', temperature: 1 },
    },
  ],
  ['extraBody', { adapter: 'groq', settings: { extraBody: { reasoning_format: 'parsed' } }, sends: { reasoning_format: 'parsed' } }],
  ['extraBody', { adapter: 'responses', settings: { extraBody: { truncation: 'auto' } }, sends: { truncation: 'auto' } }],
  ['extraBody', { adapter: 'anthropic', settings: { extraBody: { inference_geo: 'us' } }, sends: { inference_geo: 'us' } }],
  [
    'extraBody',
    {
      adapter: 'bedrock-nova',
      settings: { extraBody: { inferenceConfig: { topK: 20 } } },
      sends: { 'additionalModelRequestFields.inferenceConfig': { topK: 20 } },
    },
  ],

  // providerOptions, each read by its own adapter.
  [
    'providerOptions.openai',
    {
      adapter: 'openai',
      settings: { providerOptions: { openai: { user: 'user-1', serviceTier: 'flex', store: false } } },
      sends: { user: 'user-1', service_tier: 'flex', store: false },
    },
  ],
  [
    'providerOptions.openai',
    {
      adapter: 'responses',
      settings: { providerOptions: { openai: { user: 'user-1', serviceTier: 'priority', store: false } } },
      sends: { user: 'user-1', service_tier: 'priority', store: false },
    },
  ],
  [
    'providerOptions.openai.reasoningSummary',
    {
      adapter: 'responses',
      settings: { thinking: { effort: 'low' }, providerOptions: { openai: { reasoningSummary: 'detailed' } } },
      sends: { reasoning: { effort: 'low', summary: 'detailed' } },
    },
  ],
  [
    'providerOptions.openai.reasoningSummary',
    { adapter: 'responses', settings: { providerOptions: { openai: { reasoningSummary: 'concise' } } }, sends: { reasoning: { summary: 'concise' } } },
  ],
  [
    'providerOptions.openai.reasoningSummary',
    {
      adapter: 'openai',
      settings: { providerOptions: { openai: { reasoningSummary: 'detailed' } } },
      warns: ignored('openai', 'providerOptions.openai.reasoningSummary in the Chat Completions API'),
    },
  ],
  [
    'providerOptions.anthropic',
    {
      adapter: 'anthropic',
      settings: { providerOptions: { anthropic: { userId: 'user-1', serviceTier: 'standard_only', cacheInstructions: '1h' } } },
      sends: {
        'metadata.user_id': 'user-1',
        service_tier: 'standard_only',
        system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral', ttl: '1h' } }],
      },
    },
  ],
  [
    'providerOptions.anthropic.cacheInstructions',
    {
      adapter: 'anthropic',
      settings: { providerOptions: { anthropic: { cacheInstructions: true } } },
      sends: { system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }] },
    },
  ],
  [
    'providerOptions.google',
    {
      adapter: 'google',
      settings: {
        providerOptions: { google: { safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }], labels: { team: 'search' } } },
      },
      sends: { 'config.safetySettings': [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }], 'config.labels': { team: 'search' } },
    },
  ],
  [
    'providerOptions.bedrock',
    {
      adapter: 'bedrock-nova',
      settings: {
        providerOptions: {
          bedrock: {
            guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: 'DRAFT', trace: 'enabled' },
            performanceConfig: { latency: 'optimized' },
            requestMetadata: { team: 'search' },
          },
        },
      },
      sends: {
        guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: 'DRAFT', trace: 'enabled' },
        performanceConfig: { latency: 'optimized' },
        requestMetadata: { team: 'search' },
      },
    },
  ],
];

/** The value at a dotted path (`config.topK`) of a request. */
function at(request: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], request);
}

function mapped(adapter: AdapterName, settings: ModelSettings | undefined, tools: boolean): { request: unknown; warnings: string[] } {
  const warnings: string[] = [];
  const request = adapters[adapter](settings, tools ? withTool : noTools, warnings);
  return { request, warnings };
}

describe('each setting on each adapter', () => {
  it.each(rows.map(([setting, row]) => [setting, row.adapter, row] as const))('%s on %s', (_setting, _adapter, row) => {
    const { request, warnings } = mapped(row.adapter, row.settings, row.tools === true);
    if ('sends' in row) {
      for (const [path, value] of Object.entries(row.sends)) expect({ path, value: at(request, path) }).toEqual({ path, value });
      expect(warnings).toEqual([]);
    } else {
      expect(warnings).toEqual([row.warns]);
      // Not sent in any form: the request is the one without the setting.
      expect(request).toEqual(mapped(row.adapter, undefined, row.tools === true).request);
    }
  });

  it('covers every setting of ModelSettings on every adapter family', () => {
    const settings = new Set(rows.map(([name]) => name.split('.')[0]));
    expect([...settings].sort()).toEqual(
      [
        'extraBody',
        'frequencyPenalty',
        'logitBias',
        'maxTokens',
        'parallelToolCalls',
        'presencePenalty',
        'providerOptions',
        'seed',
        'stop',
        'temperature',
        'thinking',
        'topK',
        'topP',
      ].sort(),
    );
    for (const name of ['thinking', 'topK', 'logitBias', 'presencePenalty']) {
      const covered = new Set(rows.filter(([n]) => n.startsWith(name)).map(([, row]) => row.adapter));
      for (const family of ['openai', 'responses', 'anthropic', 'google'] as const)
        expect({ name, family, covered: covered.has(family) }).toEqual({ name, family, covered: true });
      expect([...covered].some((a) => a.startsWith('bedrock'))).toBe(true);
    }
  });
});

describe('providerOptions', () => {
  const everyProvider: ModelSettings = {
    providerOptions: {
      openai: { user: 'user-1', serviceTier: 'flex', store: false, reasoningSummary: 'detailed' },
      anthropic: { userId: 'user-1', cacheInstructions: true, serviceTier: 'auto' },
      google: { safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }], labels: { team: 'search' } },
      bedrock: { performanceConfig: { latency: 'optimized' } },
    },
  };

  it.each(['groq', 'mistral', 'ollama', 'deepseek', 'openrouter', 'vllm'] as const)(
    "are not OpenAI's on %s: its request is the one without them, and nothing is warned",
    (adapter) => {
      const { request, warnings } = mapped(adapter, everyProvider, false);
      expect(warnings).toEqual([]);
      expect(request).toEqual(mapped(adapter, undefined, false).request);
    },
  );

  it('of the other providers leave each adapter alone: only its own key is read', () => {
    const only = (key: 'openai' | 'anthropic' | 'google' | 'bedrock'): ModelSettings => ({ providerOptions: { [key]: everyProvider.providerOptions![key] } });
    for (const [adapter, own] of [
      ['responses', 'openai'],
      ['anthropic', 'anthropic'],
      ['google', 'google'],
      ['bedrock-claude', 'bedrock'],
    ] as const) {
      expect(mapped(adapter, everyProvider, false)).toEqual(mapped(adapter, only(own), false));
      expect(mapped(adapter, only(own), false).request).not.toEqual(mapped(adapter, undefined, false).request);
    }
  });

  it("replace the Gemini model's own safety settings for the run", () => {
    const model = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_LOW_AND_ABOVE' }] as never;
    const run = { providerOptions: { google: { safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT' as const, threshold: 'OFF' as const }] } } };
    expect(googleParams('gemini-2.5-flash', messages, undefined, noTools, [], { safetySettings: model }).config?.safetySettings).toEqual(model);
    expect(googleParams('gemini-2.5-flash', messages, run, noTools, [], { safetySettings: model }).config?.safetySettings).toEqual([
      { category: 'HARM_CATEGORY_HARASSMENT', threshold: 'OFF' },
    ]);
  });

  it('put no cache breakpoint on Anthropic requests without instructions', () => {
    const body = anthropicBody(
      'claude-sonnet-4-5',
      [{ kind: 'request', parts: [{ kind: 'user-prompt', content: 'Hi', timestamp: '' }] }],
      { providerOptions: { anthropic: { cacheInstructions: true } } },
      noTools,
    );
    expect(body.system).toBeUndefined();
  });
});
