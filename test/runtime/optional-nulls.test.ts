/**
 * dropOptionalNulls: the nulls a strict-mode model sends for optional properties, removed against
 * the original schema; and, with Ajv, the round trip that justifies it: what the strict schema
 * accepts, once those nulls are dropped, the original schema accepts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSchema } from '../../runtime/schema/compile.js';
import { toOpenAIStrict } from '../../runtime/schema/openai-strict.js';
import { dropOptionalNulls } from '../../runtime/schema/optional-nulls.js';
import type { JsonSchema } from '../../runtime/contract/spec.js';
import { sampleFromSchema } from '../../runtime/testing/schema-data.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const person = deepFreeze({
  type: 'object',
  properties: {
    name: { type: 'string' },
    nickname: { type: 'string' },
    middle: { type: ['string', 'null'] },
    spouse: { type: ['object', 'null'], properties: { name: { type: 'string' } } },
    address: {
      type: 'object',
      properties: { street: { type: 'string' }, zip: { type: 'string' } },
      required: ['street'],
    },
    pets: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string' }, age: { type: 'integer' } }, required: ['kind'] } },
  },
  required: ['name'],
});

describe('dropOptionalNulls', () => {
  it('removes nulls at optional properties that do not accept null, in nested objects and arrays', () => {
    const value = {
      name: 'Ada',
      nickname: null,
      address: { street: 'Main', zip: null },
      pets: [
        { kind: 'cat', age: null },
        { kind: 'dog', age: 3 },
      ],
    };
    expect(dropOptionalNulls(value, person)).toEqual({ name: 'Ada', address: { street: 'Main' }, pets: [{ kind: 'cat' }, { kind: 'dog', age: 3 }] });
  });

  it('keeps a null at a required property (the validator reports it) and at a nullable optional one', () => {
    const value = { name: null, middle: null, spouse: null, address: { street: null } };
    expect(dropOptionalNulls(value, person)).toBe(value);
  });

  it('returns the same reference when nothing changes, and shares unchanged branches', () => {
    const value = { name: 'Ada', nickname: 'A', address: { street: 'Main' }, pets: [{ kind: 'cat', age: 2 }] };
    expect(dropOptionalNulls(value, person)).toBe(value);
    const changed = { ...value, nickname: null } as Record<string, unknown>;
    const out = dropOptionalNulls(changed, person) as Record<string, unknown>;
    expect(out).not.toBe(changed);
    expect(out['address']).toBe(value.address);
    expect(out['pets']).toBe(value.pets);
  });

  it('passes non-objects and values of other shapes through', () => {
    expect(dropOptionalNulls(null, person)).toBeNull();
    expect(dropOptionalNulls('x', person)).toBe('x');
    const list = [null, { nickname: null }];
    expect(dropOptionalNulls(list, person)).toBe(list);
    const pets = { pets: 'not an array', address: [1, null] };
    expect(dropOptionalNulls(pets, person)).toBe(pets);
  });

  it('does not mutate its input', () => {
    const value = deepFreeze({ name: 'Ada', nickname: null, address: { street: 'Main', zip: null }, pets: [{ kind: 'cat', age: null }] });
    const before = structuredClone(value);
    dropOptionalNulls(value, person);
    expect(value).toEqual(before);
  });

  it('follows $ref into root $defs, through recursive types', () => {
    const tree = deepFreeze({
      $ref: '#/$defs/Node',
      $defs: {
        Node: {
          type: 'object',
          properties: { label: { type: 'string' }, note: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
          required: ['label'],
        },
      },
    });
    const value = { label: 'a', note: null, children: [{ label: 'b', children: [{ label: 'c', note: null, children: null }] }] };
    expect(dropOptionalNulls(value, tree)).toEqual({ label: 'a', children: [{ label: 'b', children: [{ label: 'c' }] }] });
  });

  it('descends into the anyOf/oneOf members that can be objects (or arrays)', () => {
    const schema = deepFreeze({
      type: 'object',
      properties: {
        maybe: { anyOf: [{ type: 'object', properties: { x: { type: 'integer' } } }, { type: 'null' }] },
        either: { oneOf: [{ type: 'string' }, { $ref: '#/$defs/Point' }] },
        list: { anyOf: [{ type: 'array', items: { $ref: '#/$defs/Point' } }, { type: 'null' }] },
        // several object members: a null goes when none requires the property and none declaring it takes null
        two: {
          anyOf: [
            { type: 'object', properties: { x: { type: 'integer' } } },
            { type: 'object', properties: { y: { type: 'integer' } } },
          ],
        },
        conflict: {
          anyOf: [
            { type: 'object', properties: { x: { type: 'integer' } } },
            { type: 'object', properties: { x: { type: 'integer' } }, required: ['x'] },
          ],
        },
      },
      $defs: { Point: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } } } },
    });
    const value = { maybe: { x: null }, either: { x: 1, y: null }, list: [{ x: null, y: 2 }], two: { x: null, y: null }, conflict: { x: null } };
    expect(dropOptionalNulls(value, schema)).toEqual({ maybe: {}, either: { x: 1 }, list: [{ y: 2 }], two: {}, conflict: { x: null } });
  });

  it('leaves values alone under a (recursive) schema where nothing is optional and non-nullable', () => {
    const list = deepFreeze({
      $ref: '#/$defs/Cell',
      $defs: {
        Cell: { type: 'object', properties: { head: { type: 'integer' }, tail: { anyOf: [{ $ref: '#/$defs/Cell' }, { type: 'null' }] } }, required: ['head'] },
      },
    });
    const value = { head: 1, tail: { head: 2, tail: null } };
    expect(dropOptionalNulls(value, list)).toBe(value);
    const broken = { head: null, tail: { head: null, tail: null } };
    expect(dropOptionalNulls(broken, list)).toBe(broken);
  });

  it('reads a discriminated union through the member the value is', () => {
    const schema = deepFreeze({
      type: 'object',
      properties: {
        shape: {
          oneOf: [
            { type: 'object', properties: { kind: { const: 'circle' }, r: { type: 'number' }, label: { type: 'string' } }, required: ['kind'] },
            { type: 'object', properties: { kind: { enum: ['square'] }, r: { type: 'number' }, label: { type: ['string', 'null'] } }, required: ['kind', 'r'] },
          ],
        },
      },
    });
    expect(dropOptionalNulls({ shape: { kind: 'circle', r: null, label: null } }, schema)).toEqual({ shape: { kind: 'circle' } });
    // square requires r and accepts a null label: both nulls stay (the validator has its say)
    const square = { shape: { kind: 'square', r: null, label: null } };
    expect(dropOptionalNulls(square, schema)).toBe(square);
    // a value no member's tags fit is read through all members: a null any of them needs stays
    expect(dropOptionalNulls({ shape: { kind: 'hexagon', r: null, label: null } }, schema)).toEqual({ shape: { kind: 'hexagon', r: null, label: null } });
  });

  it('sees the properties of a single-member allOf, as the strict transform merges them', () => {
    const schema = deepFreeze({
      type: 'object',
      properties: { a: { type: 'string' } },
      allOf: [{ properties: { b: { type: 'string' } }, required: ['a'] }],
    });
    expect(dropOptionalNulls({ a: null, b: null }, schema)).toEqual({ a: null });
  });

  it('keeps a property named __proto__ an own property', () => {
    const schema = { type: 'object', properties: { ['__proto__']: { type: 'object', properties: { x: { type: 'string' } } } } };
    const value = JSON.parse('{"__proto__": {"x": null}}') as object;
    const out = dropOptionalNulls(value, schema) as object;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({});
  });

  it('agrees with toOpenAIStrict on which properties became nullable', () => {
    const strict = toOpenAIStrict(person);
    if (!strict.ok) throw new Error(JSON.stringify(strict.problems));
    const props = (strict.schema as { properties: Record<string, JsonSchema> }).properties;
    const wrapped = Object.keys(props).filter((k) => JSON.stringify(props[k]).endsWith('{"type":"null"}]}'));
    expect(wrapped).toEqual(['nickname', 'address', 'pets']);
    const allNull = Object.fromEntries(Object.keys(props).map((k) => [k, null]));
    expect(Object.keys(dropOptionalNulls(allNull, person) as object)).toEqual(['name', 'middle', 'spouse']);
  });
});

describe('dropOptionalNulls, property-based', () => {
  const schema = deepFreeze({
    type: 'object',
    properties: {
      id: { type: 'integer' },
      label: { type: 'string' },
      note: { type: ['string', 'null'] },
      inner: { type: 'object', properties: { flag: { type: 'boolean' }, count: { type: 'integer' } }, required: ['flag'] },
    },
    required: ['id'],
  });
  const optionalNonNullable = new Set(['label', 'inner']);
  const maybeNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
  const values = fc.record(
    {
      id: maybeNull(fc.integer()),
      label: maybeNull(fc.string()),
      note: maybeNull(fc.string()),
      inner: maybeNull(fc.record({ flag: maybeNull(fc.boolean()), count: maybeNull(fc.integer()) }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  );

  it('never leaves a null at an optional non-nullable property, and keeps every non-null value', () => {
    fc.assert(
      fc.property(values, (value) => {
        const out = dropOptionalNulls(value, schema) as Record<string, unknown>;
        for (const [key, v] of Object.entries(value)) {
          if (v === null && optionalNonNullable.has(key)) expect(out).not.toHaveProperty(key);
          else if (key === 'inner') {
            const inner = out['inner'] as Record<string, unknown>;
            for (const [k, w] of Object.entries(v as Record<string, unknown>)) {
              if (w === null && k === 'count') expect(inner).not.toHaveProperty(k);
              else expect(inner[k]).toBe(w);
            }
          } else expect(out[key]).toBe(v);
        }
        expect(Object.keys(out).every((k) => k in value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

/** Every `description` in a schema (or any JSON value). */
function descriptions(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === 'description' && typeof v === 'string' ? [v] : descriptions(v)));
}

