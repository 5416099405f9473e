/**
 * The size limits of OpenAI's strict mode, and the property count the transform (openai-strict.ts)
 * checks against them.
 */
import { isSchemaObject } from './json-kinds.js';

/** The deepest nesting of objects strict mode takes. */
export const MAX_OBJECT_DEPTH = 10;
/** The most properties strict mode takes, over all objects of a schema. */
export const MAX_PROPERTIES = 5000;
/** The most values of one `enum` strict mode takes. */
export const MAX_ENUM_VALUES = 1000;

/**
 * The properties of every object in a strict schema, counted in the output (where an inlined root
 * reference counts twice, as it does for OpenAI). Only the keywords strict output has are walked.
 */
export function countProperties(schema: unknown): number {
  if (Array.isArray(schema)) return schema.reduce((n: number, member: unknown) => n + countProperties(member), 0);
  if (!isSchemaObject(schema)) return 0;
  let count = 0;
  for (const [key, value] of Object.entries(schema)) {
    if ((key === 'properties' || key === '$defs') && isSchemaObject(value)) {
      if (key === 'properties') count += Object.keys(value).length;
      count += countProperties(Object.values(value));
    } else if (key === 'items' || key === 'anyOf') {
      count += countProperties(value);
    }
  }
  return count;
}
