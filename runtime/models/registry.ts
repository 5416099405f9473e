/**
 * Models by id: `test`, `openai:gpt-4o`, `anthropic:claude-sonnet-4-5`, `ollama:llama3`...
 * Providers register a factory under their prefix; factories load lazily, so importing the
 * runtime never loads an SDK that a run does not use.
 */
import { UserError } from '../errors.js';
import type { Model } from '../model.js';

/** Makes a model of a provider from the part of the id after `provider:`. */
export type ModelFactory = (modelName: string) => Model | Promise<Model>;

const providers = new Map<string, ModelFactory>();

/** Registers (or replaces) the factory of a provider prefix. */
export function registerModelProvider(prefix: string, factory: ModelFactory): void {
  if (!/^[a-z][a-z0-9_-]*$/.test(prefix)) throw new UserError(`invalid provider prefix ${JSON.stringify(prefix)}`);
  providers.set(prefix, factory);
}

/** The registered provider prefixes, sorted. */
export function modelProviders(): string[] {
  return [...providers.keys(), 'test'].sort();
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
    throw new UserError(`unknown model provider "${prefix}" in ${JSON.stringify(model)}; known providers: ${modelProviders().join(', ')}`);
  }
  return factory(model.slice(colon + 1));
}
