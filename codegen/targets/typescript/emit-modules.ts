/**
 * Stage 8, emit modules: render the TypeScript modules (named types, tools, agents, MCP servers,
 * graphs, index) from view models through the Handlebars templates in `templates/`.
 *
 * View models hold raw values; the templates apply the escaping helpers. Everything is sorted, so
 * the output depends only on the IR.
 */
import { bundle } from '../../compiler/ir/bundle.js';
import type { IR, IRTool, IRType } from '../../compiler/ir/types.js';
import { EVALS_INDEX_MODULE } from '../../compiler/naming-plan.js';
import { renderAgent } from './agent-module.js';
import type { ModuleInputs } from './module-inputs.js';

export type { ModuleInputs } from './module-inputs.js';
import { renderIndex } from './index-module.js';
import { renderMcpServer } from './mcp-module.js';
import { renderGraph } from './graph-module.js';
import { renderEvalDataset, renderEvalsIndex } from './eval-module.js';
import { declaration, delegatedAgents, groupTypesByModule, importPath, toolArgsKey, toolReturnKey, typeImportsFor, typeKey, type PlannedType } from './plan.js';
import { strictVariant, type PendingProblem } from './strict-variants.js';
import { geminiTargets, geminiVariant } from './gemini-variants.js';
import { declaresEmbedding } from './emit-types.js';
import { render } from '../templates.js';
import { withSharedLiterals } from '../escape.js';
import { SharedSchemas } from './shared-literals.js';

/** The rendered modules (path with extension to text), and warnings by the module they concern. */
export interface EmittedModules {
  files: Map<string, string>;
  warnings: Map<string, PendingProblem[]>;
}

/**
 * Renders every TypeScript module of the tree that `wanted` asks for. The named types' schemas
 * (and their strict and Gemini forms), which recur in the literals of many modules, are encoded once.
 */
export function emitModules(ir: IR, inputs: ModuleInputs, wanted: (path: string) => boolean = () => true): EmittedModules {
  return withSharedLiterals(() => renderModules(ir, inputs, wanted));
}

function renderModules(ir: IR, inputs: ModuleInputs, wanted: (path: string) => boolean): EmittedModules {
  const files = new Map<string, string>();
  const warnings = new Map<string, PendingProblem[]>();
  const byModule = plannedByModule(inputs.planned);
  const types = new Map(ir.types.map((t) => [t.name, t]));
  const shared = new SharedSchemas(ir.types);
  const gemini = geminiTargets(ir);
  for (const [module, list] of groupTypesByModule(ir.types)) {
    if (wanted(`${module}.ts`)) files.set(`${module}.ts`, renderTypesModule(module, list, types, inputs));
  }
  for (const tool of ir.tools) {
    const path = `${tool.names.module}.ts`;
    if (wanted(path)) files.set(path, renderTool(tool, types, shared, inputs, problemsOf(warnings, path), gemini.tools.has(tool.name)));
  }
  for (const server of ir.mcp) {
    const path = `${server.names.module}.ts`;
    if (wanted(path)) files.set(path, renderMcpServer(server, types, inputs));
  }
  const delegated = delegatedAgents(ir);
  const agents = new Map(ir.agents.map((a) => [a.name, a]));
  const tools = new Map(ir.tools.map((t) => [t.name, t]));
  const mcp = new Map(ir.mcp.map((s) => [s.name, s]));
  for (const agent of ir.agents) {
    const path = `${agent.names.module}.ts`;
    if (wanted(path))
      files.set(path, renderAgent(agent, { types, tools, agents, mcp, delegated, byModule, shared, gemini }, inputs, problemsOf(warnings, path)));
  }
  for (const graph of ir.graphs) {
    const path = `${graph.names.module}.ts`;
    if (wanted(path)) files.set(path, renderGraph(graph, { types, agents }, inputs));
  }
  if (wanted('index.ts')) files.set('index.ts', renderIndex(ir, delegated, byModule));
  // Eval datasets (none without an evals folder, and then no evals/ at all).
  for (const dataset of ir.evals) {
    const path = `${dataset.names.module}.ts`;
    if (wanted(path)) files.set(path, renderEvalDataset(dataset, agents.get(dataset.agent)!));
  }
  if (ir.evals.length > 0 && wanted(`${EVALS_INDEX_MODULE}.ts`)) files.set(`${EVALS_INDEX_MODULE}.ts`, renderEvalsIndex(ir.evals, agents));
  return { files, warnings };
}

