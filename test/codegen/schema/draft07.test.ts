import { describe, expect, it } from 'vitest';
import { normalizeDraft07 } from '../../../codegen/compiler/schema/draft07.js';

describe('draft-07 normalisation', () => {
  it('rewrites tuples, dependencies and $ref siblings into 2020-12 with the same meaning', () => {
    const input = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false },
        list: { type: 'array', items: { type: 'string' }, additionalItems: false },
        ref: { $ref: '#/definitions/a', maxLength: 3, description: 'kept' },
      },
      dependencies: { a: ['b'], c: { required: ['d'] } },
      definitions: { a: { type: 'string' } },
    };
    const frozen = structuredClone(input);
    expect(normalizeDraft07(input)).toEqual({
      type: 'object',
      properties: {
        pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false },
        list: { type: 'array', items: { type: 'string' } },
        ref: { $ref: '#/definitions/a', description: 'kept' },
      },
      dependentRequired: { a: ['b'] },
      dependentSchemas: { c: { required: ['d'] } },
      definitions: { a: { type: 'string' } },
    });
    expect(input).toEqual(frozen);
  });
});
