/**
 * The "constraints" column of a schema table: what a schema asks of a value beyond its type, one
 * short phrase per keyword (`minimum: 0`, `pattern: ^[A-Z]{3}$`, `values: "A", "B"`). Values are
 * shown as JSON in code spans. Properties and `required` are phrases too unless the table gives
 * them rows, and a keyword with no phrase of its own is still named (`also: if, then`), so the
 * table never hides a rule.
 */
import { isObject, type SchemaObject } from '../../compiler/schema/walk.js';
import { code, join, md, type Markdown } from './markdown.js';
import type { PageLinks } from './site.js';
import { typeLabel } from './type-label.js';

/** Longest JSON shown for one value; longer values are cut with `…`. */
const VALUE_WIDTH = 80;

/** A JSON value as a code span. */
export function jsonValue(value: unknown): Markdown {
  const text = JSON.stringify(value) ?? 'undefined';
  return code(text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH - 1)}…` : text);
}

const NUMBERS: readonly [keyword: string, phrase: string][] = [
  ['minimum', 'minimum'],
  ['exclusiveMinimum', 'greater than'],
  ['maximum', 'maximum'],
  ['exclusiveMaximum', 'less than'],
  ['multipleOf', 'multiple of'],
  ['minLength', 'min length'],
  ['maxLength', 'max length'],
  ['minItems', 'min items'],
  ['maxItems', 'max items'],
  ['minContains', 'min contains'],
  ['maxContains', 'max contains'],
  ['minProperties', 'min properties'],
  ['maxProperties', 'max properties'],
];

/** Keywords the type label, the table's rows or the phrases below account for. */
const SHOWN = new Set([
  ...NUMBERS.map(([k]) => k),
  ...['$ref', 'type', 'enum', 'const', 'default', 'examples', 'pattern', 'format', 'uniqueItems', 'contains'],
  ...['properties', 'required', 'additionalProperties', 'patternProperties', 'propertyNames', 'dependentRequired'],
  ...['items', 'prefixItems', 'oneOf', 'anyOf', 'allOf', 'not', 'deprecated', 'readOnly', 'writeOnly'],
  ...['contentMediaType', 'contentEncoding', 'title', 'description', '$comment', '$schema'],
]);

/** How the table around a schema shows it. */
export interface ConstraintContext {
  /** The table gives the schema's `properties` rows of their own (with their required column). */
  rows?: boolean;
}

/** The constraints of a schema, in a fixed order. */
export function constraints(schema: unknown, links: PageLinks, context: ConstraintContext = {}): Markdown[] {
  if (!isObject(schema)) return [];
  const out: Markdown[] = [];
  if (Array.isArray(schema['enum'])) out.push(md`values: ${join(schema['enum'].map(jsonValue), ', ')}`);
  if ('const' in schema) out.push(md`constant: ${jsonValue(schema['const'])}`);
  for (const [keyword, phrase] of NUMBERS) {
    const value = schema[keyword];
    if (typeof value === 'number') out.push(md`${phrase}: ${String(value)}`);
  }
  if (typeof schema['pattern'] === 'string') out.push(md`pattern: ${code(schema['pattern'])}`);
  if (typeof schema['format'] === 'string') out.push(md`format: ${code(schema['format'])}`);
  if (schema['uniqueItems'] === true) out.push(md`unique items`);
  if ('contains' in schema) out.push(md`contains: ${typeLabel(schema['contains'], links)}`);
  out.push(...propertyConstraints(schema, links, context.rows === true));
  out.push(...objectConstraints(schema, links));
  const typed = schema['type'] !== undefined || Array.isArray(schema['enum']) || 'const' in schema;
  for (const [keyword, phrase, separator] of [
    ['oneOf', 'one of', ' | '],
    ['anyOf', 'any of', ' | '],
    ['allOf', 'all of', ' & '],
  ] as const) {
    const list = schema[keyword];
    if (!Array.isArray(list)) continue;
    const branches = list.map((branch) => ({ label: typeLabel(branch, links), rules: constraints(branch, links) }));
    // Without `type`, and with nothing but types in the branches, the label says it all already.
    if (!typed && branches.every((b) => b.rules.length === 0)) continue;
    out.push(
      md`${phrase}: ${join(
        branches.map(({ label, rules }) => (rules.length === 0 ? label : md`${label} (${join(rules, ', ')})`)),
        separator,
      )}`,
    );
  }
  if ('not' in schema) out.push(md`not: ${typeLabel(schema['not'], links)}`);
  if (typeof schema['contentMediaType'] === 'string') out.push(md`media type: ${code(schema['contentMediaType'])}`);
  if (typeof schema['contentEncoding'] === 'string') out.push(md`encoding: ${code(schema['contentEncoding'])}`);
  if ('default' in schema) out.push(md`default: ${jsonValue(schema['default'])}`);
  if (Array.isArray(schema['examples']) && schema['examples'].length > 0) out.push(md`examples: ${join(schema['examples'].map(jsonValue), ', ')}`);
  if (schema['deprecated'] === true) out.push(md`deprecated`);
  if (schema['readOnly'] === true) out.push(md`read-only`);
  if (schema['writeOnly'] === true) out.push(md`write-only`);
  const others = Object.keys(schema)
    .filter((k) => !SHOWN.has(k) && !k.startsWith('x-'))
    .sort();
  if (others.length > 0) out.push(md`also: ${join(others.map(code), ', ')}`);
  return out;
}

/**
 * `properties` and `required`, for a schema whose properties get no rows (beside a `$ref`, in a
 * branch of `allOf`, nested too deep); with rows, only the required names no row shows.
 */
function propertyConstraints(schema: SchemaObject, links: PageLinks, rows: boolean): Markdown[] {
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  const required = Array.isArray(schema['required']) ? schema['required'].map(String) : [];
  if (rows) {
    const unlisted = required.filter((name) => !(name in properties));
    return unlisted.length > 0 ? [md`also required: ${join(unlisted.map(code), ', ')}`] : [];
  }
  const out: Markdown[] = [];
  const names = Object.keys(properties);
  if (names.length > 0)
    out.push(
      md`properties: ${join(
        names.map((name) => md`${code(name)} ${typeLabel(properties[name], links)}`),
        ', ',
      )}`,
    );
  if (required.length > 0) out.push(md`required: ${join(required.map(code), ', ')}`);
  return out;
}

/** What an object schema says about properties beyond those listed. */
function objectConstraints(schema: SchemaObject, links: PageLinks): Markdown[] {
  const out: Markdown[] = [];
  const listed = isObject(schema['properties']) && Object.keys(schema['properties']).length > 0;
  const patterns = isObject(schema['patternProperties']) ? schema['patternProperties'] : {};
  for (const [pattern, sub] of Object.entries(patterns)) out.push(md`properties matching ${code(pattern)}: ${typeLabel(sub, links)}`);
  const additional = schema['additionalProperties'];
  if (additional === false) out.push(md`no other properties`);
  else if (additional !== undefined && additional !== true) out.push(md`${listed ? 'other properties' : 'values'}: ${typeLabel(additional, links)}`);
  const names = schema['propertyNames'];
  if (names !== undefined) {
    const rules = constraints(names, links);
    out.push(md`property names: ${rules.length > 0 ? join(rules, ', ') : typeLabel(names, links)}`);
  }
  const dependent = schema['dependentRequired'];
  if (isObject(dependent)) {
    for (const [name, needs] of Object.entries(dependent)) {
      if (Array.isArray(needs))
        out.push(
          md`with ${code(name)}, also ${join(
            needs.map((n) => code(String(n))),
            ', ',
          )}`,
        );
    }
  }
  return out;
}
