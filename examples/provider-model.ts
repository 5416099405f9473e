/**
 * Which provider the examples run on (`npm start`, `npm run serve`): the model id in
 * SCHEMANTIC_MODEL, else OpenAI or Anthropic when their key is set, else none (the examples then
 * use the built-in test model, which needs no network and no key).
 *
 * Providers register by import: an app imports the entry point of each provider its model ids
 * name, once, in its entry module. The examples may run on either, so they import both.
 */
import 'schemantic/anthropic';
import 'schemantic/openai';

/** Used when ANTHROPIC_API_KEY is set: claude-sonnet-4-5 reaches end of life on 30 November 2026. */
const ANTHROPIC_EXAMPLE_MODEL = 'anthropic:claude-sonnet-5-5';

/** The provider model id to run on (undefined: the test model) and why, for a start-up line. */
export function providerModel(env: NodeJS.ProcessEnv = process.env): { id?: string; reason: string } {
  const requested = env['SCHEMANTIC_MODEL'];
  if (requested) return { id: requested, reason: `${requested} (SCHEMANTIC_MODEL)` };
  if (env['OPENAI_API_KEY']) return { id: 'openai:gpt-4o', reason: 'openai:gpt-4o (OPENAI_API_KEY is set)' };
  if (env['ANTHROPIC_API_KEY']) return { id: ANTHROPIC_EXAMPLE_MODEL, reason: `${ANTHROPIC_EXAMPLE_MODEL} (ANTHROPIC_API_KEY is set)` };
  return { reason: 'the built-in test model (set OPENAI_API_KEY or ANTHROPIC_API_KEY to use a provider)' };
}
