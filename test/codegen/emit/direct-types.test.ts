/**
 * The direct renderer of declarations (direct-types.ts) against json-schema-to-typescript: over
 * every declaration of the test fixtures, the repository's schemas and the benchmark corpus, and
 * over generated schemas of every shape (supported or not), whenever it prints a declaration,
 * the library prints the same text.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemanticCorpus } from '../../../bench/corpus.js';
import { analyze } from '../../../codegen/compiler/analyze.js';
import { folderReader, memoryReader, type SourceReader } from '../../../codegen/compiler/load.js';
import { renderDirect } from '../../../codegen/targets/typescript/direct-types.js';
import { declareWithLibrary, requireDefaults, toTypeSchema } from '../../../codegen/targets/typescript/emit-types.js';
import { plannedTypes } from '../../../codegen/targets/typescript/plan.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const fixtures = path.join(root, 'test/codegen/fixtures');

/** Every declaration of a definitions folder, adapted both ways (with and without defaults required). */
async function adaptedDeclarations(reader: SourceReader): Promise<{ key: string; tsName: string; adapted: unknown }[]> {
  const analysis = await analyze({ reader, displayPrefix: 'defs' });
  const typeNames = new Map(analysis.ir.types.map((t) => [t.name, t.tsName]));
  return [...plannedTypes(analysis.ir).values()].flatMap((p) =>
    [p.schema, requireDefaults(p.schema)].map((schema) => ({ key: p.key, tsName: p.tsName, adapted: toTypeSchema(schema, typeNames) })),
  );
}

/** How many declarations were printed directly; fails on the first that differs from the library's. */
async function compare(list: { key: string; tsName: string; adapted: unknown }[]): Promise<number> {
  let direct = 0;
  for (const { key, tsName, adapted } of list) {
    const text = renderDirect(adapted, tsName);
    if (text === undefined) continue;
    direct++;
    expect(text, `${key}: ${JSON.stringify(adapted)}`).toBe(await declareWithLibrary(adapted, tsName));
  }
  return direct;
}

/** One schema for every rule of the direct renderer. */
const SHAPES: unknown[] = [
  {},
  { description: 'Anything, described.' },
  { deprecated: true },
  { deprecated: true, description: '' },
  { deprecated: false, description: 'Not deprecated.' },
  { type: 'string', description: 'Two\nlines,\r\nCRLF, and */ inside.' },
  { type: 'integer' },
  { type: 'null' },
  { type: ['boolean'] },
  { type: ['string', 'null'] },
  { type: ['integer', 'number', 'null'] },
  { enum: ['a', 'a'] },
  { enum: [] },
  { enum: ['a', 1, 1.5, true, null, 'a\ud800', 'quote"d'] },
  { type: 'integer', enum: [1, 2] },
  { type: ['string'], enum: ['x', 'y'] },
  { const: null },
  { const: 'only', enum: ['ignored'] },
  { type: 'array' },
  { type: 'array', items: {} },
  { type: 'array', items: { enum: ['a'] } },
  { type: 'array', items: { enum: ['a', 'b'] } },
  { items: { tsType: 'Record000' } },
  { type: 'array', items: { tsType: '"x"' } },
  { type: 'array', items: { type: 'string', description: 'An item.' }, description: 'A list.' },
  { type: 'array', items: { type: 'string', description: 'An item.' } },
  { type: 'array', items: { type: 'string', description: 'See @link.' }, description: 'Tagged item.' },
  { type: 'array', items: { type: 'string', description: '' }, description: 'Empty item.' },
  { type: 'array', items: { type: 'array', items: { type: 'string', description: 'Inner.' }, description: 'Middle.' }, description: 'Outer.' },
  { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } }, description: 'An object item.' } },
  { type: 'array', items: { description: 'Open item.' }, deprecated: true },
  { tsType: 'Record000', description: 'A reference.' },
  { tsType: 'A | B' },
  { type: 'object', additionalProperties: {} },
  { type: 'object', additionalProperties: true, properties: { a: { type: 'string' } } },
  { type: 'object', additionalProperties: false },
  { type: ['object'], properties: { a: { type: 'number' } } },
  { required: ['a'] },
  { properties: { a: { type: 'string' } }, required: ['a', 'missing'] },
  {
    type: 'object',
    description: 'Nested.',
    properties: {
      ['__proto__']: { type: 'string' },
      'a b': { type: 'string' },
      '0': { type: 'string' },
      hasOwnProperty: { type: 'string' },
      '': { type: 'string' },
    },
    required: ['__proto__', '0'],
  },
].map((schema) => withSafeProto(schema));

