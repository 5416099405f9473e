/**
 * Stage 7, emit validators: Ajv standalone code, ESM, with a typed `.d.ts` companion per module.
 *
 * Each named type is compiled once, in `validators/types/<type>.js`; the validators of tools
 * (`validators/tools/<tool>.js`), agents (`validators/agents/<agent>.js`), MCP servers (the
 * arguments and results of their tools, `validators/mcp/<server>.js`), graphs (state, output,
 * node inputs and replies, `validators/graphs/<graph>.js`) and other types import
 * the type validators they reference. A change to a shared type then rewrites one validators file,
 * the corpus compiles each type once however many tools use it, and importing a validator loads
 * only the types it checks.
 */
import { compileValidators, EXTERNAL_REF, type ValidatorCache } from './ajv-module.js';
import { Code } from '../escape.js';
import { addImport, agentValidatorExports, delegateArgsSchema, delegatedAgents, groupImports, outputValidatorName } from './plan.js';
import { render } from '../templates.js';
import { directRefs, refName } from '../../compiler/ir/refs.js';
import type { IR, IRGraph, IRGraphSchema, IROutput, IRSchema, IRSource, IRType } from '../../compiler/ir/types.js';
import { compareText, type Problem } from '../../compiler/problems.js';
import { mapSubschemas } from '../../compiler/schema/walk.js';
import { laxSchema } from 'schemantic/internal';

export type { ValidatorCache } from './ajv-module.js';

/** One validator of a module: what it checks and the TypeScript type its guard narrows to. */
interface Entry {
  exportName: string;
  typeName: string;
  /** Module (without extension) that declares `typeName`. */
  typeModule: string;
  schema: IRSchema;
  /** Whether its validator coerces lax scalars (`laxSchema`). */
  lax: boolean;
  doc: string;
}

/** A validators module to emit. */
interface ValidatorModulePlan {
  module: string;
  source: IRSource;
  sourceList: string;
  entries: Entry[];
}

/** Emits every validators module (`.js` and typed `.d.ts`). */
export function emitValidatorFiles(
  ir: IR,
  cache?: ValidatorCache,
  wanted: (path: string) => boolean = () => true,
): { files: Map<string, string>; problems: Problem[] } {
  const files = new Map<string, string>();
  const problems: Problem[] = [];
  const { types, plans } = planned(ir);
  for (const plan of plans) {
    if (!wanted(`${plan.module}.js`) && !wanted(`${plan.module}.d.ts`)) continue;
    emitPlan(plan, types, files, problems, cache);
  }
  return { files, problems };
}

/**
 * Emits one validators module of `ir` (a path without extension, from {@link validatorModules})
 * into `files` and `problems`: what {@link emitValidatorFiles} emits for it, so that threads can
 * share the modules out one at a time.
 */
export function emitValidatorModule(ir: IR, module: string, files: Map<string, string>, problems: Problem[], cache?: ValidatorCache): void {
  const { types, byModule } = planned(ir);
  const plan = byModule.get(module);
  if (!plan) throw new Error(`no validators module ${module}`);
  emitPlan(plan, types, files, problems, cache);
}

function emitPlan(
  plan: ValidatorModulePlan,
  types: ReadonlyMap<string, IRType>,
  files: Map<string, string>,
  problems: Problem[],
  cache?: ValidatorCache,
): void {
  const requests = plan.entries.map((e) => {
    const linked = linkRefs(e.schema.schema, types);
    return { exportName: e.exportName, schema: e.lax ? laxSchema(linked) : linked };
  });
  const result = compileValidators(requests, cache);
  if (!result.ok) {
    const entry = plan.entries.find((e) => e.exportName === result.exportName);
    problems.push({
      code: 'invalid-schema',
      message: `the validator compiler rejects this schema${entry ? ` (${entry.typeName})` : ''}: ${result.message}`,
      file: plan.source.file,
      line: plan.source.line,
      col: plan.source.col,
      pointer: plan.source.pointer,
      severity: 'error',
    });
    return;
  }
  files.set(
    `${plan.module}.js`,
    render('validators.js', {
      sourceList: plan.sourceList,
      helpers: result.imports,
      validatorImports: validatorImports(plan, types),
      body: new Code(result.code),
    }),
  );
  files.set(`${plan.module}.d.ts`, render('validators.d.ts', { sourceList: plan.sourceList, typeImports: typeImports(plan), validators: plan.entries }));
}

