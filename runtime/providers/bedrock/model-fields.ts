/**
 * Settings Converse has no field for, which each model family on Bedrock takes in its own form in
 * `additionalModelRequestFields`: the `thinking` setting, chiefly. Claude takes Anthropic's
 * `thinking` object (a budget, or adaptive thinking with an effort); OpenAI's open-weight models
 * take `reasoning_effort`. Other families get a warning: the run goes on without thinking. The
 * `topK` setting too: Claude's `top_k`.
 */
import type { ModelSettings } from '../../contract/spec.js';
import { warnUnsupported } from '../shared/warnings.js';

/** The model's family, read from its id (`us.anthropic.claude-...`, `openai.gpt-oss-120b-1:0`). */
export type ModelFamily = 'anthropic' | 'openai' | 'other';

/** The family of a Bedrock model id (inference profiles' region prefixes and ARNs included). */
export function modelFamily(modelId: string): ModelFamily {
  if (/(^|[./])anthropic\./.test(modelId)) return 'anthropic';
  if (/(^|[./])openai\./.test(modelId)) return 'openai';
  return 'other';
}

/** What the settings add to a request: the extra fields, and whether thinking is on (Claude then wants tool choice `auto`). */
export function modelFields(
  modelId: string,
  settings: ModelSettings | undefined,
  warnings: string[],
): { additionalModelRequestFields?: Record<string, unknown>; thinking: boolean } {
  const thinking = settings?.thinking;
  if (thinking === undefined || (thinking.budgetTokens === undefined && thinking.effort === undefined)) return { thinking: false };
  switch (modelFamily(modelId)) {
    case 'anthropic':
      if (thinking.budgetTokens !== undefined) {
        return { additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: thinking.budgetTokens } }, thinking: true };
      }
      return {
        additionalModelRequestFields: { thinking: { type: 'adaptive' }, output_config: { effort: thinking.effort === 'minimal' ? 'low' : thinking.effort } },
        thinking: true,
      };
    case 'openai':
      // A budget has no form here: it asks for medium effort.
      return { additionalModelRequestFields: { reasoning_effort: thinking.effort === 'minimal' ? 'low' : (thinking.effort ?? 'medium') }, thinking: false };
    case 'other':
      warnUnsupported('bedrock', `thinking on ${modelId}`, warnings);
      return { thinking: false };
  }
}

/**
 * `top_k` for the model, which Converse has no field for: Claude takes Anthropic's `top_k` in
 * `additionalModelRequestFields` (Bedrock's Anthropic schema still has it); other families, whose
 * forms differ (Nova nests it, Llama has none), warn: `extraBody` sends any model's own form.
 */
export function topKField(modelId: string, topK: number | undefined, warnings: string[]): Record<string, unknown> {
  if (topK === undefined) return {};
  if (modelFamily(modelId) === 'anthropic') return { top_k: topK };
  warnUnsupported('bedrock', `topK on ${modelId}`, warnings);
  return {};
}