describe('the strict round trip, checked by Ajv', () => {
  // Schemas with no constraint that strict mode would move into words: what the strict schema
  // accepts must then be exactly what the original accepts once the nulls are dropped.
  const schemas: Record<string, JsonSchema> = {
    person,
    tree: {
      $ref: '#/$defs/Node',
      $defs: {
        Node: {
          type: 'object',
          properties: {
            label: { type: 'string', pattern: '^[a-z]+$' },
            weight: { type: 'number', minimum: 0, maximum: 5 },
            kind: { enum: ['leaf', 'branch'] },
            children: { type: 'array', items: { $ref: '#/$defs/Node' }, maxItems: 2 },
            meta: { $ref: '#/$defs/Meta', description: 'about the node' },
          },
          required: ['label'],
        },
        Meta: { type: 'object', properties: { owner: { type: 'string', format: 'email' }, tags: { type: 'array', items: { type: 'string' } } } },
      },
    },
    union: {
      type: 'object',
      properties: {
        shape: {
          oneOf: [
            { type: 'object', properties: { kind: { const: 'circle' }, r: { type: 'number' } }, required: ['kind'] },
            { type: 'object', properties: { kind: { const: 'square' }, side: { type: 'number' } }, required: ['kind'] },
          ],
        },
        extra: { allOf: [{ type: 'object', properties: { a: { type: 'integer' }, b: { type: ['integer', 'null'] } } }] },
      },
    },
  };

  for (const [name, original] of Object.entries(schemas)) {
    it(`${name}: strict-valid values, with optional nulls dropped, are valid originally`, () => {
      const result = toOpenAIStrict(original);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      // Nothing was moved into words: every description in the strict schema is an original one.
      expect(new Set(descriptions(result.schema))).toEqual(new Set(descriptions(original)));
      const validateStrict = compileSchema(result.schema, `${name} (strict)`);
      const validateOriginal = compileSchema(original, name);
      let rescued = 0;
      for (let seed = 0; seed < 200; seed++) {
        const sample = sampleFromSchema(result.schema, seed);
        expect(validateStrict(sample), JSON.stringify(validateStrict.errors)).toBe(true);
        if (!validateOriginal(sample)) rescued++;
        const dropped = dropOptionalNulls(sample, original);
        expect(validateOriginal(dropped), `${JSON.stringify(sample)}: ${JSON.stringify(validateOriginal.errors)}`).toBe(true);
      }
      // The samples exercised the point of the test: many held nulls the original rejects.
      expect(rescued).toBeGreaterThan(20);
    });
  }
});
