/**
 * toOpenAIStrict's rules: which keywords are kept or moved into words, what the root must be,
 * the nesting depth, and the problems it reports (ordered, without touching the input).
 */
import { describe, expect, it } from 'vitest';
import { toOpenAIStrict } from '../../runtime/schema/openai-strict.js';
import type { JsonSchema } from '../../runtime/contract/spec.js';
import { deepFreeze, obj, pointers, problems, strict } from './openai-strict.helpers.js';

describe('keywords', () => {
  it('moves unsupported keywords into the description, one sentence each, in input order', () => {
    const out = strict(obj({ name: { type: 'string', description: 'The name', minLength: 3, default: 'x' } }, { required: ['name'] })) as {
      properties: unknown;
    };
    expect(out.properties).toEqual({ name: { type: 'string', description: 'The name (minLength: 3, default: "x")' } });
    const bare = strict(obj({ n: { type: 'string', maxLength: 5 } }, { required: ['n'] })) as { properties: unknown };
    expect(bare.properties).toEqual({ n: { type: 'string', description: 'maxLength: 5' } });
  });

  it('describes unsupported formats and keywords with structure in words (JSON)', () => {
    const out = strict(
      obj(
        {
          u: { type: 'string', format: 'uri', $comment: 'c' },
          xs: { type: 'array', items: { type: 'integer' }, uniqueItems: true, contains: { const: 1 } },
          o: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], minProperties: 1, propertyNames: { pattern: '^a' }, examples: [{}] },
          n: { type: 'number', not: { const: 0 }, if: { minimum: 1 }, then: { maximum: 2 } },
        },
        { required: ['u', 'xs', 'o', 'n'] },
      ),
    ) as { properties: Record<string, { description?: string }> };
    expect(out.properties['u']).toEqual({ type: 'string', description: 'format: "uri", $comment: "c"' });
    expect(out.properties['xs']!.description).toBe('uniqueItems: true, contains: {"const":1}');
    expect(out.properties['o']!.description).toBe('minProperties: 1, propertyNames: {"pattern":"^a"}, examples: [{}]');
    expect(out.properties['n']!.description).toBe('not: {"const":0}, if: {"minimum":1}, then: {"maximum":2}');
  });

  it('refuses free-form objects, except a tool declaring no arguments', () => {
    const nested = toOpenAIStrict({ type: 'object', properties: { meta: { type: 'object' } }, required: ['meta'] });
    expect(nested).toEqual({ ok: false, problems: [{ pointer: '/properties/meta', message: 'a free-form object (no properties) cannot be strict' }] });
    // A tool whose parameters declare no properties takes no arguments.
    expect(toOpenAIStrict({ type: 'object' })).toEqual({ ok: true, schema: { type: 'object', properties: {}, required: [], additionalProperties: false } });
    // An output is not arguments: a free-form output object cannot be strict.
    expect(toOpenAIStrict({ type: 'object' }, { requireObjectRoot: false }).ok).toBe(false);
    // Closed by its author, an object without properties is just that: {}.
    expect(toOpenAIStrict({ type: 'object', properties: { e: { type: 'object', additionalProperties: false } }, required: ['e'] }).ok).toBe(true);
  });

  it('keeps the keywords strict mode supports', () => {
    const properties = {
      s: { type: 'string', title: 'S', description: 'str', pattern: '^[a-z]+$', format: 'email' },
      d: { type: 'string', format: 'date-time' },
      n: { type: 'number', minimum: 0, maximum: 10, exclusiveMinimum: -1, exclusiveMaximum: 11, multipleOf: 0.5 },
      i: { type: 'integer', enum: [1, 2, 3] },
      c: { const: 'fixed' },
      a: { type: 'array', items: { type: 'boolean' }, minItems: 1, maxItems: 2 },
    };
    expect(strict({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false })).toEqual({
      type: 'object',
      properties,
      required: Object.keys(properties),
      additionalProperties: false,
    });
  });

  it('drops identifiers such as $schema and $id without a word', () => {
    expect(strict({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'urn:x', type: 'object', properties: {} })).toEqual({
      type: 'object',
      properties: {},
      required: [],
      additionalProperties: false,
    });
  });
});

describe('the root', () => {
  it('must be an object by default, and may be anything when requireObjectRoot is false', () => {
    expect(problems({ type: 'string' })).toEqual([{ pointer: '', message: 'the root must be an object schema (type: "object")' }]);
    expect(pointers({ anyOf: [obj({}), { type: 'null' }] })).toEqual(['']);
    expect(strict({ type: 'string', minLength: 1 }, { requireObjectRoot: false })).toEqual({ type: 'string', description: 'minLength: 1' });
    expect(strict({ type: 'array', items: { type: 'string' } }, { requireObjectRoot: false })).toEqual({ type: 'array', items: { type: 'string' } });
  });

  it('reports a boolean root, with or without requireObjectRoot', () => {
    expect(pointers(true, { requireObjectRoot: false })).toEqual(['']);
    expect(problems(true).map((p) => p.message)).toEqual([
      'a schema that accepts any value cannot be strict',
      'the root must be an object schema (type: "object")',
    ]);
  });

  it('treats a root $ref as the schema it points to, keeping the $defs it still uses', () => {
    const schema = {
      $ref: '#/$defs/Booking',
      description: 'A booking',
      $defs: {
        Booking: { type: 'object', description: 'inner', properties: { seat: { type: 'string' }, next: { $ref: '#/$defs/Booking' } }, required: ['seat'] },
      },
    };
    const booking = {
      type: 'object',
      description: 'inner',
      properties: { seat: { type: 'string' }, next: { anyOf: [{ $ref: '#/$defs/Booking' }, { type: 'null' }] } },
      required: ['seat', 'next'],
      additionalProperties: false,
    };
    expect(strict(schema)).toEqual({ ...booking, description: 'A booking', $defs: { Booking: booking } });
    expect(pointers({ $ref: '#/$defs/Name', $defs: { Name: { type: 'string' } } })).toEqual(['']);
    expect(strict({ $ref: '#/$defs/Name', $defs: { Name: { type: 'string' } } }, { requireObjectRoot: false })).toEqual({
      type: 'string',
    });
  });

  it('keeps $defs where they were in a root object', () => {
    const out = strict({ $defs: { S: { type: 'string' } }, type: 'object', properties: { s: { $ref: '#/$defs/S' } }, required: ['s'] });
    expect(Object.keys(out as object)).toEqual(['$defs', 'type', 'properties', 'required', 'additionalProperties']);
  });
});

