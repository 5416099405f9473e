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
  return literal(value, indent);
}

/** Lines of data literals longer than this are broken up. */
const LINE_WIDTH = 88;

/**
 * The one-line form of the value {@link literal} last wrote, when that form is at most
 * `LINE_WIDTH` long (undefined otherwise): what its parent needs to decide its own form. A value
 * is written on one line exactly when its one-line form fits in `LINE_WIDTH` less its indentation
 * (an empty object or array always is), so every value's one-line form and literal are made in
 * a single pass from those of its members, each member visited once.
 */
let lastFlat: string | undefined;

/** A shared value's one-line form, and its literal by indentation. */
interface Memo {
  flat?: string;
  texts: Map<string, string>;
}

/**
 * Literals of the values marked with {@link shareLiteral} while {@link withSharedLiterals} runs
 * (undefined otherwise).
 */
let sharing: WeakMap<object, Memo> | undefined;

/**
 * Runs `render` with the data literals of shared values (see {@link shareLiteral}) written once
 * per indentation and reused: a named type's schema is in the `$defs` of every tool and agent
 * that uses it, and would otherwise be encoded again each time. The memo lives only as long as
 * `render` runs, so a value changed between runs (watch mode) is never written from a stale memo.
 */
export function withSharedLiterals<T>(render: () => T): T {
  const outer = sharing;
  sharing = new WeakMap();
  try {
    return render();
  } finally {
    sharing = outer;
  }
}

/**
 * Marks a value whose literal recurs, within the current {@link withSharedLiterals}, to be written
 * once (by identity: the value must not change while it runs). Does nothing outside of one.
 */
export function shareLiteral(value: unknown): void {
  if (sharing !== undefined && typeof value === 'object' && value !== null && !sharing.has(value)) sharing.set(value, { texts: new Map() });
}

/** The literal of `value` at `indent`; sets {@link lastFlat}. */
function literal(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') {
    const text = scalarLiteral(value);
    lastFlat = text.length <= LINE_WIDTH ? text : undefined;
    return text;
  }
  const memo = sharing?.get(value);
  if (memo === undefined) return objectLiteral(value, indent);
  const known = memo.texts.get(indent);
  if (known !== undefined) {
    lastFlat = memo.flat;
    return known;
  }
  const text = objectLiteral(value, indent);
  memo.flat = lastFlat;
  memo.texts.set(indent, text);
  return text;
}

function objectLiteral(value: object, indent: string): string {
  const isArray = Array.isArray(value);
  const keys = isArray ? undefined : Object.keys(value);
  const count = keys === undefined ? (value as unknown[]).length : keys.length;
  if (count === 0) return (lastFlat = isArray ? '[]' : '{}');
  const inner = `${indent}  `;
  const lines: string[] = [];
  const flats: string[] = [];
  // `[` `]` or `{ ` ` }`, then `, ` between members: the one-line form's length so far.
  let flatLength = isArray ? 2 : 4;
  for (let i = 0; i < count; i++) {
    const key = keys === undefined ? '' : `${propertyKey(keys[i]!)}: `;
    const member = keys === undefined ? (value as unknown[])[i] : (value as Record<string, unknown>)[keys[i]!];
    lines.push(`${inner}${key}${literal(member, inner)}`);
    if (flatLength > LINE_WIDTH) continue;
    const flat = lastFlat;
    flatLength = flat === undefined ? Infinity : flatLength + (i === 0 ? 0 : 2) + key.length + flat.length;
    if (flatLength <= LINE_WIDTH) flats.push(key + flat!);
  }
  lastFlat = flatLength > LINE_WIDTH ? undefined : isArray ? `[${flats.join(', ')}]` : `{ ${flats.join(', ')} }`;
  if (lastFlat !== undefined && lastFlat.length <= LINE_WIDTH - indent.length) return lastFlat;
  return isArray ? `[\n${lines.join(',\n')},\n${indent}]` : `{\n${lines.join(',\n')},\n${indent}}`;
}

function scalarLiteral(value: unknown): string {
  // Only a string can hold a line separator.
  return typeof value === 'string' ? stringLiteral(value) : (JSON.stringify(value) ?? 'null');
}

function propertyKey(key: string): string {
  return key === '__proto__' ? `[${stringLiteral(key)}]` : stringLiteral(key);
}

/**
 * Text for a JSDoc or block comment: nothing in it can end the comment (`*\/`), and line ends
 * (including U+2028/U+2029) become separate comment lines. Returns the lines.
 */
export function commentLines(text: string): string[] {
  // Tested first: few texts hold a carriage return, a line separator or `*/` (every doc comment
  // of the tree comes through here). `trimEnd` trims what `/\s+$/` matches.
  const plain = RARE_IN_COMMENTS.test(text)
    ? text
        .replace(/\r\n?/g, '\n')
        .replace(/[\u2028\u2029]/g, '\n')
        .replace(/\*\//g, '*\\/')
    : text;
  return plain.split('\n').map((line) => line.trimEnd());
}

const RARE_IN_COMMENTS = /[\r\u2028\u2029]|\*\//;

/** One line of comment text: like {@link commentLines}, joined with spaces. */
export function commentText(text: string): string {
  return commentLines(text)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
}

const LINE_SEPARATORS = /[\u2028\u2029]/;

function escapeLineSeparators(code: string): string {
  // Tested first: almost no string holds one, and a test is cheaper than two replaces.
  return LINE_SEPARATORS.test(code) ? code.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029') : code;
}

/**
 * Code the generator produced itself (a declaration from json-schema-to-typescript, a validator
 * from Ajv). Templates insert it only through the `code` helper, which accepts nothing else, so a
 * plain string from the definitions can never reach a template as code.
 */
export class Code {
  constructor(readonly text: string) {}
}
