/**
 * The module of one agent: its factory, spec, option and stream types, the declarations planned
 * into it, and (when other agents delegate to it) its delegate spec.
 */
import { isObjectSchema } from 'schemantic/internal';
import { bundle } from '../../compiler/ir/bundle.js';
import type { IRAgent, IRMcpFilter, IRMcpServer, IRTool, IRType } from '../../compiler/ir/types.js';
import type { AgentNames } from '../../compiler/naming-plan.js';
import type { ModuleInputs } from './module-inputs.js';
import {
  addImport,
  agentValidatorExports,
  declaration,
  delegateArgsSchema,
  groupImports,
  importPath,
  outputValidatorName,
  typeImportsFor,
  type PlannedType,
} from './plan.js';
import { strictVariant, type PendingProblem, type VariantSubject } from './strict-variants.js';
import { geminiVariant, type GeminiTargets } from './gemini-variants.js';
import type { SharedSchemas } from './shared-literals.js';
import { render } from '../templates.js';

/** What an agent module looks up besides the agent. */
export interface Lookup {
  types: ReadonlyMap<string, IRType>;
  tools: ReadonlyMap<string, IRTool>;
  agents: ReadonlyMap<string, IRAgent>;
  mcp: ReadonlyMap<string, IRMcpServer>;
  delegated: ReadonlySet<string>;
  byModule: ReadonlyMap<string, readonly PlannedType[]>;
  /** The schemas whose literals are written once (strict variants go through it). */
  shared: SharedSchemas;
  /** The agents, tools and delegates that get Gemini variants (those Gemini agents use). */
  gemini: GeminiTargets;
}

