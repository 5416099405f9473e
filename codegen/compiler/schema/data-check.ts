/**
 * Checking data written in the definitions' neighbourhood (eval cases' context, expected outputs,
 * histories) against schemas of the IR: Ajv with the options generated validators use, so data is
 * judged as runs judge it, except that nothing is changed in place (no defaults filled in, no lax
 * scalars read as numbers): what is written is what is checked. Compiled once per schema object.
 */
import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

let ajv: InstanceType<typeof Ajv2020> | undefined;
const compiled = new WeakMap<object, ValidateFunction | string>();
let filling: InstanceType<typeof Ajv2020> | undefined;
const fillers = new WeakMap<object, ValidateFunction | undefined>();

/**
 * `data` with the defaults of `schema` filled in, as a run's validators fill them in (the output
 * a run ends with has them, and the generated types require them); `data` itself when it does
 * not fit. Never changes `data`.
 */
export function withDefaults(schema: unknown, data: unknown): { fits: boolean; value: unknown } {
  if (typeof schema !== 'object' || schema === null) return { fits: schema !== false, value: data };
  if (!fillers.has(schema)) {
    filling ??= new Ajv2020({
      allErrors: true,
      ownProperties: true,
      strict: false,
      strictNumbers: true,
      validateSchema: false,
      addUsedSchema: false,
      useDefaults: true,
    });
    if (!filling.formats['date-time']) addFormats(filling, { keywords: false });
    let v: ValidateFunction | undefined;
    try {
      v = filling.compile(schema);
    } catch {
      v = undefined;
    }
    fillers.set(schema, v);
  }
  const validate = fillers.get(schema);
  if (!validate) return { fits: true, value: data };
  const copy = structuredClone(data);
  return validate(copy) ? { fits: true, value: copy } : { fits: false, value: data };
}

function instance(): InstanceType<typeof Ajv2020> {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, ownProperties: true, strict: false, strictNumbers: true, validateSchema: false, addUsedSchema: false });
    addFormats(ajv, { keywords: false });
  }
  return ajv;
}

/** The errors of `data` against `schema` (empty when it fits), or the reason the schema does not compile. */
export function checkData(schema: unknown, data: unknown): ErrorObject[] | { compileError: string } {
  if (typeof schema === 'boolean')
    return schema ? [] : [{ instancePath: '', keyword: 'false schema', message: 'nothing fits the schema `false`' } as ErrorObject];
  if (typeof schema !== 'object' || schema === null) return [];
  let validate = compiled.get(schema);
  if (validate === undefined) {
    try {
      validate = instance().compile(schema);
    } catch (err) {
      validate = (err as Error).message;
    }
    compiled.set(schema, validate);
  }
  if (typeof validate === 'string') return { compileError: validate };
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

/** Why `schema` does not compile (a `$ref` to nowhere, say), or undefined when it does. */
export function compileError(schema: unknown): string | undefined {
  const result = checkData(schema, undefined);
  return Array.isArray(result) ? undefined : result.compileError;
}

/** An Ajv error in words: `/risk: must be integer` (or `must be integer` at the root). */
export function errorText(e: ErrorObject): string {
  const params = e.params as Record<string, unknown> | undefined;
  let message = e.message ?? e.keyword;
  if (e.keyword === 'additionalProperties') message = `unknown property "${String(params?.['additionalProperty'])}"`;
  else if (e.keyword === 'required') message = `missing required property "${String(params?.['missingProperty'])}"`;
  else if (e.keyword === 'enum') message = `must be one of ${(params?.['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  else if (e.keyword === 'const') message = `must be ${JSON.stringify(params?.['allowedValue'])}`;
  return e.instancePath === '' ? message : `${e.instancePath}: ${message}`;
}
