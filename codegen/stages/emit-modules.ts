/**
 * Stage 8, emit modules: render the TypeScript modules (named types, tools, agents, index) from
 * view models through the Handlebars templates in `templates/`.
 *
 * View models hold raw values; the templates apply the escaping helpers. Everything is sorted, so
 * the output depends only on the IR.
 */
import { isObjectSchema } from '../../runtime/schema-shapes.js';
import { bundle } from '../ir/bundle.js';
import type { IR, IRAgent, IRTool, IRType } from '../ir/types.js';
import { Code } from '../emit/escape.js';
import {
  agentNames,
  delegateArgsSchema,
  agentValidatorExports,
  delegatedAgents,
  importPath,
  outputValidatorName,
  modulePath,
  toolNames,
  typeImportsFor,
  type PlannedType,
} from '../emit/plan.js';
import { strictVariant, type PendingProblem } from '../emit/strict-variants.js';
import { render } from '../emit/templates.js';

/** Inputs of {@link emitModules} besides the IR. */
export interface ModuleInputs {
  /** Declarations by plan key. */
  declarations: ReadonlyMap<string, Code>;
  planned: ReadonlyMap<string, PlannedType>;
  /** The runtime range generated code requires (`^0.1.0`). */
  runtimeRange: string;
}

/** The rendered modules (path with extension to text), and warnings by the module they concern. */
export interface EmittedModules {
  files: Map<string, string>;
  warnings: Map<string, PendingProblem[]>;
}

/** Renders every TypeScript module of the tree that `wanted` asks for. */
export function emitModules(ir: IR, inputs: ModuleInputs, wanted: (path: string) => boolean = () => true): EmittedModules {
  const files = new Map<string, string>();
  const warnings = new Map<string, PendingProblem[]>();
  const byModule = plannedByModule(inputs.planned);
  const types = new Map(ir.types.map((t) => [t.name, t]));
  for (const [module, list] of groupTypesByModule(ir.types)) {
    if (wanted(`${module}.ts`)) files.set(`${module}.ts`, renderTypesModule(module, list, types, inputs));
  }
  for (const tool of ir.tools) {
    const path = `${modulePath.tool(tool)}.ts`;
    if (wanted(path)) files.set(path, renderTool(tool, types, inputs, problemsOf(warnings, path)));
  }
  const delegated = delegatedAgents(ir);
  const agents = new Map(ir.agents.map((a) => [a.name, a]));
  const tools = new Map(ir.tools.map((t) => [t.name, t]));
  for (const agent of ir.agents) {
    const path = `${modulePath.agent(agent)}.ts`;
    if (wanted(path)) files.set(path, renderAgent(agent, { types, tools, agents, delegated, byModule }, inputs, problemsOf(warnings, path)));
  }
  if (wanted('index.ts')) files.set('index.ts', renderIndex(ir, delegated, byModule));
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

function groupTypesByModule(types: readonly IRType[]): Map<string, IRType[]> {
  const out = new Map<string, IRType[]>();
  for (const t of [...types].sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0))) {
    const list = out.get(t.module) ?? [];
    list.push(t);
    out.set(t.module, list);
  }
  return out;
}

function declaration(inputs: ModuleInputs, key: string): Code {
  const code = inputs.declarations.get(key);
  if (!code) throw new Error(`internal: no declaration for ${key}`);
  return code;
}

function renderTypesModule(module: string, list: IRType[], types: ReadonlyMap<string, IRType>, inputs: ModuleInputs): string {
  const refs = list.flatMap((t) => inputs.planned.get(`type:${t.name}`)?.refs ?? []);
  return render('types.ts', {
    sourceList: [...new Set(list.map((t) => t.source.file))].join(', '),
    imports: typeImportsFor(module, refs, types),
    declarations: list.map((t) => declaration(inputs, `type:${t.name}`)),
  });
}

