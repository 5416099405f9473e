/**
 * Compiling JSON Schemas at run time, for agents defined by hand (generated agents come with
 * precompiled validators and never reach this module). Ajv is loaded on first use.
 */
import { LAX_KEYWORD, laxSchema, VALIDATOR_OPTIONS } from './ajv-options.js';
import { UserError } from '../contract/errors.js';
import { nodeRequire } from './node-require.js';
import type { JsonSchema } from '../contract/spec.js';
import type { Validator } from '../validators/index.js';

interface AjvInstance {
  compile(schema: object | boolean): Validator<unknown>;
}

let ajv: AjvInstance | undefined;
const compiled = new WeakMap<object, Validator<unknown>>();

function instance(): AjvInstance {
  if (!ajv) {
    const require = nodeRequire('compiling a JSON Schema');
    const Ajv2020 = (require('ajv/dist/2020') as { default: new (options: object) => AjvInstance }).default;
    const addFormats = (require('ajv-formats') as { default: (ajv: AjvInstance, options: object) => void }).default;
    ajv = new Ajv2020({ ...VALIDATOR_OPTIONS, validateSchema: true });
    addFormats(ajv, { keywords: false });
  }
  return ajv;
}

let available: boolean | undefined;

/**
 * Whether schemas can be compiled here: Ajv loads (it is not inlined in a bundle, since only Node
 * compiles schemas at run time) and code generation from strings is allowed (edge runtimes forbid
 * it). Asked by code that can do without, such as TestModel's check of its samples.
 */
export function schemaCompilerAvailable(): boolean {
  if (available === undefined) {
    try {
      instance().compile({ type: 'object' });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

/**
 * A validator for a schema, compiled once per schema object. `where` names it in errors. Lax
 * scalars are on unless the schema's root says `"x-schemantic-lax": false` (as generated
 * validators, whose definitions default to lax); defaults are filled in (`VALIDATOR_OPTIONS`).
 */
export function compileSchema<T>(schema: JsonSchema, where: string): Validator<T> {
  if (typeof schema === 'boolean') return instance().compile(schema) as Validator<T>;
  const hit = compiled.get(schema);
  if (hit) return hit as Validator<T>;
  // Outside the try: "needs Node" is not a schema problem, and says so itself.
  const compiler = instance();
  let validate: Validator<unknown>;
  try {
    validate = compiler.compile(schema[LAX_KEYWORD] === false ? schema : (laxSchema(schema) as object));
  } catch (err) {
    throw new UserError(`${where}: the JSON Schema does not compile: ${(err as Error).message}`);
  }
  compiled.set(schema, validate);
  return validate as Validator<T>;
}
