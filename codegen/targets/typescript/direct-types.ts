/**
 * Declarations of simple schemas, written directly: the same text json-schema-to-typescript
 * produces with the options emit-types.ts gives it, for a fraction of the cost.
 *
 * The library clones, dereferences, links, validates and normalises every schema (some twenty
 * passes over it) before parsing and printing it, about half a millisecond per declaration once
 * warm and several times that cold; a corpus of a thousand declarations spent most of `emit
 * types` there. Almost every declaration is made of a few shapes (objects with properties,
 * arrays, primitives, enums of scalars, references to named types), which this module prints the
 * way the library does. Anything else (unions, intersections, tuples, pattern properties, typed
 * additional properties, names the library would rewrite...) returns undefined and goes to the
 * library. test/codegen/emit/direct-types.test.ts holds the two to the same output.
 *
 * What the library does with these shapes, and so what is mirrored here (options:
 * `additionalProperties: false`, `strictIndexSignatures`, `unknownAny`, `ignoreMinAndMaxItems`,
 * no external declarations):
 * - an object (`properties`, or `type: object`, or nothing but annotations) is an interface, one
 *   line per property (`?` unless required), with `[k: string]: unknown | undefined` last when
 *   additional properties are allowed (`true`, `{}`, or unsaid on a schema that is not an object);
 * - the schema `{}` alone is `unknown` (but an interface at the root, which gets an `$id`);
 * - a list of primitive types is their union, and `enum` and `const` are unions of JSON literals:
 *   duplicates dropped, in parentheses when there is more than one (`never` when there is none);
 * - an array is `T[]`, or `(T)[]` when `T` ends with a quote; without `items`, `unknown[]`;
 * - `tsType` is written as is;
 * - a property's comment is its description (with `*\/` broken up), `@deprecated` first when the
 *   schema says so, and the description of an array's items appended as `Items: ...`.
 */
import { isObject, type SchemaObject } from '../../compiler/schema/walk.js';
import { stringLiteral } from '../escape.js';

/** A schema printed as a type, with what its property line needs to comment it. */
interface Printed {
  text: string;
  /** The schema's description, as the library carries it (`*\/` broken up). */
  comment?: string;
  deprecated?: boolean;
  /** An array's item, for its `Items:` comment. */
  item?: Printed;
  /** Arrays do not lend their comment to an enclosing array's `Items:` line. */
  isArray?: boolean;
}

const PRIMITIVES: Readonly<Record<string, string>> = { string: 'string', number: 'number', integer: 'number', boolean: 'boolean', null: 'null' };
const ENUM_TYPES = new Set(['string', 'number', 'integer', 'boolean']);
const ANNOTATIONS = new Set(['description', 'deprecated']);
const OBJECT_KEYWORDS = new Set(['type', 'properties', 'required', 'additionalProperties']);

/**
 * The declaration of `tsName` for `schema` (a schema as `toTypeSchema` adapts it: references are
 * `tsType`s, booleans are `tsType` objects, only type keywords remain), without the root's
 * comment: `export interface X {...}` or `export type X = ...`, newline-terminated. Undefined when
 * the schema, or the name, is not one this module prints exactly as the library does.
 */
export function renderDirect(schema: unknown, tsName: string): string | undefined {
  // The library names the root `toSafeString(name)`: the same name only for names like these.
  if (!/^[A-Z][A-Za-z0-9]*$/.test(tsName) || /[0-9][a-z]/.test(tsName)) return undefined;
  if (!isObject(schema) || !annotationsOk(schema)) return undefined;
  // The root gets an `$id` (its name), so even `{}` is an interface there.
  const type = typeName(schema);
  if (type !== null && isInterface(schema, type)) {
    const body = printInterface(schema, type);
    return body === undefined ? undefined : `export interface ${tsName} ${body}\n`;
  }
  const printed = print(schema);
  return printed === undefined ? undefined : `export type ${tsName} = ${printed.text}\n`;
}

