/**
 * toOpenAIStrict on the shapes of schemas: objects, arrays (and values that cannot be strict),
 * combinators and references, rewritten into OpenAI's strict structured-outputs dialect or
 * reported by JSON pointer.
 */
import { describe, expect, it } from 'vitest';
import { toOpenAIStrict } from '../../runtime/schema/openai-strict.js';
import { obj, pointers, problems, strict } from './openai-strict.helpers.js';

describe('objects', () => {
  it('makes every property required, in properties order, and closes the object', () => {
    expect(strict(obj({ b: { type: 'string' }, a: { type: 'integer' } }, { required: ['a', 'b'] }))).toEqual({
      type: 'object',
      properties: { b: { type: 'string' }, a: { type: 'integer' } },
      required: ['b', 'a'],
      additionalProperties: false,
    });
  });

  it('keeps additionalProperties: false where it was and adds properties: {} when absent', () => {
    const out = strict({ type: 'object', additionalProperties: false, description: 'empty' });
    expect(out).toEqual({ type: 'object', additionalProperties: false, description: 'empty', properties: {}, required: [] });
    expect(Object.keys(out as object)).toEqual(['type', 'additionalProperties', 'description', 'properties', 'required']);
  });

  it('makes an optional property nullable, with its description and title on the wrapper', () => {
    const out = strict(obj({ name: { type: 'string', title: 'Name', description: 'Who', pattern: '^a' }, id: { type: 'integer' } }, { required: ['id'] }));
    expect(out).toEqual({
      type: 'object',
      properties: {
        name: { anyOf: [{ type: 'string', pattern: '^a' }, { type: 'null' }], title: 'Name', description: 'Who' },
        id: { type: 'integer' },
      },
      required: ['name', 'id'],
      additionalProperties: false,
    });
  });

  it('does not wrap an optional property that already accepts null', () => {
    const out = strict({
      type: 'object',
      properties: {
        a: { type: ['string', 'null'] },
        b: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        c: { $ref: '#/$defs/MaybeName' },
        d: { enum: ['x', null] },
        e: { const: null },
      },
      $defs: { MaybeName: { type: ['string', 'null'] } },
    }) as { properties: Record<string, unknown> };
    expect(out.properties).toEqual({
      a: { type: ['string', 'null'] },
      b: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      c: { $ref: '#/$defs/MaybeName' },
      d: { enum: ['x', null] },
      e: { const: null },
    });
  });

  it('adds null to an optional anyOf rather than nesting it', () => {
    const out = strict(obj({ v: { anyOf: [{ type: 'string' }, { type: 'integer' }], description: 'd' } })) as { properties: Record<string, unknown> };
    expect(out.properties['v']).toEqual({ anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }], description: 'd' });
  });

  it('reports an open map at its additionalProperties', () => {
    expect(problems(obj({ tags: { type: 'object', additionalProperties: { type: 'string' } } }, { required: ['tags'] }))).toEqual([
      { pointer: '/properties/tags/additionalProperties', message: 'an open object (additionalProperties) cannot be strict' },
    ]);
    expect(pointers({ type: 'object', additionalProperties: true })).toEqual(['/additionalProperties']);
  });

  it('drops unevaluatedProperties: false and reports any other value', () => {
    expect(strict({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], unevaluatedProperties: false })).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
      required: ['a'],
      additionalProperties: false,
    });
    expect(pointers({ type: 'object', unevaluatedProperties: { type: 'string' } })).toEqual(['/unevaluatedProperties']);
  });

  it('reports patternProperties', () => {
    expect(problems({ type: 'object', patternProperties: { '^x': { type: 'string' } } })).toEqual([
      { pointer: '/patternProperties', message: 'patternProperties cannot be strict' },
    ]);
  });

  it('reports a required name that has no schema', () => {
    expect(pointers({ type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'b'] })).toEqual(['/required']);
  });

  it('adds type: "object" to a node that has properties but no type', () => {
    expect(strict(obj({ inner: { properties: { x: { type: 'string' } }, required: ['x'] } }, { required: ['inner'] }))).toEqual({
      type: 'object',
      properties: { inner: { type: 'object', properties: { x: { type: 'string' } }, required: ['x'], additionalProperties: false } },
      required: ['inner'],
      additionalProperties: false,
    });
  });
});

