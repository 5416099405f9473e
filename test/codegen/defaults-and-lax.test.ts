/**
 * Generated validators fill in defaults and coerce lax scalars (the same Ajv keyword the runtime
 * compiles hand-written schemas with); generated types declare defaulted properties present.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { laxSchema } from 'schemantic/internal';
import { compileValidators } from '../../codegen/targets/typescript/ajv-module.js';
import { declareType } from '../../codegen/targets/typescript/emit-types.js';

const parameters = {
  type: 'object',
  properties: { amount: { type: 'number' }, urgent: { type: 'boolean' }, explanation: { type: 'string', default: 'none given' } },
  required: ['amount', 'urgent'],
  additionalProperties: false,
};

async function load(schema: unknown): Promise<(data: unknown) => boolean> {
  const result = compileValidators([{ exportName: 'validateArgs', schema }]);
  if (!result.ok) throw new Error(result.message);
  expect(result.imports).toEqual([]);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lax-')), 'v.mjs');
  writeFileSync(file, result.code);
  return ((await import(pathToFileURL(file).href)) as { validateArgs: (data: unknown) => boolean }).validateArgs;
}

describe('generated validators', () => {
  it('fill in defaults and coerce lax scalars when lax', async () => {
    const validate = await load(laxSchema(parameters));
    const args: Record<string, unknown> = { amount: '51.5', urgent: 'TRUE' };
    expect(validate(args)).toBe(true);
    expect(args).toEqual({ amount: 51.5, urgent: true, explanation: 'none given' });
    expect(validate({ amount: 'fifty', urgent: true })).toBe(false);
    expect(validate({ amount: null, urgent: true })).toBe(false);
    expect(validate({ amount: '0x1A', urgent: true })).toBe(false);
  });

  it('coerce nothing when not lax', async () => {
    const validate = await load(parameters);
    const args: Record<string, unknown> = { amount: '51.5', urgent: true };
    expect(validate(args)).toBe(false);
    expect(args['amount']).toBe('51.5');
  });
});

describe('generated types', () => {
  it('declare a defaulted property present in arguments and outputs, optional where the application writes the value', async () => {
    expect(await declareType({ tsName: 'Args', schema: parameters, defaultsRequired: true }, new Map())).toMatch(/^\s*explanation: string/m);
    expect(await declareType({ tsName: 'Ctx', schema: parameters }, new Map())).toMatch(/^\s*explanation\?: string/m);
  });
});
