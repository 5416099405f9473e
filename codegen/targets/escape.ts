/**
 * The only ways a value from the definitions reaches generated code. Templates run with
 * Handlebars escaping off, so every value goes through one of these helpers:
 * identifiers are checked, strings and data are encoded as literals, comment text is sanitised.
 */
import { isIdentifier } from '../compiler/naming.js';

/** Thrown when a value cannot be placed in code safely: a bug in the generator, never user input. */
export class UnsafeValueError extends Error {}

/** An identifier, checked against the identifier grammar and the reserved words. */
export function identifier(name: string): string {
  if (!isIdentifier(name)) throw new UnsafeValueError(`not a safe identifier: ${JSON.stringify(name)}`);
  return name;
}

/**
 * A property name for an interface member or object literal key: written bare when it is an
 * identifier name (reserved words such as `class` are valid property names), quoted otherwise.
 * `__proto__` is always quoted as a computed key, since a bare or quoted `__proto__:` in an object
 * literal sets the prototype.
 */
export function propertyName(name: string): string {
  if (name === '__proto__') return `[${stringLiteral(name)}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : stringLiteral(name);
}

/**
 * A string literal. JSON encoding escapes quotes, backslashes and control characters; U+2028 and
 * U+2029 are escaped too, for tools that still treat them as line ends.
 */
export function stringLiteral(value: string): string {
  return escapeLineSeparators(JSON.stringify(value));
}

/**
 * A TypeScript literal of JSON data, indented, with short values kept on one line. Like JSON,
 * except that a key named `__proto__` is written as a computed key: `{"__proto__": x}` in an
 * object literal would set the prototype instead of creating the property.
 */
export function dataLiteral(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return scalarLiteral(value);
  const flat = flatLiteral(value, LINE_WIDTH - indent.length);
  if (flat !== undefined) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => inner + dataLiteral(v, inner)).join(',\n')},\n${indent}]`;
  }
  const body = Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${inner}${propertyKey(k)}: ${dataLiteral(v, inner)}`)
    .join(',\n');
  return `{\n${body},\n${indent}}`;
}

/** Lines of data literals longer than this are broken up. */
const LINE_WIDTH = 88;

function scalarLiteral(value: unknown): string {
  return escapeLineSeparators(JSON.stringify(value) ?? 'null');
}

/**
 * The one-line form of a value, or undefined as soon as it would exceed `budget` characters
 * (stopping early keeps the whole rendering linear in the size of the data).
 */
function flatLiteral(value: unknown, budget: number): string | undefined {
  if (value === null || typeof value !== 'object') {
    const text = scalarLiteral(value);
    return text.length <= budget ? text : undefined;
  }
  const isArray = Array.isArray(value);
  const entries = isArray ? value.map((v) => ['', v] as const) : Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return isArray ? '[]' : '{}';
  const parts: string[] = [];
  // `[` `]` or `{ ` ` }`, then `, ` between items.
  let length = isArray ? 2 : 4;
  for (const [k, v] of entries) {
    const key = isArray ? '' : `${propertyKey(k)}: `;
    const separator = parts.length === 0 ? 0 : 2;
    const item = flatLiteral(v, budget - length - separator - key.length);
    if (item === undefined) return undefined;
    parts.push(key + item);
    length += separator + key.length + item.length;
    if (length > budget) return undefined;
  }
  return isArray ? `[${parts.join(', ')}]` : `{ ${parts.join(', ')} }`;
}

function propertyKey(key: string): string {
  return key === '__proto__' ? `[${stringLiteral(key)}]` : stringLiteral(key);
}

/**
 * Text for a JSDoc or block comment: nothing in it can end the comment (`*\/`), and line ends
 * (including U+2028/U+2029) become separate comment lines. Returns the lines.
 */
export function commentLines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u2028\u2029]/g, '\n')
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''));
}

/** One line of comment text: like {@link commentLines}, joined with spaces. */
export function commentText(text: string): string {
  return commentLines(text)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
}

function escapeLineSeparators(code: string): string {
  return code.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * Code the generator produced itself (a declaration from json-schema-to-typescript, a validator
 * from Ajv). Templates insert it only through the `code` helper, which accepts nothing else, so a
 * plain string from the definitions can never reach a template as code.
 */
export class Code {
  constructor(readonly text: string) {}
}
