/**
 * The settings of a Chat Completions request that differ between the OpenAI-compatible providers:
 * how `thinking` is asked for, whether `top_k` and `logit_bias` are taken, and OpenAI's own
 * options (`providerOptions.openai`, for OpenAI itself only: the other hosts read their own keys,
 * or take `extraBody`). What a provider cannot honour warns once instead of being dropped.
 */
import type { ModelSettings } from '../../contract/spec.js';
import type { ProviderProfile } from '../shared/provider-profile.js';
import { warnUnsupported } from '../shared/warnings.js';

/** The body fields of `thinking`, `topK`, `logitBias` and `providerOptions.openai` for this provider. */
export function chatSettingsFields(settings: ModelSettings, profile: ProviderProfile, warnings: string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...thinkingFields(settings.thinking, profile, warnings) };
  if (settings.topK !== undefined) {
    if (profile.topK) fields['top_k'] = settings.topK;
    else warnUnsupported(profile.name, 'topK', warnings);
  }
  if (settings.logitBias !== undefined) {
    if (profile.logitBias) fields['logit_bias'] = settings.logitBias;
    else warnUnsupported(profile.name, 'logitBias', warnings);
  }
  const own = profile.name === 'openai' ? settings.providerOptions?.openai : undefined;
  if (own) {
    if (own.user !== undefined) fields['user'] = own.user;
    if (own.serviceTier !== undefined) fields['service_tier'] = own.serviceTier;
    if (own.store !== undefined) fields['store'] = own.store;
    // Chat Completions return no reasoning summaries: only the Responses API has them.
    if (own.reasoningSummary !== undefined) warnUnsupported(profile.name, 'providerOptions.openai.reasoningSummary in the Chat Completions API', warnings);
  }
  return fields;
}

function thinkingFields(thinking: ModelSettings['thinking'], profile: ProviderProfile, warnings: string[]): Record<string, unknown> {
  if (thinking === undefined || (thinking.effort === undefined && thinking.budgetTokens === undefined)) return {};
  switch (profile.thinkingForm ?? 'reasoning_effort') {
    case 'reasoning':
      // OpenRouter takes either form; a budget is the more precise ask.
      return { reasoning: thinking.budgetTokens !== undefined ? { max_tokens: thinking.budgetTokens } : { effort: thinking.effort } };
    case 'thinking':
      // An on/off switch: any thinking setting turns it on; neither an effort nor a budget has a form.
      return { thinking: { type: 'enabled' } };
    case 'reasoning_effort-high':
      return { reasoning_effort: 'high' };
    case 'reasoning_effort':
      if (thinking.effort !== undefined) return { reasoning_effort: thinking.effort };
      warnUnsupported(profile.name, `thinking.budgetTokens (set thinking.effort for ${profile.name} models)`, warnings);
      return {};
  }
}
