/**
 * Models by id: `test`, `openai:gpt-4o`, `anthropic:claude-sonnet-5-5`, `ollama:llama3`...
 *
 * Providers register by import, as `@ai-sdk/*` packages do: `import 'schemantic/openai'` registers
 * OpenAI and the OpenAI-compatible hosts, `import 'schemantic/anthropic'` registers Anthropic, and
 * anyone may register a factory under a prefix of their own. The core names no SDK, so an app
 * bundles only the providers it imports; an id whose provider was not imported fails with the
 * import to add. `test` is always there: it is part of the runtime.
 */
import { UserError } from '../contract/errors.js';
import type { Model } from '../contract/model.js';

/** Makes a model of a provider from the part of the id after `provider:`. */
export type ModelFactory = (modelName: string) => Model | Promise<Model>;

const providers = new Map<string, ModelFactory>();

/**
 * The entry point that registers each provider Schemantic ships, for the error of an id whose
 * provider was not imported.
 */
const SHIPPED_PROVIDERS: Readonly<Record<string, string>> = {
  openai: 'schemantic/openai',
  'openai-responses': 'schemantic/openai',
  deepseek: 'schemantic/openai',
  openrouter: 'schemantic/openai',
  groq: 'schemantic/openai',
  mistral: 'schemantic/openai',
  ollama: 'schemantic/openai',
  vllm: 'schemantic/openai',
  anthropic: 'schemantic/anthropic',
  google: 'schemantic/google',
  gemini: 'schemantic/google',
  bedrock: 'schemantic/bedrock',
};

/** Registers (or replaces) the factory of a provider prefix. */
export function registerModelProvider(prefix: string, factory: ModelFactory): void {
  if (!/^[a-z][a-z0-9_-]*$/.test(prefix)) throw new UserError(`invalid provider prefix ${JSON.stringify(prefix)}`);
  providers.set(prefix, factory);
}

/** The provider prefixes models can be named with now (registered, and `test`), sorted. */
export function modelProviders(): string[] {
  return [...new Set([...providers.keys(), 'test'])].sort();
}

/** A model given by id, or the model itself. */
export type ModelLike = string | Model;

/** Resolves a model id (or returns a model as it is). */
export async function resolveModel(model: ModelLike): Promise<Model> {
  if (typeof model !== 'string') return model;
  if (model === 'test') {
    const { TestModel } = await import('../testing/test-model.js');
    return new TestModel();
  }
  const colon = model.indexOf(':');
  if (colon <= 0) throw new UserError(`invalid model id ${JSON.stringify(model)}: write provider:model (e.g. openai:gpt-4o) or test`);
  const prefix = model.slice(0, colon);
  const factory = providers.get(prefix);
  if (!factory) {
    const entry = SHIPPED_PROVIDERS[prefix];
    if (entry !== undefined) {
      throw new UserError(
        `model ${JSON.stringify(model)} needs its provider: add \`import '${entry}';\` once, in your app's entry module (providers register by import)`,
      );
    }
    throw new UserError(
      `unknown model provider "${prefix}" in ${JSON.stringify(model)}; registered providers: ${modelProviders().join(', ')} (register one with registerModelProvider)`,
    );
  }
  return factory(model.slice(colon + 1));
}
