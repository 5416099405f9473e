/**
 * Compiling JSON Schemas into one ESM module of Ajv standalone validators.
 *
 * Ajv's standalone output calls `require()` for its runtime helpers and for formats, even in ESM
 * mode. We resolve that on purpose: formats are named through Ajv's `code.formats` option and the
 * helpers are rewritten to named imports, all from `schemantic/validators`, so the emitted module
 * loads in plain Node ESM and depends only on the package's public entry points.
 *
 * References between modules use the `x-schemantic-ref` keyword, whose value is the name of a
 * validator function in scope (imported by the caller): the referenced schema is compiled once,
 * in its own module, instead of being copied into every validator that uses it.
 */
import Ajv2020Module, { _, Name, type KeywordCxt, type KeywordDefinition } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { ValueScope } from 'ajv/dist/compile/codegen/index.js';
import { callRef } from 'ajv/dist/vocabularies/core/ref.js';
import { VALIDATOR_OPTIONS } from 'schemantic/internal';

const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;
const standaloneCode = standaloneModule.default;

/** The keyword that calls a validator of another module by name. */
export const EXTERNAL_REF = 'x-schemantic-ref';

/** The helpers `schemantic/validators` provides, by the Ajv runtime module they replace. */
const RUNTIME_HELPERS: Readonly<Record<string, string>> = {
  'ajv/dist/runtime/ucs2length': 'ucs2length',
  'ajv/dist/runtime/equal': 'equal',
  'ajv/dist/runtime/uri': 'uri',
};

/** One validator to put in a module. */
export interface ValidatorRequest {
  /** Export name (`validateArgs`). */
  exportName: string;
  /** The JSON Schema; may use {@link EXTERNAL_REF} to call validators of other modules. */
  schema: unknown;
}

/** The code of one validators module, or why it could not be made. */
export type ValidatorModuleResult = { ok: true; code: string; imports: string[] } | { ok: false; exportName: string; message: string };

/** Compiled modules by request (reused across watch-mode runs). */
export type ValidatorCache = Map<string, ValidatorModuleResult>;

/**
 * Compiles the requests into the body of one ESM module (without banner or imports): the names
 * to import from `schemantic/validators` are returned apart.
 */
export function compileValidators(requests: readonly ValidatorRequest[], cache?: ValidatorCache): ValidatorModuleResult {
  const key = JSON.stringify(requests);
  const hit = cache?.get(key);
  if (hit) return hit;
  const result = compileUncached(requests);
  cache?.set(key, result);
  return result;
}

function compileUncached(requests: readonly ValidatorRequest[]): ValidatorModuleResult {
  const ajv = threadAjv();
  const exports: Record<string, string> = {};
  for (const request of requests) {
    try {
      ajv.addSchema(request.schema as object, request.exportName);
      ajv.getSchema(request.exportName);
    } catch (err) {
      return { ok: false, exportName: request.exportName, message: (err as Error).message.split('\n')[0]! };
    }
    exports[request.exportName] = request.exportName;
  }
  return rewriteRequires(standaloneCode(ajv, exports));
}

type Ajv = InstanceType<typeof Ajv2020>;

/** This thread's Ajv instance (each worker thread loads this module, and so has its own). */
let shared: Ajv | undefined;

/**
 * This thread's Ajv instance, emptied of the previous module's schemas and code. Building an
 * instance (options, vocabularies, formats, keywords) costs 0.25 to 0.5 ms: once per module, that
 * was 200 to 450 ms of CPU for a corpus of 800 modules; emptying one costs a few microseconds.
 *
 * Standalone code depends on the instance's state, not only on the schemas compiled: function and
 * value names (`validate0`, `formats0`, `pattern0`) are numbered by the instance's scope, and
 * standalone output lists that scope's values; a schema added twice, or with an `$id` seen before,
 * is rejected or reused. So before each module the schemas, their ids and the compiled-schema cache
 * are removed and the scope is replaced by a fresh one, built as Ajv's constructor builds it: the
 * instance is then in the state of a new one, and each module's code depends on that module alone
 * (byte-identical to a fresh instance's, whatever this thread compiled before).
 */
function threadAjv(): Ajv {
  if (!shared) {
    shared = new Ajv2020({
      // The same checks as validators the runtime compiles for hand-written agents.
      ...VALIDATOR_OPTIONS,
      // The lax keyword, typed apart from Ajv so the runtime need not import Ajv's types.
      keywords: VALIDATOR_OPTIONS.keywords as unknown as KeywordDefinition[],
      // No meta-schemas: nothing reads them with validateSchema off.
      validateSchema: false,
      addUsedSchema: false,
      meta: false,
      code: { source: true, esm: true, lines: true, formats: _`fullFormats` },
    });
    addFormats(shared, { keywords: false });
    shared.addKeyword({
      keyword: EXTERNAL_REF,
      schemaType: 'string',
      code(cxt: KeywordCxt) {
        callRef(cxt, new Name(cxt.schema as string));
      },
    });
    return shared;
  }
  shared.removeSchema();
  // As Ajv's constructor makes it (ajv/dist/core.js), with the prefixes it allows, which Ajv does
  // not export. Values of the old scope (validators compiled for the last module) go with it.
  const { es5, lines } = shared.opts.code;
  const prefixes = (shared.scope as unknown as { _prefixes: Set<string> })._prefixes;
  (shared as { scope: ValueScope }).scope = new ValueScope({ scope: {}, prefixes, es5, lines });
  return shared;
}

/** Turns Ajv's `require()` calls into names imported from `schemantic/validators`. */
function rewriteRequires(raw: string): ValidatorModuleResult & { ok: true } {
  const imports = new Set<string>();
  let code = raw.replace(/^"use strict";\s*/, '');
  code = code.replace(/require\("([^"]+)"\)\.default/g, (_whole, module: string) => {
    const helper = RUNTIME_HELPERS[module];
    if (helper === undefined) throw new Error(`validator code needs an unsupported Ajv runtime module: ${module}`);
    imports.add(helper);
    return helper;
  });
  if (/\brequire\(/.test(code)) throw new Error(`validator code still calls require(): ${/require\([^)]*\)/.exec(code)?.[0]}`);
  if (/\bfullFormats\b/.test(code)) imports.add('fullFormats');
  return { ok: true, code: code.trim() + '\n', imports: [...imports].sort() };
}