/** Renders the module of one agent. */
export function renderAgent(agent: IRAgent, lookup: Lookup, inputs: ModuleInputs, warnings: PendingProblem[]): string {
  const module = agent.names.module;
  const strict = (bundled: unknown, what: string, slotPointer: string, objectRoot: boolean) =>
    lookup.shared.strict(strictVariant(bundled, { objectRoot }, { what, source: agent.source, slotPointer }, lookup.types, warnings));
  const gemini = (bundled: unknown, subject: Omit<VariantSubject, 'source'>) =>
    lookup.shared.gemini(geminiVariant(bundled, { ...subject, source: agent.source }, lookup.types, warnings));
  const names = agent.names;
  const tools = agent.tools.map((n) => lookup.tools.get(n)!);
  const delegates = agent.delegates.map((n) => lookup.agents.get(n)!);
  const servers = agent.mcp.map((n) => lookup.mcp.get(n)!);
  const validatorExports = agentValidatorExports(agent, lookup.delegated);

  const valueImports = [
    ...tools.map((t) => ({ module: t.names.module, names: [t.names.constant] })),
    ...delegates.map((d) => ({ module: d.names.module, names: [d.names.delegate] })),
    ...servers.map((s) => ({ module: s.names.module, names: [s.names.factory] })),
  ];
  const toolTypeImports = [
    ...tools.map((t) => ({ module: t.names.module, names: [t.names.args, t.names.return] })),
    ...delegates.map((d) => ({ module: d.names.module, names: [d.names.agentType, d.names.delegateArgs] })),
    // A filtered server is given as the server itself, whose select() keeps the tools.
    ...servers.filter((s) => agent.mcpFilters?.[s.name]).map((s) => ({ module: s.names.module, names: [s.names.client] })),
  ];
  // The argument types of every tool the model can call, by model-facing name, to type stream events.
  const output = agent.output;
  // Each output member's bundled schema, by member: stream typing and the spec both need it.
  const bundledMembers = new Map(output.kind === 'structured' ? output.members.map((m) => [m, bundle(m.schema, lookup.types)] as const) : []);
  const toolArgs = [
    ...tools.map((t) => ({ name: t.name, type: t.names.args, doc: `Arguments of tool \`${t.name}\`.` })),
    ...delegates.map((d) => ({ name: d.name, type: d.names.delegateArgs, doc: `Arguments of delegate agent \`${d.name}\`.` })),
    ...(agent.outputMode === 'tool' && agent.output.kind === 'structured'
      ? agent.output.members.map((m) => ({
          name: m.toolName,
          type: m.tsName,
          // A member that is not an object travels as {"response": ...} (see the runtime's output tools).
          wrapped: !isObjectSchema(bundledMembers.get(m) as never),
          doc: `Output tool \`${m.toolName}\`: its arguments are the output.`,
        }))
      : []),
  ];
  const declarationKeys = (lookup.byModule.get(module) ?? []).map((p) => p.key);
  const namedRefs = new Set(declarationKeys.flatMap((k) => inputs.planned.get(k)!.refs));
  if (output.kind === 'structured') for (const m of output.members) if (m.namedType !== undefined) namedRefs.add(m.namedType);

  // An agent whose runs may stop at deferred tool calls names its own output `<Agent>FinalOutput`
  // (what output validators and partial outputs are about); `<Agent>Output`, what its runs end
  // with, is then that or the DeferredToolRequests, which callers must tell apart.
  const deferred = agent.deferred ? deferredView(agent, tools) : null;
  const ownOutput = deferred ? names.finalOutput : names.output;
  const ownDoc = deferred ? `What the ${agent.name} agent outputs when its run is not stopped by deferred tool calls` : `What the ${agent.name} agent outputs`;
  const aliases: object[] = [];
  if (!agent.context) aliases.push(alias(names.context, `The ${agent.name} agent has no context: its instructions have no placeholders.`, [], false, true));
  if (output.kind === 'text') {
    aliases.push(alias(ownOutput, `${ownDoc}: text.`, [], true, false));
  } else if (output.members.length > 1 || output.allowsText || output.members[0]!.namedType !== undefined) {
    aliases.push(
      alias(
        ownOutput,
        `${ownDoc}.`,
        output.members.map((m) => m.tsName),
        output.allowsText,
        false,
      ),
    );
  }
  if (deferred) {
    const requests = { approvals: names.approvals, externals: names.externals };
    const doc = `What a run of the ${agent.name} agent ends with: its output, or the tool calls that wait for a person's approval or for the caller to run them. Tell them apart with \`instanceof DeferredToolRequests\`.`;
    aliases.push(alias(names.output, doc, [names.finalOutput], false, false, requests));
  }
  // External tools have no handler: the caller runs their calls.
  const handled = tools.filter((t) => !t.external);
  const conditions = tools.filter((t) => t.approval === 'conditional');

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
    validatorsModule: importPath(module, agent.names.validatorsModule),
    reexports: tools.flatMap((t) => [t.names.args, t.names.return]),
    declarations: declarationKeys.map((k) => declaration(inputs, k)),
    aliases,
    contextType: names.context,
    outputType: names.output,
    ownOutputType: ownOutput,
    outputPartialType: names.outputPartial,
    outputPartialDoc: `What the ${agent.name} agent outputs, as it streams in (\`outputStream()\`): every property optional, strings growing, numbers once complete.`,
    toolArgsInterface: names.toolArgs,
    toolArgsDoc: `The arguments of each tool the ${agent.name} agent's model can call, by model-facing name (they type stream events).`,
    toolArgs,
    toolsInterface: names.tools,
    toolsDoc: `Handlers of the ${agent.name} agent's tools, by camelCase tool name (the model sees the names as written in the definitions).`,
    tools: tools.map((t) => ({ key: t.handlerKey, constName: t.names.constant })),
    hasTools: tools.length > 0,
    handlers: handled.map((t) => ({
      key: t.handlerKey,
      argsType: t.names.args,
      returnType: t.names.return,
      doc: `${t.description ?? `Tool ${t.name}.`}\n\nModel-facing name: \`${t.name}\`.${approvalNote(t)}`,
    })),
    hasHandlers: handled.length > 0,
    deferred,
    conditions: conditions.map((t) => ({
      key: t.handlerKey,
      argsType: t.names.args,
      doc: `Whether a call of tool \`${t.name}\` waits for a person's approval before its handler runs.`,
    })),
    hasConditions: conditions.length > 0,
    conditionsDoc: `When a call of a tool declared \`approval: conditional\` needs a person's approval, by camelCase tool name: called with the validated arguments before the handler; true stops the run at the call.`,
    agentsInterface: names.agents,
    agentsDoc: `The agents the ${agent.name} agent delegates to, by camelCase agent name.`,
    delegates: delegates.map((d) => ({
      key: d.camelName,
      constName: d.names.delegate,
      agentType: d.names.agentType,
      doc: `${d.description ?? `The ${d.name} agent.`}\n\nModel-facing tool name: \`${d.name}\`.`,
    })),
    hasDelegates: delegates.length > 0,
    hasMcp: servers.length > 0,
    mcpDoc: `The MCP servers whose tools every run of the ${agent.name} agent gets, by camelCase server name; each defaults to the one its factory makes from the definitions.`,
    mcpServers: servers.map((s) => mcpServerView(s, agent.mcpFilters?.[s.name])),
    optionsInterface: names.options,
    optionsDoc: `Options of {@link ${names.factory}}: the tool handlers, delegate agents and per-agent overrides.`,
    agentType: names.agentType,
    agentTypeDoc: `The ${agent.name} agent, typed by its dependencies.`,
    delegate: lookup.delegated.has(agent.name) ? delegateView(agent, names, lookup, strict, gemini) : null,
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
    hasSystemPrompt: agent.systemPrompt !== undefined,
    systemPrompt: (agent.systemPrompt ?? []).map((p) => (p.kind === 'text' ? p.text : { path: p.path })),
    context: agent.context ? { schema: bundle(agent.context, lookup.types) } : null,
    output:
      output.kind === 'structured'
        ? {
            structured: true,
            mode: agent.outputMode,
            allowsText: output.allowsText,
            members: output.members.map((m) => {
              const schema = bundledMembers.get(m);
              const what = output.members.length > 1 ? `output member ${m.memberName} of agent "${agent.name}"` : `the output of agent "${agent.name}"`;
              const strictSchema = strict(schema, what, m.source.pointer, false);
              const geminiSchema = lookup.gemini.agents.has(agent.name) ? gemini(schema, { what, slotPointer: m.source.pointer }) : undefined;
              return {
                toolName: m.toolName,
                hasDescription: m.description !== undefined,
                description: m.description ?? '',
                schema,
                hasStrictSchema: strictSchema !== undefined,
                strictSchema: strictSchema ?? null,
                hasGeminiSchema: geminiSchema !== undefined,
                geminiSchema: geminiSchema ?? null,
                validateExport: outputValidatorName(m),
              };
            }),
          }
        : { structured: false },
    settings,
    factoryDoc: `Creates the ${agent.name} agent${agent.description ? `: ${agent.description}` : '.'}`,
    factoryName: names.factory,
    optionsOptional: handled.length === 0 && delegates.length === 0 && conditions.length === 0,
  });
}

