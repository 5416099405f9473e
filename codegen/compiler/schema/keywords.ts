/**
 * What the generator knows about JSON Schema keywords: where subschemas sit, which keywords each
 * draft defines, and which ones the toolchain (Ajv standalone code + json-schema-to-typescript +
 * file-relative `$ref`s) cannot honour.
 */

/** Keywords whose value is one subschema. */
export const SINGLE_SUBSCHEMA = [
  'additionalProperties',
  'items',
  'additionalItems',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
] as const;

/** Keywords whose value is an object of subschemas. */
export const SUBSCHEMA_MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'] as const;

/** Keywords whose value is an array of subschemas. */
export const SUBSCHEMA_ARRAY = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;

/**
 * Keywords that describe a schema without constraining it: beside a `$ref`, inlining the target
 * keeps their meaning (they simply win over the target's own).
 */
export const ANNOTATION_ONLY: ReadonlySet<string> = new Set(['title', 'description', 'default', 'examples', '$comment', 'deprecated', 'readOnly', 'writeOnly']);

const ANNOTATIONS = [
  'title',
  'description',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
  '$comment',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
];

const VALIDATION = [
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'required',
  'format',
];

/** Keywords draft 2020-12 defines (plus `definitions`, which Ajv and most tools still accept). */
export const KEYWORDS_2020 = new Set<string>([
  ...ANNOTATIONS,
  ...VALIDATION,
  '$schema',
  '$id',
  '$ref',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$vocabulary',
  '$defs',
  'definitions',
  'properties',
  'patternProperties',
  'additionalProperties',
  'propertyNames',
  'items',
  'prefixItems',
  'contains',
  'maxContains',
  'minContains',
  'dependentRequired',
  'dependentSchemas',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
]);

/** Keywords draft-07 defines. */
export const KEYWORDS_07 = new Set<string>([
  ...ANNOTATIONS,
  ...VALIDATION,
  '$schema',
  '$id',
  '$ref',
  'definitions',
  'properties',
  'patternProperties',
  'additionalProperties',
  'propertyNames',
  'items',
  'additionalItems',
  'contains',
  'dependencies',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
]);

/**
 * Keywords that are valid JSON Schema but that the toolchain cannot honour, with the reason.
 * References are resolved by file path and JSON pointer at generate time, so the keywords that
 * change base URIs or resolve dynamically have no meaning here.
 */
export const UNSUPPORTED_KEYWORDS: Readonly<Record<string, string>> = {
  $id: 'schemas are addressed by file path and JSON pointer; remove $id and $ref the schema by path',
  $anchor: 'schemas are addressed by file path and JSON pointer; $ref the schema by path instead of by anchor',
  $dynamicRef: 'dynamic references cannot be resolved at generate time; use $ref',
  $dynamicAnchor: 'dynamic references cannot be resolved at generate time; use $ref',
  $recursiveRef: 'a draft 2019-09 keyword; use $ref',
  $recursiveAnchor: 'a draft 2019-09 keyword; use $ref',
  $vocabulary: 'custom vocabularies are not supported',
};
