/**
 * Stage 7, emit validators: Ajv standalone code, ESM, one module per tool or agent.
 *
 * Ajv's standalone output calls `require()` for its runtime helpers and for formats, even in ESM
 * mode. We resolve that on purpose: formats are named through Ajv's `code.formats` option and the
 * helpers are rewritten to named imports, all from `schemantic/validators`, so the emitted module
 * loads in plain Node ESM and depends only on the package's public entry points.
 */
import Ajv2020Module, { _ } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { Code } from '../emit/escape.js';
import { agentValidatorExports, delegateArgsSchema, delegatedAgents, importPath, modulePath, outputValidatorName, toolNames } from '../emit/plan.js';
import { render } from '../emit/templates.js';
import { bundle } from '../ir/bundle.js';
import type { IR, IROutput, IRSource, IRType } from '../ir/types.js';
import type { Problem } from '../problems.js';

const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;
const standaloneCode = standaloneModule.default;

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
  /** Self-contained JSON Schema (see `bundle`). */
  schema: unknown;
}

/** The code of one validators module, or why it could not be made. */
export type ValidatorModuleResult =
  | { ok: true; code: string; imports: string[] }
  | { ok: false; exportName: string; message: string };

/** Compiled modules by request (reused across watch-mode runs). */
export type ValidatorCache = Map<string, ValidatorModuleResult>;

/**
 * Compiles the requests into the body of one ESM module (without banner): the import line is
 * returned apart, as the names to import from `schemantic/validators`.
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
  // A fresh instance per module: function numbering then depends on this module alone, which
  // keeps output byte-identical whatever else the corpus holds.
  const ajv = new Ajv2020({
    allErrors: true,
    // Without this, `required: [toString]` would accept {} (it inherits toString from Object).
    ownProperties: true,
    // Ajv's strict mode is a linter: it rejects valid schemas such as `if` without `then`. The
    // validate stage already reports unknown keywords with their location.
    strict: false,
    // Numbers must be finite: a handler returning Infinity or NaN would serialise to null.
    strictNumbers: true,
    validateSchema: false,
    addUsedSchema: false,
    code: { source: true, esm: true, lines: true, formats: _`fullFormats` },
  });
  addFormats(ajv, { keywords: false });
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
  const raw = standaloneCode(ajv, exports);
  return rewriteRequires(raw);
}

/** Turns Ajv's `require()` calls into names imported from `schemantic/validators`. */
export function rewriteRequires(raw: string): ValidatorModuleResult & { ok: true } {
  const imports = new Set<string>();
  let code = raw.replace(/^"use strict";\s*/, '');
  code = code.replace(/require\("([^"]+)"\)\.default/g, (whole, module: string) => {
    const helper = RUNTIME_HELPERS[module];
    if (helper === undefined) throw new Error(`validator code needs an unsupported Ajv runtime module: ${module}`);
    imports.add(helper);
    return helper;
  });
  if (/\brequire\(/.test(code)) throw new Error(`validator code still calls require(): ${/require\([^)]*\)/.exec(code)?.[0]}`);
  if (/\bfullFormats\b/.test(code)) imports.add('fullFormats');
  return { ok: true, code: code.trim() + '\n', imports: [...imports].sort() };
}

/** A validators module to emit: its requests and the TypeScript types its guards narrow to. */
interface ValidatorModulePlan {
  module: string;
  source: IRSource;
  sourceList: string;
  entries: { exportName: string; typeName: string; typeModule: string; schema: unknown; doc: string }[];
}

/** Emits the validators modules (`.js` and typed `.d.ts`) of every tool and agent. */
export function emitValidatorFiles(ir: IR, cache?: ValidatorCache): { files: Map<string, string>; problems: Problem[] } {
  const files = new Map<string, string>();
  const problems: Problem[] = [];
  const types = new Map(ir.types.map((t) => [t.name, t]));
  for (const plan of validatorPlans(ir, types)) {
    const result = compileValidators(
      plan.entries.map((e) => ({ exportName: e.exportName, schema: e.schema })),
      cache,
    );
    if (!result.ok) {
      problems.push({
        code: 'unsupported-keyword',
        message: `the validator compiler rejects this schema (${result.exportName}): ${result.message}`,
        file: plan.source.file,
        line: plan.source.line,
        col: plan.source.col,
        pointer: plan.source.pointer,
        severity: 'error',
      });
      continue;
    }
    files.set(`${plan.module}.js`, render('validators.js', { sourceList: plan.sourceList, helpers: result.imports, body: new Code(result.code) }));
    const byModule = new Map<string, Set<string>>();
    for (const e of plan.entries) {
      const set = byModule.get(e.typeModule) ?? new Set<string>();
      set.add(e.typeName);
      byModule.set(e.typeModule, set);
    }
    files.set(
      `${plan.module}.d.ts`,
      render('validators.d.ts', {
        sourceList: plan.sourceList,
        typeImports: [...byModule]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([module, names]) => ({ from: importPath(plan.module, module), names: [...names].sort() })),
        validators: plan.entries.map((e) => ({ exportName: e.exportName, typeName: e.typeName, doc: e.doc })),
      }),
    );
  }
  return { files, problems };
}

function validatorPlans(ir: IR, types: ReadonlyMap<string, IRType>): ValidatorModulePlan[] {
  const plans: ValidatorModulePlan[] = [];
  const allErrors = 'When it returns false, `errors` lists every problem found.';
  for (const tool of ir.tools) {
    const names = toolNames(tool);
    const module = modulePath.tool(tool);
    const entries = [
      { exportName: 'validateArgs', typeName: names.args, typeModule: module, schema: bundle(tool.parameters, types), doc: `Checks arguments of tool \`${tool.name}\` against its parameters schema. ${allErrors}` },
    ];
    if (tool.returns) {
      entries.push({ exportName: 'validateReturn', typeName: names.return, typeModule: module, schema: bundle(tool.returns, types), doc: `Checks what the handler of tool \`${tool.name}\` returns against its returns schema. ${allErrors}` });
    }
    plans.push({ module: modulePath.toolValidators(tool), source: tool.source, sourceList: tool.source.file, entries });
  }
  const delegated = delegatedAgents(ir);
  for (const agent of ir.agents) {
    const module = modulePath.agent(agent);
    const schemaOf = (exportName: string): { schema: unknown; typeModule: string; doc: string } => {
      if (exportName === 'validateContext') return { schema: bundle(agent.context!, types), typeModule: module, doc: `Checks a context for the ${agent.name} agent. ${allErrors}` };
      if (exportName === 'validateDelegateArgs') return { schema: bundle(delegateArgsSchema(agent), types), typeModule: module, doc: `Checks the arguments a model passes to delegate to the ${agent.name} agent. ${allErrors}` };
      const output = agent.output as IROutput & { kind: 'structured' };
      const member = output.members.find((m) => outputValidatorName(output, m) === exportName)!;
      const typeModule = member.namedType !== undefined ? types.get(member.namedType)!.module : module;
      return { schema: bundle(member.schema, types), typeModule, doc: `Checks an output of the ${agent.name} agent. ${allErrors}` };
    };
    const entries = agentValidatorExports(agent, delegated).map((e) => ({ ...e, ...schemaOf(e.exportName) }));
    if (entries.length > 0) plans.push({ module: modulePath.agentValidators(agent), source: agent.source, sourceList: agent.source.file, entries });
  }
  return plans;
}