/** The tool maps that type a deferred agent's DeferredToolRequests. */
function deferredView(agent: IRAgent, tools: readonly IRTool[]) {
  const entry = (t: IRTool) => ({ name: t.name, argsType: t.names.args, doc: `Arguments of tool \`${t.name}\`.` });
  const approvalTools = tools.filter((t) => t.approval !== undefined).map(entry);
  const externalTools = tools.filter((t) => t.external).map(entry);
  const approvals = `The tools of the ${agent.name} agent whose calls may wait for a person's approval, by model-facing name, with their arguments (they type \`DeferredToolRequests.approvals\`)`;
  const externals = `The external tools of the ${agent.name} agent, whose calls the caller runs, by model-facing name, with their arguments (they type \`DeferredToolRequests.calls\`)`;
  return {
    approvals: agent.names.approvals,
    approvalsDoc: approvalTools.length > 0 ? `${approvals}.` : `${approvals}: none.`,
    approvalTools,
    externals: agent.names.externals,
    externalsDoc: externalTools.length > 0 ? `${externals}.` : `${externals}: none.`,
    externalTools,
  };
}

/** What a handler's doc says of the approval its calls need (nothing when they need none). */
function approvalNote(tool: IRTool): string {
  if (tool.approval === 'required') return `\n\nEach call waits for a person's approval before this handler runs.`;
  if (tool.approval === 'conditional') return `\n\nA call waits for a person's approval first when \`needsApproval.${tool.handlerKey}\` says so.`;
  return '';
}