describe('arrays and values that cannot be strict', () => {
  it('transforms items', () => {
    expect(strict(obj({ xs: { type: 'array', items: obj({ a: { type: 'string' } }), minItems: 1, maxItems: 3 } }, { required: ['xs'] }))).toEqual({
      type: 'object',
      properties: {
        xs: {
          type: 'array',
          items: { type: 'object', properties: { a: { anyOf: [{ type: 'string' }, { type: 'null' }] } }, required: ['a'], additionalProperties: false },
          minItems: 1,
          maxItems: 3,
        },
      },
      required: ['xs'],
      additionalProperties: false,
    });
  });

  it('reports tuples (prefixItems) once, at prefixItems', () => {
    expect(problems(obj({ t: { type: 'array', prefixItems: [{ type: 'string' }], items: false } }, { required: ['t'] }))).toEqual([
      { pointer: '/properties/t/prefixItems', message: 'tuples (prefixItems) cannot be strict' },
    ]);
  });

  it('reports an array without items, or with items that accept anything', () => {
    expect(problems(obj({ a: { type: 'array' } }))).toEqual([
      { pointer: '/properties/a', message: 'a schema that accepts any value cannot be strict (an array without items)' },
    ]);
    expect(problems(obj({ a: { type: 'array', items: true } }))).toEqual([
      { pointer: '/properties/a/items', message: 'a schema that accepts any value cannot be strict' },
    ]);
    expect(pointers(obj({ a: { type: 'array', items: {} } }))).toEqual(['/properties/a/items']);
  });

  it('reports {}, true, a schema with only annotations and false', () => {
    expect(problems(obj({ a: {}, b: true, c: { description: 'anything' }, d: false }))).toEqual([
      { pointer: '/properties/a', message: 'a schema that accepts any value cannot be strict' },
      { pointer: '/properties/b', message: 'a schema that accepts any value cannot be strict' },
      { pointer: '/properties/c', message: 'a schema that accepts any value cannot be strict' },
      { pointer: '/properties/d', message: 'a schema that accepts no value (false) cannot be strict' },
    ]);
  });

  it('reports an enum with more than 1000 values', () => {
    const values = Array.from({ length: 1001 }, (_, i) => `v${i}`);
    expect(pointers(obj({ e: { enum: values } }, { required: ['e'] }))).toEqual(['/properties/e/enum']);
    expect(strict(obj({ e: { enum: values.slice(0, 1000) } }, { required: ['e'] }))).toBeTruthy();
  });

  it('reports more than 5000 properties in total', () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { type: 'string' }]));
    expect(problems(obj({ a: obj(many(2500)), b: obj(many(2499)) }))).toEqual([
      { pointer: '', message: '5001 properties in total; strict mode allows at most 5000' },
    ]);
    expect(toOpenAIStrict(obj({ a: obj(many(2500)), b: obj(many(2498)) })).ok).toBe(true);
  });
});

