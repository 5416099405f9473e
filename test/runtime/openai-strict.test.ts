/**
 * toOpenAIStrict: bundled draft 2020-12 schemas rewritten into OpenAI's strict structured-outputs
 * dialect, or every reason they cannot be, by JSON pointer.
 */
import { describe, expect, it } from 'vitest';
import { acceptsNull } from '../../runtime/schema/json-kinds.js';
import { toOpenAIStrict, type StrictProblem } from '../../runtime/schema/openai-strict.js';
import type { JsonSchema } from '../../runtime/spec.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The strict schema, failing the test when there are problems. */
function strict(schema: JsonSchema, options?: { requireObjectRoot?: boolean }): JsonSchema {
  const result = toOpenAIStrict(deepFreeze(schema), options);
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`);
  return result.schema;
}

/** The problems, failing the test when the schema converts. */
function problems(schema: JsonSchema, options?: { requireObjectRoot?: boolean }): StrictProblem[] {
  const result = toOpenAIStrict(deepFreeze(schema), options);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.schema)}`);
  return result.problems;
}

const pointers = (schema: JsonSchema, options?: { requireObjectRoot?: boolean }) => problems(schema, options).map((p) => p.pointer);

/** An object schema with the given properties, none required. */
const obj = (properties: Record<string, JsonSchema>, extra: Record<string, unknown> = {}): JsonSchema => ({ type: 'object', properties, ...extra });

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
    expect(problems(obj({ a: { type: 'array' } }))).toEqual([{ pointer: '/properties/a', message: 'a schema that accepts any value cannot be strict (an array without items)' }]);
    expect(problems(obj({ a: { type: 'array', items: true } }))).toEqual([{ pointer: '/properties/a/items', message: 'a schema that accepts any value cannot be strict' }]);
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
    expect(problems(obj({ a: obj(many(2500)), b: obj(many(2499)) }))).toEqual([{ pointer: '', message: '5001 properties in total; strict mode allows at most 5000' }]);
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
      work: { anyOf: [{ $ref: '#/$defs/Address' }], description: 'deprecated: true.' },
      plain: { $ref: '#/$defs/Address' },
    });
  });

  it('reports shaping keywords next to $ref, and references it cannot resolve', () => {
    expect(problems({
      type: 'object',
      properties: {
        a: { $ref: '#/$defs/A', properties: { x: { type: 'string' } } },
        b: { $ref: '#/$defs/Missing' },
        c: { $ref: 'https://example.com/other.json' },
      },
      $defs: { A: obj({}) },
    })).toEqual([
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
        Node: obj({ label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } }, partner: { $ref: '#/$defs/Other' } }, { required: ['label', 'children'] }),
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
    expect(pointers({ type: 'object', properties: { n: { $ref: '#/$defs/N' } }, required: ['n'], $defs: { N: obj({ any: {} }), 'a/b': { type: 'object', additionalProperties: {} } } })).toEqual([
      '/$defs/N/properties/any',
      '/$defs/a~1b/additionalProperties',
    ]);
  });
});

describe('keywords', () => {
  it('moves unsupported keywords into the description, one sentence each, in input order', () => {
    const out = strict(obj({ name: { type: 'string', description: 'The name', minLength: 3, default: 'x' } }, { required: ['name'] })) as { properties: unknown };
    expect(out.properties).toEqual({ name: { type: 'string', description: 'The name minLength: 3. default: "x".' } });
    const bare = strict(obj({ n: { type: 'string', maxLength: 5 } }, { required: ['n'] })) as { properties: unknown };
    expect(bare.properties).toEqual({ n: { type: 'string', description: 'maxLength: 5.' } });
  });

  it('describes unsupported formats and keywords with structure in words (JSON)', () => {
    const out = strict(obj({
      u: { type: 'string', format: 'uri', $comment: 'c' },
      xs: { type: 'array', items: { type: 'integer' }, uniqueItems: true, contains: { const: 1 } },
      o: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], minProperties: 1, propertyNames: { pattern: '^a' }, examples: [{}] },
      n: { type: 'number', not: { const: 0 }, if: { minimum: 1 }, then: { maximum: 2 } },
    }, { required: ['u', 'xs', 'o', 'n'] })) as { properties: Record<string, { description?: string }> };
    expect(out.properties['u']).toEqual({ type: 'string', description: 'format: "uri". $comment: "c".' });
    expect(out.properties['xs']!.description).toBe('uniqueItems: true. contains: {"const":1}.');
    expect(out.properties['o']!.description).toBe('minProperties: 1. propertyNames: {"pattern":"^a"}. examples: [{}].');
    expect(out.properties['n']!.description).toBe('not: {"const":0}. if: {"minimum":1}. then: {"maximum":2}.');
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
    expect(strict({ type: 'string', minLength: 1 }, { requireObjectRoot: false })).toEqual({ type: 'string', description: 'minLength: 1.' });
    expect(strict({ type: 'array', items: { type: 'string' } }, { requireObjectRoot: false })).toEqual({ type: 'array', items: { type: 'string' } });
  });

  it('reports a boolean root, with or without requireObjectRoot', () => {
    expect(pointers(true, { requireObjectRoot: false })).toEqual(['']);
    expect(problems(true).map((p) => p.message)).toEqual(['a schema that accepts any value cannot be strict', 'the root must be an object schema (type: "object")']);
  });

  it('treats a root $ref as the schema it points to, keeping $defs at the root', () => {
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
    expect(strict({ $ref: '#/$defs/Name', $defs: { Name: { type: 'string' } } }, { requireObjectRoot: false })).toEqual({ type: 'string', $defs: { Name: { type: 'string' } } });
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
    expect(problems(nested(12))).toEqual([
      { pointer: '/properties/child'.repeat(10), message: 'objects nested deeper than 10 levels cannot be strict' },
    ]);
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
      { $ref: '#/$defs/A', description: 'x', $defs: { A: obj({ a: { type: 'string', minLength: 1 }, b: { oneOf: [{ $ref: '#/$defs/A', title: 't' }, { type: 'null' }] } }, { allOf: [{ required: ['a'] }] }) } },
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
      '{"description":"d","type":"object","required":["b","a"],"properties":{"b":{"type":"string","description":"maxLength: 2. format: \\"uri\\"."},' +
        '"a":{"anyOf":[{"anyOf":[{"$ref":"#/$defs/X"}],"description":"x"},{"type":"integer"},{"type":"null"}]}},' +
        '"$defs":{"X":{"type":"object","properties":{"q":{"anyOf":[{"type":"boolean"},{"type":"null"}]}},"required":["q"],"additionalProperties":false}},"additionalProperties":false}',
    );
  });
});

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