/**
 * Every validators module with a rough cost of compiling it (the size of its schemas), so that
 * the work can be shared between threads.
 */
export function validatorModules(ir: IR): { module: string; cost: number }[] {
  return planned(ir).plans.map((plan) => ({
    module: plan.module,
    cost: plan.entries.reduce((sum, e) => sum + JSON.stringify(e.schema.schema).length, 0),
  }));
}

/** Rewrites references to named types into calls of their validators. */
function linkRefs(schema: unknown, types: ReadonlyMap<string, IRType>): unknown {
  return mapSubschemas(schema, (node) => {
    const ref = refName(node);
    if (ref === undefined) return node;
    const type = types.get(ref);
    if (!type) return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') out[EXTERNAL_REF] = type.validator.name;
      else Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });
}

function validatorImports(plan: ValidatorModulePlan, types: ReadonlyMap<string, IRType>): { from: string; names: string[] }[] {
  const byModule = new Map<string, Set<string>>();
  for (const entry of plan.entries) {
    for (const name of directRefs(entry.schema.schema)) {
      const type = types.get(name);
      if (!type) continue;
      const target = type.validator;
      if (target.module === plan.module) continue;
      addImport(byModule, target.module, target.name);
    }
  }
  return groupImports(plan.module, byModule);
}

function typeImports(plan: ValidatorModulePlan): { from: string; names: string[] }[] {
  const byModule = new Map<string, Set<string>>();
  for (const e of plan.entries) addImport(byModule, e.typeModule, e.typeName);
  return groupImports(plan.module, byModule);
}

const ALL_ERRORS = 'When it returns false, `errors` lists every problem found.';

/** The validator plans of an IR, in module order and by module, with its named types. */
interface Planned {
  types: ReadonlyMap<string, IRType>;
  plans: ValidatorModulePlan[];
  byModule: ReadonlyMap<string, ValidatorModulePlan>;
}

/**
 * The validator plans of `ir`, by IR: a parallel run asks for them several times on each thread
 * (to share the work out, then once per module it emits), and the IR is never changed once built.
 */
const plansByIR = new WeakMap<IR, Planned>();

function planned(ir: IR): Planned {
  let found = plansByIR.get(ir);
  if (!found) {
    const types = new Map(ir.types.map((t) => [t.name, t]));
    const plans = planValidators(ir, types);
    found = { types, plans, byModule: new Map(plans.map((p) => [p.module, p])) };
    plansByIR.set(ir, found);
  }
  return found;
}

