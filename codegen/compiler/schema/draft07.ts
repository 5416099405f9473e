/**
 * Draft-07 schemas are accepted and rewritten into draft 2020-12 with the same meaning, so one
 * validator compiler (Ajv2020) and one set of emitters handle the whole corpus, and a draft-07
 * type can be referenced from a 2020-12 schema (Ajv cannot mix drafts in one instance).
 */
import { defineOwn, isObject, mapSubschemas, type SchemaObject } from './walk.js';

/** Keywords that are annotations only: kept next to a `$ref`, where draft-07 ignores assertions. */
const KEPT_BESIDE_REF = new Set(['$ref', 'title', 'description', 'default', 'examples', '$comment', 'definitions', 'readOnly', 'writeOnly']);

/** Rewrites a draft-07 schema into draft 2020-12. Pure. */
export function normalizeDraft07(schema: unknown): unknown {
  return mapSubschemas(schema, (node) => rewriteNode(node));
}

function rewriteNode(node: SchemaObject): SchemaObject {
  const out: SchemaObject = {};
  const hasRef = typeof node['$ref'] === 'string';
  for (const [keyword, value] of Object.entries(node)) {
    if (keyword === '$schema') continue;
    // In draft-07 a $ref makes every sibling assertion ignored.
    if (hasRef && !KEPT_BESIDE_REF.has(keyword)) continue;
    switch (keyword) {
      case 'items':
        if (Array.isArray(value)) {
          out['prefixItems'] = value;
          if (node['additionalItems'] !== undefined) out['items'] = node['additionalItems'];
        } else {
          out['items'] = value;
        }
        break;
      case 'additionalItems':
        // Only meaningful with array-form items, handled above.
        break;
      case 'dependencies':
        if (isObject(value)) {
          for (const [property, dependency] of Object.entries(value)) {
            const target = Array.isArray(dependency) ? 'dependentRequired' : 'dependentSchemas';
            const bucket = (out[target] ??= {}) as SchemaObject;
            defineOwn(bucket, property, dependency);
          }
        }
        break;
      default:
        defineOwn(out, keyword, value);
    }
  }
  return out;
}
