/**
 * The validators of the definitions format and of the JSON Schemas embedded in it.
 *
 * Both are compiled once per process, on first use. The format's meta-schema is the committed
 * `schemas/meta/definitions.schema.json`; for our own checks its schema positions are loosened
 * to "object or boolean", because each embedded schema is checked on its own against the
 * meta-schema of its draft, which gives precise errors instead of one `anyOf` failure.
 */
import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { metaSchema } from '../../assets.js';
import { isObject } from './walk.js';

const Ajv2020 = Ajv2020Module.default;

/** The `$schema` URIs that select draft-07 semantics. */
export const DRAFT_07_URIS = new Set([
  'http://json-schema.org/draft-07/schema#',
  'http://json-schema.org/draft-07/schema',
  'https://json-schema.org/draft-07/schema#',
  'https://json-schema.org/draft-07/schema',
]);

/** The `$schema` URIs that select draft 2020-12 semantics (the default). */
export const DRAFT_2020_URIS = new Set(['https://json-schema.org/draft/2020-12/schema', 'https://json-schema.org/draft/2020-12/schema#']);

/** The draft a schema's root `$schema` selects: draft-07 for its URIs, draft 2020-12 otherwise. */
export type Draft = 'draft-07' | '2020-12';

/** The draft `schema` (a schema slot's root) is written in. */
export function draftOf(schema: unknown): Draft {
  const declared = isObject(schema) ? schema['$schema'] : undefined;
  return typeof declared === 'string' && DRAFT_07_URIS.has(declared) ? 'draft-07' : '2020-12';
}

let definitionsValidator: ValidateFunction | undefined;
let schemaAjv: InstanceType<typeof Ajv2020> | undefined;

/** Validates a whole definitions document (schema positions only checked to be objects or booleans). */
export function definitionsValidate(): ValidateFunction {
  if (!definitionsValidator) {
    const loose = structuredClone(metaSchema('definitions')) as { $defs: Record<string, unknown> };
    loose.$defs['jsonSchema'] = { type: ['object', 'boolean'] };
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, validateSchema: false });
    definitionsValidator = ajv.compile(loose);
  }
  return definitionsValidator;
}

/** Validates one embedded JSON Schema against the meta-schema of its draft. */
export function validateEmbeddedSchema(schema: unknown, draft: 'draft-07' | '2020-12'): ErrorObject[] {
  if (!schemaAjv) {
    schemaAjv = new Ajv2020({ allErrors: true, strict: false });
    schemaAjv.addMetaSchema(draft07MetaSchema);
  }
  const meta = draft === 'draft-07' ? 'http://json-schema.org/draft-07/schema' : 'https://json-schema.org/draft/2020-12/schema';
  const validate = schemaAjv.getSchema(meta);
  if (!validate) throw new Error(`meta-schema ${meta} is not available`);
  return validate(schema) ? [] : [...(validate.errors ?? [])];
}