function renderTool(tool: IRTool, types: ReadonlyMap<string, IRType>, inputs: ModuleInputs, warnings: PendingProblem[]): string {
  const module = modulePath.tool(tool);
  const names = toolNames(tool);
  const parameters = bundle(tool.parameters, types);
  const subject = { what: `tool "${tool.name}"`, source: tool.source, slotPointer: `${tool.source.pointer}/parameters` };
  const strictParameters = tool.strict === false ? undefined : strictVariant(parameters, { objectRoot: true }, subject, types, warnings);
  const refs = [`tool:${tool.name}:args`, `tool:${tool.name}:return`].flatMap((k) => inputs.planned.get(k)?.refs ?? []);
  return render('tool.ts', {
    sourceList: tool.source.file,
    typeImports: typeImportsFor(module, refs, types),
    validatorsModule: importPath(module, modulePath.toolValidators(tool)),
    declarations: [declaration(inputs, `tool:${tool.name}:args`), declaration(inputs, `tool:${tool.name}:return`)],
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
    hasReturns: tool.returns !== undefined,
    returns: tool.returns ? bundle(tool.returns, types) : null,
    hasRetries: tool.retries !== undefined,
    retries: tool.retries ?? null,
    hasStrict: tool.strict !== undefined,
    strict: tool.strict ?? null,
  });
}

interface Lookup {
  types: ReadonlyMap<string, IRType>;
  tools: ReadonlyMap<string, IRTool>;
  agents: ReadonlyMap<string, IRAgent>;
  delegated: ReadonlySet<string>;
  byModule: ReadonlyMap<string, readonly PlannedType[]>;
}

