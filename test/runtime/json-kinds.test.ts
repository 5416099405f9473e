/**
 * acceptsNull (json-kinds.ts): whether a schema accepts null, the static approximation the OpenAI
 * strict transform and the removal of optional nulls share.
 */
import { describe, expect, it } from 'vitest';
import { acceptsNull } from '../../runtime/schema/json-kinds.js';
import type { JsonSchema } from '../../runtime/contract/spec.js';

describe('acceptsNull', () => {
  const defs = {
    Null: { type: 'null' },
    Str: { type: 'string' },
    Loop: { $ref: '#/$defs/Loop' },
    A: { anyOf: [{ $ref: '#/$defs/B' }, { type: 'string' }] },
    B: { anyOf: [{ $ref: '#/$defs/A' }, { type: 'integer' }] },
    AOrNull: { anyOf: [{ $ref: '#/$defs/AOrNull' }, { type: 'null' }] },
  };

  it.each<[string, JsonSchema, boolean]>([
    ['true', true, true],
    ['false', false, false],
    ['{}', {}, true],
    ['annotations only', { description: 'x', minLength: 2 }, true],
    ['type null', { type: 'null' }, true],
    ['type array with null', { type: ['string', 'null'] }, true],
    ['type string', { type: 'string' }, false],
    ['const null', { const: null }, true],
    ['const other', { const: 1 }, false],
    ['enum with null', { enum: ['a', null] }, true],
    ['enum without null', { enum: ['a'] }, false],
    ['anyOf with a nullable member', { anyOf: [{ type: 'string' }, { type: 'null' }] }, true],
    ['anyOf without', { anyOf: [{ type: 'string' }, { type: 'integer' }] }, false],
    ['oneOf with a nullable member', { oneOf: [{ type: 'string' }, {}] }, true],
    ['allOf all nullable', { allOf: [{ type: ['string', 'null'] }, { enum: [null, 'a'] }] }, true],
    ['allOf one not nullable', { allOf: [{ type: ['string', 'null'] }, { type: 'string' }] }, false],
    ['$ref to null', { $ref: '#/$defs/Null' }, true],
    ['$ref to string', { $ref: '#/$defs/Str' }, false],
    ['$ref with description to null', { $ref: '#/$defs/Null', description: 'n' }, true],
    ['unresolved $ref', { $ref: '#/$defs/Nope' }, false],
    ['self-reference', { $ref: '#/$defs/Loop' }, false],
    ['mutual recursion without null', { $ref: '#/$defs/A' }, false],
    ['recursion with a null member', { $ref: '#/$defs/AOrNull' }, true],
    ['type excludes null though enum has it', { type: 'string', enum: ['a', null] }, false],
  ])('%s', (_name, schema, expected) => {
    expect(acceptsNull(schema, defs)).toBe(expected);
  });

  it('treats a $ref as unresolved without $defs', () => {
    expect(acceptsNull({ $ref: '#/$defs/Null' }, undefined)).toBe(false);
  });
});
