/**
 * The strict form of a schema for providers that enforce schemas while sampling (OpenAI and the
 * servers that follow its dialect). Generated code brings it prepared; for hand-written tools it
 * is computed here, once per schema object.
 */
import { toOpenAIStrict } from '../schema/openai-strict.js';
import type { JsonSchema } from '../spec.js';

const computed = new WeakMap<object, JsonSchema | null>();

/** The strict form to send (the prepared one, or a computed one), or undefined when there is none. */
export function strictForm(schema: JsonSchema, prepared: JsonSchema | undefined): JsonSchema | undefined {
  if (prepared !== undefined) return prepared;
  if (typeof schema !== 'object') return undefined;
  let hit = computed.get(schema);
  if (hit === undefined) {
    const result = toOpenAIStrict(schema);
    const form = result.ok ? result.schema : null;
    computed.set(schema, form);
    hit = form;
  }
  return hit ?? undefined;
}