/** The delegate spec of an agent other agents delegate to. */
function delegateView(
  agent: IRAgent,
  names: AgentNames,
  lookup: Lookup,
  strict: (bundled: unknown, what: string, slotPointer: string, objectRoot: boolean) => unknown,
  gemini: (bundled: unknown, subject: Omit<VariantSubject, 'source'>) => unknown,
) {
  const parameters = bundle(delegateArgsSchema(agent), lookup.types);
  const what = `delegate "${agent.name}"`;
  const strictParameters = strict(parameters, what, agent.source.pointer, true);
  // Only when a Gemini agent delegates to it. The arguments' `context` is the agent's context
  // schema: a keyword dropped there is located in it.
  const geminiParameters = lookup.gemini.delegates.has(agent.name)
    ? gemini(parameters, {
        what,
        slotPointer: agent.source.pointer,
        nested: { at: '/properties/context', slotPointer: `${agent.source.pointer}/context` },
      })
    : undefined;
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
    hasGeminiParameters: geminiParameters !== undefined,
    geminiParameters: geminiParameters ?? null,
  };
}

function alias(name: string, doc: string, members: string[], allowsText: boolean, isUndefined: boolean, requests?: { approvals: string; externals: string }) {
  return { name, doc, members, allowsText, isUndefined, requests: requests ?? null };
}

/** Import lists of `fromModule` for names given module by module (a module may repeat). */
function mergeImports(fromModule: string, list: { module: string; names: string[] }[]): { from: string; names: string[] }[] {
  const byModule = new Map<string, Set<string>>();
  for (const item of list) for (const name of item.names) addImport(byModule, item.module, name);
  return groupImports(fromModule, byModule);
}

/**
 * How an agent module takes one of its MCP servers: any toolset, or, when the agent gets only some
 * of its tools, the server itself (`select` keeps them; another toolset could not be filtered).
 */
function mcpServerView(server: IRMcpServer, filter: IRMcpFilter | undefined) {
  const base = `MCP server \`${server.name}\`${server.description ? ` (${server.description})` : ''}`;
  const kept = !filter ? '' : filter.include ? `; only its tools ${codeList(filter.include)}` : `; all its tools but ${codeList(filter.exclude ?? [])}`;
  return {
    key: server.camelName,
    factory: server.names.factory,
    doc: `${base}${kept}. Default: \`${server.names.factory}({ lifetime: 'run' }).server\`, connected for each run; pass a server of your own to keep one connection across runs (and close it when done).`,
    client: filter ? server.names.client : null,
    select: filter ? (filter.include ? { key: 'include', names: filter.include } : { key: 'exclude', names: filter.exclude ?? [] }) : null,
  };
}

/** `a`, `b` and `c`, for docs. */
function codeList(names: readonly string[]): string {
  const coded = names.map((n) => `\`${n}\``);
  return coded.length <= 1 ? coded.join('') : `${coded.slice(0, -1).join(', ')} and ${coded.at(-1)}`;
}
