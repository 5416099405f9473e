/**
 * Data literals (escape.ts) are written in one pass, and shared values once per run: the text is
 * the same as the straightforward encoding's (kept below as the reference: try the one-line form
 * within the line's budget, else break the value up and encode each member on its own line).
 * Comment lines take a fast path for plain text, with the same result.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commentLines, dataLiteral, shareLiteral, stringLiteral, withSharedLiterals } from '../../../codegen/targets/escape.js';

const LINE_WIDTH = 88;

function reference(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return scalar(value);
  const flat = flatReference(value, LINE_WIDTH - indent.length);
  if (flat !== undefined) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + reference(v, inner)).join(',\n')},\n${indent}]`;
  const body = Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${inner}${key(k)}: ${reference(v, inner)}`)
    .join(',\n');
  return `{\n${body},\n${indent}}`;
}

function flatReference(value: unknown, budget: number): string | undefined {
  if (value === null || typeof value !== 'object') {
    const text = scalar(value);
    return text.length <= budget ? text : undefined;
  }
  const isArray = Array.isArray(value);
  const entries = isArray ? value.map((v) => ['', v] as const) : Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return isArray ? '[]' : '{}';
  const parts: string[] = [];
  let length = isArray ? 2 : 4;
  for (const [k, v] of entries) {
    const prefix = isArray ? '' : `${key(k)}: `;
    const separator = parts.length === 0 ? 0 : 2;
    const item = flatReference(v, budget - length - separator - prefix.length);
    if (item === undefined) return undefined;
    parts.push(prefix + item);
    length += separator + prefix.length + item.length;
    if (length > budget) return undefined;
  }
  return isArray ? `[${parts.join(', ')}]` : `{ ${parts.join(', ')} }`;
}

function scalar(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function key(k: string): string {
  return k === '__proto__' ? `[${stringLiteral(k)}]` : stringLiteral(k);
}

/** Every object and array in `value`. */
function containers(value: unknown): object[] {
  if (typeof value !== 'object' || value === null) return [];
  return [value, ...Object.values(value).flatMap(containers)];
}

const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ minLength: 30, maxLength: 100 }),
  fc.constantFrom('a\u2028b', '\u2029', '__proto__', 'x'.repeat(84)),
);
const json = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 6, depthIdentifier: 'json' },
    fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(fc.oneof(text, fc.constantFrom('__proto__', 'type', '0', '12')), tie('value'), { maxKeys: 6 }),
  ),
})).value;
const indent = fc.constantFrom('', '  ', '    ', ' '.repeat(40), ' '.repeat(86), ' '.repeat(100));

describe('data literals', () => {
  it('are the reference encoding, at any indentation', () => {
    fc.assert(
      fc.property(json, indent, (value, at) => {
        expect(dataLiteral(value, at)).toBe(reference(value, at));
      }),
      { numRuns: 2000, seed: 20261204 },
    );
  });

  it('are the reference encoding when parts are shared, written once and reused', () => {
    fc.assert(
      fc.property(json, indent, fc.func(fc.boolean()), (value, at, pick) => {
        const expected = reference(value, at);
        const shared = containers(value).filter((_, i) => pick(i));
        withSharedLiterals(() => {
          for (const part of shared) shareLiteral(part);
          // Twice, and with the shared parts alone first: reused texts give the same result.
          for (const part of shared) dataLiteral(part, at);
          expect(dataLiteral(value, at)).toBe(expected);
          expect(dataLiteral(value, at)).toBe(expected);
        });
      }),
      { numRuns: 1000, seed: 20261204 },
    );
  });

  it('reuse the text of a shared value, and forget it when the run ends', () => {
    const schema = { type: 'object', properties: { name: { type: 'string', description: 'x'.repeat(100) } } };
    const bundle = (n: number) => ({ type: 'array', items: { $ref: `#/$defs/T${n}` }, $defs: { T: schema } });
    withSharedLiterals(() => {
      shareLiteral(schema);
      const first = dataLiteral(bundle(1));
      schema.type = 'changed'; // not allowed while the run lasts: shows that the text is reused
      expect(dataLiteral(bundle(1))).toBe(first);
    });
    expect(dataLiteral(bundle(1))).toContain('"changed"');
    schema.type = 'object';
  });

  it('split comment text as before, fast path or not', () => {
    const reference = (text: string) =>
      text
        .replace(/\r\n?/g, '\n')
        .replace(/[\u2028\u2029]/g, '\n')
        .replace(/\*\//g, '*\\/')
        .split('\n')
        .map((line) => line.replace(/\s+$/, ''));
    const piece = fc.constantFrom('a', ' ', '\t', '\r', '\n', '\r\n', '\u2028', '\u2029', '*', '/', '*/', '\u00a0', '\ufeff', '\u3000', '\v', 'é');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        expect(commentLines(text)).toEqual(reference(text));
      }),
      { numRuns: 2000, seed: 20261204 },
    );
  });
});