describe('direct declarations', () => {
  const folders = [...readdirSync(fixtures).map((f) => path.join(fixtures, f)), path.join(root, 'schemas')];

  it.each(folders.map((f) => [path.relative(root, f), f]))('match the library on %s', async (_name, folder) => {
    const list = await adaptedDeclarations(folderReader(folder));
    expect(list.length).toBeGreaterThan(0);
    await compare(list);
  });

  it('match the library on the benchmark corpus, which is printed directly throughout', async () => {
    const list = await adaptedDeclarations(memoryReader(schemanticCorpus({ agents: 20, tools: 40, types: 20 })));
    expect(await compare(list)).toBe(list.length);
  });

  it.each(SHAPES.map((schema) => [JSON.stringify(schema), schema]))('print %s as the library does, at the root and as a property', async (_text, schema) => {
    const asProperty = { type: 'object', properties: { value: schema, other: schema }, required: ['other'] };
    for (const adapted of [schema, asProperty]) {
      const text = renderDirect(adapted, 'Shape');
      expect(text, JSON.stringify(adapted)).toBeDefined();
      expect(text).toBe(await declareWithLibrary(adapted, 'Shape'));
    }
  });

  it('leave to the library what they do not print exactly as it does', () => {
    const cases: [unknown, string][] = [
      [{ type: 'object', patternProperties: { '^x-': { type: 'string' } } }, 'Tags'],
      [{ anyOf: [{ type: 'string' }, { type: 'number' }] }, 'Either'],
      [{ type: 'array', items: [{ type: 'string' }], additionalItems: false }, 'Pair'],
      [{ type: 'object', additionalProperties: { type: 'string' } }, 'Dictionary'],
      [{ type: ['object', 'null'], properties: { a: { type: 'string' } } }, 'MaybeObject'],
      [{ type: 'string' }, 'lower_case'],
      [{ type: 'string' }, 'Agent0context'],
      [{ type: 'string', description: 3 }, 'Numbered'],
    ];
    for (const [schema, name] of cases) expect(renderDirect(schema, name), JSON.stringify(schema)).toBeUndefined();
  });

  it('match the library on generated schemas', async () => {
    await fc.assert(
      fc.asyncProperty(schemaArbitrary, fc.constantFrom('Root', 'Tool000Args', 'X1Y'), async (schema, name) => {
        const text = renderDirect(schema, name);
        if (text !== undefined) expect(text, JSON.stringify(schema)).toBe(await declareWithLibrary(schema, name));
      }),
      { numRuns: 400, seed: 20261204 },
    );
  });
});

const key = fc.constantFrom('a', 'id', 'hasOwnProperty', 'constructor', '__proto__', 'a b', '0', '12', 'x-y', '$ref', 'é', '[k: string]', 'a\ud800', '');
const description = fc.constantFrom(
  'Plain.',
  '',
  'Two\nlines.',
  'Ends */ early.',
  'Tagged @deprecated here.',
  '@see x',
  'Has "quotes" and \\.',
  'CRLF\r\nline.',
);
const scalar = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const primitive = fc.constantFrom('string', 'number', 'integer', 'boolean', 'null');
const anyType = fc.constantFrom('string', 'number', 'integer', 'boolean', 'null', 'object', 'array', 'any');
const annotations = fc.record({ description, deprecated: fc.oneof(fc.boolean(), fc.constant('yes')) }, { requiredKeys: [] });

/**
 * Schemas shaped like `toTypeSchema`'s output (type keywords, annotations, `tsType` references):
 * mostly the shapes the direct renderer knows, with now and then a keyword that makes it decline.
 */
const schemaArbitrary: fc.Arbitrary<unknown> = fc.letrec<{ schema: unknown }>((tie) => {
  const leaf = fc.oneof(
    fc.record({ type: fc.oneof(primitive, fc.array(primitive, { minLength: 1, maxLength: 3 })) }),
    fc.record({ type: fc.constantFrom('string', 'integer', 'boolean', 'null', ['string', 'null'], undefined), enum: fc.array(scalar, { maxLength: 4 }) }),
    fc.record({ const: scalar }),
    fc.record({ tsType: fc.constantFrom('Record000', 'unknown', 'never', 'A | B', '"x"') }),
    fc.constant({}),
  );
  const composite = fc.oneof(
    fc.record(
      {
        type: fc.constantFrom('object', ['object']),
        properties: fc.dictionary(key, tie('schema'), { maxKeys: 4 }),
        required: fc.array(key, { maxLength: 3 }),
        additionalProperties: fc.oneof(fc.boolean(), fc.constant({}), tie('schema')),
      },
      { requiredKeys: [] },
    ),
    fc.record({ type: fc.constantFrom('array', ['array']), items: tie('schema') }, { requiredKeys: [] }),
  );
  const noise = fc.oneof(
    { weight: 6, arbitrary: fc.constant({}) },
    {
      weight: 1,
      arbitrary: fc.record(
        {
          type: fc.oneof(anyType, fc.array(anyType, { maxLength: 3 })),
          required: fc.oneof(fc.array(key, { maxLength: 2 }), fc.constant(true)),
          items: fc.array(tie('schema'), { maxLength: 2 }),
          enum: fc.array(fc.oneof(scalar, fc.constant({ a: 1 })), { maxLength: 2 }),
          anyOf: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }),
          tsType: fc.constant('Record000'),
        },
        { requiredKeys: [] },
      ),
    },
  );
  return {
    schema: fc
      .tuple(fc.oneof({ maxDepth: 3, depthIdentifier: 'schema' }, leaf, composite), annotations, noise)
      .map(([shape, notes, extra]) => withSafeProto({ ...(shape as object), ...notes, ...(extra as object) })),
  };
}).schema;

/** A copy with ordinary objects, whose own `__proto__` keys stay keys (as the generator's `defineOwn` writes them). */
function withSafeProto(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) Object.defineProperty(out, k, { value: withSafeProto(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