function renderAgent(agent: IRAgent, lookup: Lookup, inputs: ModuleInputs, warnings: PendingProblem[]): string {
  const module = modulePath.agent(agent);
  const strict = (bundled: unknown, what: string, slotPointer: string, objectRoot: boolean) =>
    strictVariant(bundled, { objectRoot }, { what, source: agent.source, slotPointer }, lookup.types, warnings);
  const names = agentNames(agent);
  const tools = agent.tools.map((n) => lookup.tools.get(n)!);
  const delegates = agent.delegates.map((n) => lookup.agents.get(n)!);
  const validatorExports = agentValidatorExports(agent, lookup.delegated);

  const valueImports = [
    ...tools.map((t) => ({ module: modulePath.tool(t), names: [toolNames(t).constant] })),
    ...delegates.map((d) => ({ module: modulePath.agent(d), names: [agentNames(d).delegate] })),
  ];
  const toolTypeImports = [
    ...tools.map((t) => ({ module: modulePath.tool(t), names: [toolNames(t).args, toolNames(t).return] })),
    ...delegates.map((d) => ({ module: modulePath.agent(d), names: [agentNames(d).agentType, agentNames(d).delegateArgs] })),
  ];
  // The argument types of every tool the model can call, by model-facing name, to type stream events.
  const toolArgs = [
    ...tools.map((t) => ({ name: t.name, type: toolNames(t).args, doc: `Arguments of tool \`${t.name}\`.` })),
    ...delegates.map((d) => ({ name: d.name, type: agentNames(d).delegateArgs, doc: `Arguments of delegate agent \`${d.name}\`.` })),
    ...(agent.outputMode === 'tool' && agent.output.kind === 'structured'
      ? agent.output.members.map((m) => ({
          name: m.toolName,
          type: m.tsName,
          // A member that is not an object travels as {"response": ...} (see the runtime's output tools).
          wrapped: !isObjectSchema(bundle(m.schema, lookup.types) as never),
          doc: `Output tool \`${m.toolName}\`: its arguments are the output.`,
        }))
      : []),
  ];
  const declarationKeys = (lookup.byModule.get(module) ?? []).map((p) => p.key);
  const namedRefs = new Set(declarationKeys.flatMap((k) => inputs.planned.get(k)!.refs));
  const output = agent.output;
  if (output.kind === 'structured') for (const m of output.members) if (m.namedType !== undefined) namedRefs.add(m.namedType);

  const aliases: object[] = [];
  if (!agent.context) aliases.push(alias(names.context, `The ${agent.name} agent has no context: its instructions have no placeholders.`, [], false, true));
  if (output.kind === 'text') {
    aliases.push(alias(names.output, `What the ${agent.name} agent outputs: text.`, [], true, false));
  } else if (output.members.length > 1 || output.allowsText || output.members[0]!.namedType !== undefined) {
    aliases.push(alias(names.output, `What the ${agent.name} agent outputs.`, output.members.map((m) => m.tsName), output.allowsText, false));
  }

  const settings = [
    ['retries', agent.retries],
    ['outputRetries', agent.outputRetries],
    ['modelSettings', agent.modelSettings],
    ['usageLimits', agent.usageLimits],
    ['endStrategy', agent.endStrategy],
  ]
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ({ key, value }));

  return render('agent.ts', {
    sourceList: agent.source.file,
    valueImports: mergeImports(module, valueImports),
    typeImports: [...mergeImports(module, toolTypeImports), ...typeImportsFor(module, namedRefs, lookup.types)],
    hasValidators: validatorExports.length > 0,
    validatorsModule: importPath(module, modulePath.agentValidators(agent)),
    reexports: tools.flatMap((t) => [toolNames(t).args, toolNames(t).return]),
    declarations: declarationKeys.map((k) => declaration(inputs, k)),
    aliases,
    contextType: names.context,
    outputType: names.output,
    outputPartialType: names.outputPartial,
    outputPartialDoc: `What the ${agent.name} agent outputs, as it streams in (\`outputStream()\`): every property optional, strings growing, numbers once complete.`,
    toolArgsInterface: names.toolArgs,
    toolArgsDoc: `The arguments of each tool the ${agent.name} agent's model can call, by model-facing name (they type stream events).`,
    toolArgs,
    toolsInterface: names.tools,
    toolsDoc: `Handlers of the ${agent.name} agent's tools, by camelCase tool name (the model sees the names as written in the definitions).`,
    tools: tools.map((t) => ({
      key: t.handlerKey,
      constName: toolNames(t).constant,
      argsType: toolNames(t).args,
      returnType: toolNames(t).return,
      doc: `${t.description ?? `Tool ${t.name}.`}\n\nModel-facing name: \`${t.name}\`.`,
    })),
    hasTools: tools.length > 0,
    agentsInterface: names.agents,
    agentsDoc: `The agents the ${agent.name} agent delegates to, by camelCase agent name.`,
    delegates: delegates.map((d) => ({
      key: d.camelName,
      constName: agentNames(d).delegate,
      agentType: agentNames(d).agentType,
      doc: `${d.description ?? `The ${d.name} agent.`}\n\nModel-facing tool name: \`${d.name}\`.`,
    })),
    hasDelegates: delegates.length > 0,
    optionsInterface: names.options,
    optionsDoc: `Options of {@link ${names.factory}}: the tool handlers, delegate agents and per-agent overrides.`,
    agentType: names.agentType,
    agentTypeDoc: `The ${agent.name} agent, typed by its dependencies.`,
    delegate: lookup.delegated.has(agent.name) ? delegateView(agent, names, lookup, strict) : null,
    specDoc: `Everything the runtime needs to run the ${agent.name} agent, from ${agent.source.file}.`,
    specName: names.spec,
    runtimeRange: inputs.runtimeRange,
    name: agent.name,
    source: `${agent.source.file}#${agent.source.pointer}`,
    hasDescription: agent.description !== undefined,
    description: agent.description ?? '',
    hasModel: agent.model !== undefined,
    model: agent.model ?? '',
    hasInstructions: agent.instructions !== undefined,
    instructions: (agent.instructions ?? []).map((p) => (p.kind === 'text' ? p.text : { path: p.path })),
    context: agent.context ? { schema: bundle(agent.context, lookup.types) } : null,
    output:
      output.kind === 'structured'
        ? {
            structured: true,
            mode: agent.outputMode,
            allowsText: output.allowsText,
            members: output.members.map((m) => {
              const schema = bundle(m.schema, lookup.types);
              const what = output.members.length > 1 ? `output member ${m.memberName} of agent "${agent.name}"` : `the output of agent "${agent.name}"`;
              const strictSchema = strict(schema, what, m.source.pointer, false);
              return {
                toolName: m.toolName,
                hasDescription: m.description !== undefined,
                description: m.description ?? '',
                schema,
                hasStrictSchema: strictSchema !== undefined,
                strictSchema: strictSchema ?? null,
                validateExport: outputValidatorName(m),
              };
            }),
          }
        : { structured: false },
    settings,
    factoryDoc: `Creates the ${agent.name} agent${agent.description ? `: ${agent.description}` : '.'}`,
    factoryName: names.factory,
    optionsOptional: tools.length === 0 && delegates.length === 0,
  });
}