function planValidators(ir: IR, types: ReadonlyMap<string, IRType>): ValidatorModulePlan[] {
  const plans: ValidatorModulePlan[] = [];
  const byModule = new Map<string, IRType[]>();
  for (const type of ir.types) {
    const module = type.validator.module;
    byModule.set(module, [...(byModule.get(module) ?? []), type]);
  }
  for (const [module, list] of [...byModule].sort(([a], [b]) => compareText(a, b))) {
    plans.push({
      module,
      source: list[0]!.source,
      sourceList: list[0]!.source.file,
      entries: list.map((type) => ({
        exportName: type.validator.name,
        typeName: type.tsName,
        typeModule: type.module,
        schema: type.schema,
        lax: type.lax ?? true,
        doc: `Checks a value against the ${type.name} type. ${ALL_ERRORS}`,
      })),
    });
  }
  for (const tool of ir.tools) {
    const names = tool.names;
    const module = tool.names.module;
    const entries: Entry[] = [
      {
        exportName: 'validateArgs',
        typeName: names.args,
        typeModule: module,
        schema: tool.parameters,
        lax: tool.lax,
        doc: `Checks arguments of tool \`${tool.name}\` against its parameters schema. ${ALL_ERRORS}`,
      },
    ];
    if (tool.returns) {
      entries.push({
        exportName: 'validateReturn',
        typeName: names.return,
        typeModule: module,
        schema: tool.returns,
        // As the runtime's compileSchema for a hand-written tool (typed values are never coerced).
        lax: tool.lax,
        doc: `Checks what the handler of tool \`${tool.name}\` returns against its returns schema. ${ALL_ERRORS}`,
      });
    }
    plans.push({ module: tool.names.validatorsModule, source: tool.source, sourceList: tool.source.file, entries });
  }
  const delegated = delegatedAgents(ir);
  for (const agent of ir.agents) {
    const module = agent.names.module;
    const detail = (exportName: string): Omit<Entry, 'exportName' | 'typeName'> => {
      if (exportName === 'validateContext')
        return { schema: agent.context!, typeModule: module, lax: agent.lax, doc: `Checks a context for the ${agent.name} agent. ${ALL_ERRORS}` };
      if (exportName === 'validateDelegateArgs')
        return {
          schema: delegateArgsSchema(agent),
          typeModule: module,
          lax: agent.lax,
          doc: `Checks the arguments a model passes to delegate to the ${agent.name} agent. ${ALL_ERRORS}`,
        };
      const output = agent.output as IROutput & { kind: 'structured' };
      const member = output.members.find((m) => outputValidatorName(m) === exportName)!;
      const typeModule = member.namedType !== undefined ? types.get(member.namedType)!.module : module;
      return { schema: member.schema, typeModule, lax: agent.lax, doc: `Checks an output of the ${agent.name} agent. ${ALL_ERRORS}` };
    };
    const entries = agentValidatorExports(agent, delegated).map((e) => ({ ...e, ...detail(e.exportName) }));
    if (entries.length > 0) plans.push({ module: agent.names.validatorsModule, source: agent.source, sourceList: agent.source.file, entries });
  }
  for (const server of ir.mcp) {
    // What a server sends and what the caller passes are checked as they are: lax scalars are for
    // a model's guesses, and a server that sends "3" for a number has broken its contract.
    const module = server.names.module;
    const entries = server.tools.flatMap((tool): Entry[] => {
      const of = `MCP tool \`${tool.name}\` of server \`${server.name}\``;
      const args: Entry = {
        exportName: tool.names.validateArgs,
        typeName: tool.names.args,
        typeModule: module,
        schema: tool.parameters,
        lax: false,
        doc: `Checks arguments of ${of} against its input schema. ${ALL_ERRORS}`,
      };
      if (!tool.returns) return [args];
      return [
        args,
        {
          exportName: tool.names.validateResult,
          typeName: tool.names.result,
          typeModule: module,
          schema: tool.returns,
          lax: false,
          doc: `Checks the structured result of ${of} against its output schema. ${ALL_ERRORS}`,
        },
      ];
    });
    if (entries.length > 0) plans.push({ module: server.names.validatorsModule, source: server.source, sourceList: server.source.file, entries });
  }
  for (const graph of ir.graphs) plans.push(graphValidatorPlan(graph, types));
  return plans;
}

/**
 * The validators module of a graph: its state, its output, each node's input and each waiting
 * node's reply. Handlers and callers write these values in typed code, so they are checked as they
 * are: lax scalars are for a model's guesses.
 */
function graphValidatorPlan(graph: IRGraph, types: ReadonlyMap<string, IRType>): ValidatorModulePlan {
  const entry = (exportName: string, slot: IRGraphSchema, doc: string): Entry => ({
    exportName,
    typeName: slot.tsName,
    typeModule: slot.namedType !== undefined ? types.get(slot.namedType)!.module : graph.names.module,
    schema: slot.schema,
    lax: false,
    doc: `${doc} ${ALL_ERRORS}`,
  });
  const entries = [entry('validateState', graph.state, `Checks the state of the ${graph.name} graph.`)];
  if (graph.output) entries.push(entry('validateOutput', graph.output, `Checks an output of the ${graph.name} graph.`));
  for (const node of graph.nodes) {
    if (node.input) entries.push(entry(node.names.validateInput, node.input, `Checks the input of node \`${node.name}\` of the ${graph.name} graph.`));
    if (node.waitsFor)
      entries.push(entry(node.names.validateReply, node.waitsFor, `Checks the reply node \`${node.name}\` of the ${graph.name} graph waits for.`));
  }
  return { module: graph.names.validatorsModule, source: graph.source, sourceList: graph.source.file, entries };
}
