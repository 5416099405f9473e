import { describe, expect, it } from 'vitest';
import { generateFrom, yaml } from '../../helpers/pipeline.js';

describe('resolve', () => {
  it('turns references to named types, in this file or another, into #/$defs/<name>', async () => {
    const result = await generateFrom({
      'common.yaml': 'spec: schemantic/v1\ntypes:\n  Money: { type: number, minimum: 0 }\n',
      'team/shop.yaml': yaml`
        spec: schemantic/v1
        types:
          Price: { $ref: '../common.yaml#/types/Money' }
        tools:
          buy:
            parameters:
              type: object
              properties:
                amount: { $ref: '#/types/Price', description: What to pay. }
    `,
    });
    expect(result.problems).toEqual([]);
    const buy = result.ir!.tools[0]!;
    expect(buy.parameters.schema).toEqual({ type: 'object', properties: { amount: { $ref: '#/$defs/Price', description: 'What to pay.' } } });
    expect(buy.parameters.closure).toEqual(['Money', 'Price']);
    expect(result.ir!.types.map((t) => [t.name, t.module])).toEqual([
      ['Money', 'types/common'],
      ['Price', 'types/team/shop'],
    ]);
  });

  it('hoists root $defs into named types and resolves local fragments against the enclosing schema', async () => {
    const result = await generateFrom({
      'a.yaml': yaml`
        spec: schemantic/v1
        types:
          Tree:
            type: object
            properties:
              root: { $ref: '#/$defs/Node' }
            $defs:
              Node:
                type: object
                properties:
                  children: { type: array, items: { $ref: '#/$defs/Node' } }
      `,
    });
    expect(result.problems).toEqual([]);
    const types = Object.fromEntries(result.ir!.types.map((t) => [t.name, t.schema]));
    expect(types['Tree']!.schema).toEqual({ type: 'object', properties: { root: { $ref: '#/$defs/Tree_Node' } } });
    expect(types['Tree_Node']!.schema).toEqual({ type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/Tree_Node' } } } });
    expect(result.files.get('types/a.ts')).toContain('export interface TreeNode {');
  });

  it('copies a reference to a location inside a schema, keeping annotations and sibling assertions', async () => {
    const result = await generateFrom({
      'a.yaml': yaml`
        spec: schemantic/v1
        types:
          Page:
            type: object
            properties:
              url: { type: string, format: uri, description: Page address. }
        tools:
          open:
            parameters:
              type: object
              properties:
                url: { $ref: '#/types/Page/properties/url', description: Which page. }
                mirror: { $ref: '#/types/Page/properties/url', maxLength: 100 }
      `,
    });
    expect(result.problems).toEqual([]);
    expect(result.ir!.tools[0]!.parameters.schema).toEqual({
      type: 'object',
      properties: {
        url: { type: 'string', format: 'uri', description: 'Which page.' },
        mirror: { maxLength: 100, allOf: [{ type: 'string', format: 'uri', description: 'Page address.' }] },
      },
    });
  });

  it('accepts a draft-07 type and references it from a 2020-12 schema', async () => {
    const result = await generateFrom({
      'a.yaml': yaml`
        spec: schemantic/v1
        types:
          Pair:
            $schema: http://json-schema.org/draft-07/schema#
            type: array
            items: [{ type: string }, { $ref: '#/definitions/Count' }]
            additionalItems: false
            definitions:
              Count: { type: integer }
          Holder:
            type: object
            properties:
              pair: { $ref: '#/types/Pair' }
      `,
    });
    expect(result.problems).toEqual([]);
    const types = Object.fromEntries(result.ir!.types.map((t) => [t.name, t.schema.schema]));
    expect(types['Pair']).toEqual({ type: 'array', prefixItems: [{ type: 'string' }, { $ref: '#/$defs/Pair_Count' }], items: false });
    expect(result.files.get('types/a.ts')).toContain('export type Pair = [string, PairCount]');
  });

  it('supports recursive named types', async () => {
    const result = await generateFrom({
      'a.yaml':
        "spec: schemantic/v1\ntypes:\n  Category:\n    type: object\n    properties:\n      name: { type: string }\n      children: { type: array, items: { $ref: '#/types/Category' } }\n    required: [name]\n",
    });
    expect(result.problems).toEqual([]);
    expect(result.ir!.types[0]!.schema.closure).toEqual(['Category']);
    expect(result.files.get('types/a.ts')).toContain('children?: Category[]');
  });
});