function problemsOf(warnings: Map<string, PendingProblem[]>, path: string): PendingProblem[] {
  const list: PendingProblem[] = [];
  warnings.set(path, list);
  return list;
}

/** The planned declarations of each module, in plan order. */
function plannedByModule(planned: ReadonlyMap<string, PlannedType>): Map<string, PlannedType[]> {
  const out = new Map<string, PlannedType[]>();
  for (const p of planned.values()) {
    const list = out.get(p.module);
    if (list) list.push(p);
    else out.set(p.module, [p]);
  }
  return out;
}

function renderTypesModule(module: string, list: IRType[], types: ReadonlyMap<string, IRType>, inputs: ModuleInputs): string {
  const refs = list.flatMap((t) => inputs.planned.get(typeKey(t))?.refs ?? []);
  const declarations = list.map((t) => declaration(inputs, typeKey(t)));
  return render('types.ts', {
    sourceList: [...new Set(list.map((t) => t.source.file))].join(', '),
    usesSchemantic: declaresEmbedding(declarations),
    imports: typeImportsFor(module, refs, types),
    declarations,
  });
}

function renderTool(
  tool: IRTool,
  types: ReadonlyMap<string, IRType>,
  shared: SharedSchemas,
  inputs: ModuleInputs,
  warnings: PendingProblem[],
  forGemini: boolean,
): string {
  const module = tool.names.module;
  const names = tool.names;
  const parameters = bundle(tool.parameters, types);
  const subject = { what: `tool "${tool.name}"`, source: tool.source, slotPointer: `${tool.source.pointer}/parameters` };
  const strictParameters = tool.strict === false ? undefined : shared.strict(strictVariant(parameters, { objectRoot: true }, subject, types, warnings));
  // Only a tool a Gemini agent uses (see gemini-variants.ts); Gemini has no strict mode to opt
  // out of, so whatever `strict` says.
  const geminiParameters = forGemini ? shared.gemini(geminiVariant(parameters, subject, types, warnings)) : undefined;
  const refs = [toolArgsKey(tool), toolReturnKey(tool)].flatMap((k) => inputs.planned.get(k)?.refs ?? []);
  return render('tool.ts', {
    sourceList: tool.source.file,
    typeImports: typeImportsFor(module, refs, types),
    validatorsModule: importPath(module, tool.names.validatorsModule),
    declarations: [declaration(inputs, toolArgsKey(tool)), declaration(inputs, toolReturnKey(tool))],
    argsPartialDoc: `Arguments of tool \`${tool.name}\` as they stream in: every property optional, strings growing, numbers once complete.`,
    argsPartialType: names.argsPartial,
    constDoc: `Tool \`${tool.name}\` as the runtime needs it: model-facing name, description, JSON Schemas, and its validators (loaded on first run).`,
    constName: names.constant,
    argsType: names.args,
    returnType: names.return,
    name: tool.name,
    hasDescription: tool.description !== undefined,
    description: tool.description ?? '',
    parameters,
    hasStrictParameters: strictParameters !== undefined,
    strictParameters: strictParameters ?? null,
    hasGeminiParameters: geminiParameters !== undefined,
    geminiParameters: geminiParameters ?? null,
    hasReturns: tool.returns !== undefined,
    returns: tool.returns ? bundle(tool.returns, types) : null,
    hasRetries: tool.retries !== undefined,
    retries: tool.retries ?? null,
    hasStrict: tool.strict !== undefined,
    strict: tool.strict ?? null,
    hasApproval: tool.approval !== undefined,
    approval: tool.approval ?? '',
    external: tool.external === true,
  });
}