/** The delegate spec of an agent other agents delegate to. */
function delegateView(agent: IRAgent, names: ReturnType<typeof agentNames>, lookup: Lookup, strict: (bundled: unknown, what: string, slotPointer: string, objectRoot: boolean) => unknown) {
  const parameters = bundle(delegateArgsSchema(agent), lookup.types);
  const strictParameters = strict(parameters, `delegate "${agent.name}"`, agent.source.pointer, true);
  return {
    doc: `The ${agent.name} agent as a tool of the agents that delegate to it.`,
    constName: names.delegate,
    argsType: names.delegateArgs,
    name: agent.name,
    hasDescription: agent.description !== undefined,
    description: agent.description ?? '',
    parameters,
    hasStrictParameters: strictParameters !== undefined,
    strictParameters: strictParameters ?? null,
  };
}

function alias(name: string, doc: string, members: string[], allowsText: boolean, isUndefined: boolean) {
  return { name, doc, members, allowsText, isUndefined };
}

function mergeImports(fromModule: string, list: { module: string; names: string[] }[]): { from: string; names: string[] }[] {
  const byModule = new Map<string, Set<string>>();
  for (const item of list) {
    const set = byModule.get(item.module) ?? new Set<string>();
    item.names.forEach((n) => set.add(n));
    byModule.set(item.module, set);
  }
  return [...byModule]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([module, names]) => ({ from: importPath(fromModule, module), names: [...names].sort() }));
}

function renderIndex(ir: IR, delegated: ReadonlySet<string>, byModule: ReadonlyMap<string, readonly PlannedType[]>): string {
  const modules: { module: string; values: string[]; types: string[] }[] = [];
  for (const agent of ir.agents) {
    const n = agentNames(agent);
    const declared = (byModule.get(modulePath.agent(agent)) ?? []).map((p) => p.tsName);
    const types = new Set([n.agentType, n.options, n.output, n.outputPartial, n.toolArgs, n.context, ...declared]);
    if (agent.tools.length > 0) types.add(n.tools);
    if (agent.delegates.length > 0) types.add(n.agents);
    const values = [n.factory, n.spec];
    if (delegated.has(agent.name)) values.push(n.delegate);
    modules.push({ module: modulePath.agent(agent), values: values.sort(), types: [...types].sort() });
  }
  for (const tool of ir.tools) {
    const n = toolNames(tool);
    modules.push({ module: modulePath.tool(tool), values: [n.constant], types: [n.args, n.argsPartial, n.return] });
  }
  for (const [module, list] of groupTypesByModule(ir.types)) {
    modules.push({ module, values: [], types: list.map((t) => t.tsName).sort() });
  }
  modules.sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
  const view = {
    sourceList: ir.sources.join(', '),
    modules: modules.map((m) => ({ from: importPath('index', m.module), values: m.values, types: m.types })),
  };
  // Every edit touches the index's inputs, but few change what it exports: reuse the last render.
  const key = JSON.stringify(view);
  if (lastIndex?.key !== key) lastIndex = { key, text: render('index.ts', view) };
  return lastIndex.text;
}

/** The last index rendered (a pure function of its view, so sharing it between runs is safe). */
let lastIndex: { key: string; text: string } | undefined;