/** Prints one (non-root) schema, or returns undefined when it is not a supported shape. */
function print(node: unknown): Printed | undefined {
  if (!isObject(node) || !annotationsOk(node)) return undefined;
  const description = node['description'] as string | undefined;
  const printed = printType(node);
  if (printed === undefined) return undefined;
  if (description !== undefined) printed.comment = description.replace(/\*\//g, '* /');
  if (node['deprecated'] !== undefined) printed.deprecated = node['deprecated'] as boolean;
  return printed;
}

function printType(node: SchemaObject): Printed | undefined {
  // The empty schema accepts anything; with only annotations it is an open interface (below).
  if (Object.keys(node).length === 0) return { text: 'unknown' };
  const keys = Object.keys(node).filter((k) => !ANNOTATIONS.has(k));
  if (keys.includes('tsType')) {
    const tsType = node['tsType'];
    return keys.length === 1 && typeof tsType === 'string' && tsType !== '' ? { text: tsType } : undefined;
  }
  const types = node['type'];
  if (Array.isArray(types) && types.length > 1) return printTypeUnion(types, keys);
  const type = typeName(node);
  if (type === null) return undefined;
  if ('const' in node || 'enum' in node) return printEnum(node, keys, type);
  if (type === 'array' || (type === undefined && 'items' in node)) return printArray(node, keys);
  if (type !== undefined && type in PRIMITIVES) return keys.length === 1 ? { text: PRIMITIVES[type]! } : undefined;
  if (!isInterface(node, type)) return undefined;
  const text = printInterface(node, type);
  return text === undefined ? undefined : { text };
}

/** The schema's `type` as the library reads it (a one-element array is its element); null when unsupported. */
function typeName(node: SchemaObject): string | undefined | null {
  let type = node['type'];
  if (Array.isArray(type)) {
    const values = node['const'] !== undefined ? [node['const']] : node['enum'];
    // The library drops `null` from the types when the enum allows null: not handled here.
    if (type.includes('null') && Array.isArray(values) && values.includes(null)) return null;
    if (type.length !== 1) return null;
    type = type[0];
  }
  return type === undefined || typeof type === 'string' ? type : null;
}

/** `type: [string, "null"]` and the like: a union of the primitives, duplicates dropped. */
function printTypeUnion(types: unknown[], keys: string[]): Printed | undefined {
  if (keys.length !== 1 || !types.every((t) => typeof t === 'string' && t in PRIMITIVES)) return undefined;
  const members = [...new Set(types.map((t) => PRIMITIVES[t as string]!))];
  return { text: members.length === 1 ? members[0]! : `(${members.join(' | ')})` };
}

function printEnum(node: SchemaObject, keys: string[], type: string | undefined): Printed | undefined {
  if (type !== undefined && !ENUM_TYPES.has(type)) return undefined;
  if (!keys.every((k) => k === 'type' || k === 'enum' || k === 'const')) return undefined;
  // `const` wins over `enum` (the library turns it into a one-value enum).
  const values = 'const' in node ? [node['const']] : node['enum'];
  if (!Array.isArray(values) || !values.every(isScalar)) return undefined;
  const literals = [...new Set(values.map((v) => JSON.stringify(v)))];
  if (literals.length === 0) return { text: 'never' };
  return { text: literals.length === 1 ? literals[0]! : `(${literals.join(' | ')})` };
}

function printArray(node: SchemaObject, keys: string[]): Printed | undefined {
  if (!keys.every((k) => k === 'type' || k === 'items')) return undefined;
  if (!('items' in node)) return { text: 'unknown[]', isArray: true };
  const item = print(node['items']);
  if (item === undefined) return undefined;
  return { text: item.text.endsWith('"') ? `(${item.text})[]` : `${item.text}[]`, item, isArray: true };
}

/** Whether the library makes an interface of this schema: its (normalised) type and keywords say an object. */
function isInterface(node: SchemaObject, type: string | undefined): boolean {
  if (type !== undefined && type !== 'object') return false;
  return Object.keys(node).every((k) => ANNOTATIONS.has(k) || OBJECT_KEYWORDS.has(k));
}

function printInterface(node: SchemaObject, type: string | undefined): string | undefined {
  const properties = node['properties'] ?? {};
  const required = node['required'] ?? [];
  if (!isObject(properties) || !Array.isArray(required)) return undefined;
  // Unsaid, additional properties are closed on an object (the option) and open otherwise.
  const isObjectType = node['properties'] !== undefined || type === 'object';
  const additional = 'additionalProperties' in node ? node['additionalProperties'] : isObjectType ? false : undefined;
  const open = additional === true || additional === undefined || (isObject(additional) && Object.keys(additional).length === 0);
  if (additional !== false && !open) return undefined;
  const lines: string[] = [];
  for (const [name, sub] of Object.entries(properties)) {
    // A property schema's own `required: true` (draft 3) would make it required: not handled here.
    if (isObject(sub) && 'required' in sub && !Array.isArray(sub['required'])) return undefined;
    const printed = print(sub);
    if (printed === undefined) return undefined;
    lines.push(`${comment(printed)}${keyName(name)}${required.includes(name) ? '' : '?'}: ${printed.text}`);
  }
  if (open) lines.push('[k: string]: unknown | undefined');
  return `{\n${lines.join('\n')}\n}`;
}

/** The comment block above a property line (with its newline), or nothing. */
function comment(printed: Printed): string {
  let text = printed.comment;
  const item = printed.item;
  // An item's description is lifted to the array's line: an inline type has nowhere else to put it.
  if (item !== undefined && !item.isArray && item.comment && !/(^|\s)@\w/.test(item.comment)) {
    text = text ? `${text}\n\nItems: ${item.comment}` : `Items: ${item.comment}`;
  }
  const hasText = text !== undefined && text !== '';
  if (!hasText && printed.deprecated !== true) return '';
  const lines = ['/**'];
  if (printed.deprecated) lines.push(' * @deprecated');
  if (text !== undefined) lines.push(...text.split('\n').map((l) => ` * ${l}`));
  lines.push(' */');
  return `${lines.join('\n')}\n`;
}

/**
 * A property key as the generated declaration writes it: bare when an identifier name, else a
 * string literal (the same rule emit-types.ts applies to the keys it gets back from the library).
 */
export function keyName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : stringLiteral(name);
}

function annotationsOk(node: SchemaObject): boolean {
  const description = node['description'];
  const deprecated = node['deprecated'];
  // The library fails on other types (a comment must split into lines; its validator wants a boolean).
  return (description === undefined || typeof description === 'string') && (deprecated === undefined || typeof deprecated === 'boolean');
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