describe('combinators and references', () => {
  it('turns oneOf into anyOf, members transformed', () => {
    expect(strict(obj({ v: { oneOf: [obj({ a: { type: 'string' } }, { required: ['a'] }), { type: 'integer' }] } }, { required: ['v'] }))).toEqual({
      type: 'object',
      properties: {
        v: { anyOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false }, { type: 'integer' }] },
      },
      required: ['v'],
      additionalProperties: false,
    });
  });

  it('merges a single-member allOf: the member wins, the node keeps its description, properties and required unite', () => {
    const schema = {
      type: 'object',
      description: 'outer',
      properties: { a: { type: 'string' } },
      required: ['a'],
      allOf: [{ description: 'inner', properties: { b: { type: 'integer', minimum: 0 } }, required: ['b'], title: 'T' }],
    };
    const out = strict(schema);
    expect(out).toEqual({
      type: 'object',
      description: 'outer',
      properties: { a: { type: 'string' }, b: { type: 'integer', minimum: 0 } },
      required: ['a', 'b'],
      title: 'T',
      additionalProperties: false,
    });
    expect(Object.keys(out as object)).toEqual(['type', 'description', 'properties', 'required', 'title', 'additionalProperties']);
  });

  it('reports an allOf member problem at its pointer after merging', () => {
    expect(pointers({ type: 'object', allOf: [{ properties: { x: {} }, required: ['x'] }] })).toEqual(['/allOf/0/properties/x']);
  });

  it('reports an allOf with more than one member', () => {
    expect(problems(obj({ v: { allOf: [{ type: 'string' }, { minLength: 1 }] } }))).toEqual([
      { pointer: '/properties/v/allOf', message: 'allOf with 2 members cannot be strict (only a single member can be merged)' },
    ]);
  });

  it('wraps a $ref with a description in anyOf, and moves other siblings into words', () => {
    const out = strict({
      type: 'object',
      properties: {
        home: { $ref: '#/$defs/Address', description: 'Where they live' },
        work: { $ref: '#/$defs/Address', deprecated: true },
        plain: { $ref: '#/$defs/Address' },
      },
      required: ['home', 'work', 'plain'],
      $defs: { Address: obj({ city: { type: 'string' } }, { required: ['city'] }) },
    }) as { properties: unknown };
    expect(out.properties).toEqual({
      home: { anyOf: [{ $ref: '#/$defs/Address' }], description: 'Where they live' },
      work: { anyOf: [{ $ref: '#/$defs/Address' }], description: 'deprecated: true' },
      plain: { $ref: '#/$defs/Address' },
    });
  });

  it('reports shaping keywords next to $ref, and references it cannot resolve', () => {
    expect(
      problems({
        type: 'object',
        properties: {
          a: { $ref: '#/$defs/A', properties: { x: { type: 'string' } } },
          b: { $ref: '#/$defs/Missing' },
          c: { $ref: 'https://example.com/other.json' },
        },
        $defs: { A: obj({}) },
      }),
    ).toEqual([
      { pointer: '/properties/a/properties', message: 'properties next to $ref cannot be strict' },
      { pointer: '/properties/b/$ref', message: 'unresolved reference "#/$defs/Missing"' },
      { pointer: '/properties/c/$ref', message: 'only references to root $defs (#/$defs/Name) can be strict' },
    ]);
  });

  it('transforms recursive $defs once each, leaving references as references', () => {
    const schema = {
      type: 'object',
      properties: { root: { $ref: '#/$defs/Node' } },
      required: ['root'],
      $defs: {
        Node: obj(
          { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } }, partner: { $ref: '#/$defs/Other' } },
          { required: ['label', 'children'] },
        ),
        Other: obj({ back: { $ref: '#/$defs/Node' } }),
      },
    };
    expect(strict(schema)).toEqual({
      type: 'object',
      properties: { root: { $ref: '#/$defs/Node' } },
      required: ['root'],
      additionalProperties: false,
      $defs: {
        Node: {
          type: 'object',
          properties: {
            label: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/$defs/Node' } },
            partner: { anyOf: [{ $ref: '#/$defs/Other' }, { type: 'null' }] },
          },
          required: ['label', 'children', 'partner'],
          additionalProperties: false,
        },
        Other: {
          type: 'object',
          properties: { back: { anyOf: [{ $ref: '#/$defs/Node' }, { type: 'null' }] } },
          required: ['back'],
          additionalProperties: false,
        },
      },
    });
  });

  it('reports problems inside $defs at their pointer', () => {
    expect(
      pointers({
        type: 'object',
        properties: { n: { $ref: '#/$defs/N' } },
        required: ['n'],
        $defs: { N: obj({ any: {} }), 'a/b': { type: 'object', additionalProperties: {} } },
      }),
    ).toEqual(['/$defs/N/properties/any', '/$defs/a~1b/additionalProperties']);
  });
});
