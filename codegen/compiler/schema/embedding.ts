/**
 * The embedding form of the definitions: an array of numbers of one fixed size, marked as an
 * embedding with the extension keyword `x-embedding: true`.
 *
 * ```yaml
 * embedding: { type: array, items: { type: number }, minItems: 1536, maxItems: 1536, x-embedding: true }
 * ```
 *
 * The size is the schema's own `minItems`/`maxItems`, so the schema stays plain JSON Schema: other
 * tools ignore the `x-` keyword and still check the length, and so does the generated validator.
 * The marker is what makes the TypeScript type `schemantic.Embedding<1536>` instead of `number[]`.
 * It is explicit on purpose: a fixed-length list of numbers is not always an embedding (a `[lat,
 * lng]` pair is not), and an embedding's type rejects plain arrays an application would write.
 *
 * It is the one extension keyword the resolver keeps in canonical schemas (the emitters read it).
 */
import { isObject, type SchemaObject } from './walk.js';

/** The marker keyword. */
export const EMBEDDING_KEYWORD = 'x-embedding';

/**
 * The size of the embedding `node` declares: `minItems` when it is marked, an array, of numbers,
 * and `minItems` equals `maxItems`. Undefined when it is not marked, or not of that form (which
 * the validate stage reports, see {@link embeddingProblem}).
 */
export function embeddingSize(node: SchemaObject): number | undefined {
  return node[EMBEDDING_KEYWORD] === true && embeddingProblem(node) === undefined ? (node['minItems'] as number) : undefined;
}

/** What is wrong with the embedding form of `node` (which holds the marker), or undefined. */
export function embeddingProblem(node: SchemaObject): string | undefined {
  const marker = node[EMBEDDING_KEYWORD];
  if (typeof marker !== 'boolean') return `${EMBEDDING_KEYWORD} is true or false, not ${JSON.stringify(marker)}`;
  if (!marker) return undefined;
  const form = 'an embedding is written {type: array, items: {type: number}, minItems: N, maxItems: N}';
  if (node['type'] !== 'array') return `${form}: type must be array`;
  const items = node['items'];
  if (!isObject(items) || items['type'] !== 'number') return `${form}: items must be {type: number}`;
  const min = node['minItems'];
  const max = node['maxItems'];
  if (typeof min !== 'number' || !Number.isInteger(min) || min < 1 || min !== max)
    return `${form}: minItems and maxItems must be the same positive integer, the size`;
  return undefined;
}