describe('nesting depth', () => {
  /** `levels` objects nested through a property named `child`. */
  function nested(levels: number): JsonSchema {
    let schema: JsonSchema = obj({ leaf: { type: 'string' } }, { required: ['leaf'] });
    for (let i = 1; i < levels; i++) schema = obj({ child: schema }, { required: ['child'] });
    return schema;
  }

  it('accepts 10 levels of objects and reports the 11th, once', () => {
    expect(toOpenAIStrict(nested(10)).ok).toBe(true);
    expect(problems(nested(12))).toEqual([{ pointer: '/properties/child'.repeat(10), message: 'objects nested deeper than 10 levels cannot be strict' }]);
  });

  it('does not count arrays and unions as object levels', () => {
    let schema: JsonSchema = obj({ leaf: { type: 'string' } }, { required: ['leaf'] });
    for (let i = 1; i < 10; i++) schema = obj({ child: { anyOf: [{ type: 'array', items: schema }, { type: 'null' }] } }, { required: ['child'] });
    expect(toOpenAIStrict(schema).ok).toBe(true);
  });
});

describe('problems, purity and determinism', () => {
  const messy = {
    type: 'object',
    properties: {
      z: { type: 'object', additionalProperties: true },
      a: { anyOf: Array.from({ length: 11 }, (_, i) => (i === 2 || i === 10 ? {} : { type: 'string' })) },
      m: { type: 'array', prefixItems: [] },
      b: { allOf: [{ type: 'string' }, { type: 'string' }] },
    },
    patternProperties: { x: { type: 'string' } },
    $defs: { D: true },
  };

  it('collects every problem, sorted by pointer (array indices as numbers)', () => {
    expect(pointers(messy)).toEqual([
      '/$defs/D',
      '/patternProperties',
      '/properties/a/anyOf/2',
      '/properties/a/anyOf/10',
      '/properties/b/allOf',
      '/properties/m/prefixItems',
      '/properties/z/additionalProperties',
    ]);
  });

  it('does not mutate its input', () => {
    const inputs: JsonSchema[] = [
      messy,
      {
        $ref: '#/$defs/A',
        description: 'x',
        $defs: {
          A: obj(
            { a: { type: 'string', minLength: 1 }, b: { oneOf: [{ $ref: '#/$defs/A', title: 't' }, { type: 'null' }] } },
            { allOf: [{ required: ['a'] }] },
          ),
        },
      },
    ];
    for (const input of inputs) {
      const before = structuredClone(input);
      deepFreeze(input);
      toOpenAIStrict(input);
      toOpenAIStrict(input, { requireObjectRoot: false });
      expect(input).toEqual(before);
    }
  });

  it('returns new objects, sharing nothing mutable with the input', () => {
    const input = obj({ a: { type: 'string' } }, { required: ['a'] }) as { properties: { a: object } };
    const out = strict(input) as { properties: { a: object } };
    expect(out).not.toBe(input);
    expect(out.properties).not.toBe(input.properties);
    expect(out.properties.a).not.toBe(input.properties.a);
  });

  it('is deterministic, key order included', () => {
    const schema = {
      description: 'd',
      type: 'object',
      required: ['b'],
      properties: { b: { type: 'string', maxLength: 2, format: 'uri' }, a: { oneOf: [{ $ref: '#/$defs/X', description: 'x' }, { type: 'integer' }] } },
      $defs: { X: { type: 'object', properties: { q: { type: 'boolean' } } } },
    };
    const first = JSON.stringify(strict(schema));
    for (let i = 0; i < 3; i++) expect(JSON.stringify(strict(structuredClone(schema)))).toBe(first);
    expect(first).toBe(
      '{"description":"d","type":"object","required":["b","a"],"properties":{"b":{"type":"string","description":"maxLength: 2, format: \\"uri\\""},' +
        '"a":{"anyOf":[{"anyOf":[{"$ref":"#/$defs/X"}],"description":"x"},{"type":"integer"},{"type":"null"}]}},' +
        '"$defs":{"X":{"type":"object","properties":{"q":{"anyOf":[{"type":"boolean"},{"type":"null"}]}},"required":["q"],"additionalProperties":false}},"additionalProperties":false}',
    );
  });
});
