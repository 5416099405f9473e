/**
 * The plan of the generated tree's declarations: which module declares what, and the imports
 * between modules. The names themselves are decided once, in the compiler's naming plan, and read
 * here from the IR (`names`, `validator`).
 */
import type { IR, IRAgent, IRMcpServer, IRMcpTool, IROutputMember, IRSchema, IRTool, IRType } from '../../compiler/ir/types.js';
import { directRefs } from '../../compiler/ir/refs.js';
import { compareText } from '../../compiler/problems.js';
import type { TypeRequest } from './emit-types.js';
import type { Code } from '../escape.js';
import { graphDeclarations } from './graph-declarations.js';

/** The import specifier of module `to` as seen from module `from` (both without extension). */
export function importPath(from: string, to: string): string {
  const fromParts = from.split('/').slice(0, -1);
  const toParts = to.split('/');
  let common = 0;
  while (common < fromParts.length && common < toParts.length - 1 && fromParts[common] === toParts[common]) common++;
  const up = fromParts.length - common;
  const rest = toParts.slice(common).join('/');
  return `${up === 0 ? './' : '../'.repeat(up)}${rest}.js`;
}

/** A declaration request together with the module that declares it. */
export interface PlannedType extends TypeRequest {
  key: string;
  module: string;
  /** Named types the declaration refers to. */
  refs: readonly string[];
}

/** The JSON Schema of the arguments a model passes to delegate to `agent`. */
export function delegateArgsSchema(agent: IRAgent): IRSchema {
  const properties: Record<string, unknown> = {
    prompt: { type: 'string', description: `What to ask the ${agent.name} agent.` },
  };
  const required = ['prompt'];
  if (agent.context) {
    properties['context'] = agent.context.schema;
    required.push('context');
  }
  return {
    schema: { type: 'object', properties, required, additionalProperties: false },
    closure: agent.context?.closure ?? [],
    inlinedFrom: agent.context?.inlinedFrom ?? [],
  };
}

/** The names of agents some other agent delegates to (they get a delegate spec). */
export function delegatedAgents(ir: IR): Set<string> {
  return new Set(ir.agents.flatMap((a) => a.delegates));
}

/** Every declaration of the tree, by key. */
export function plannedTypes(ir: IR): Map<string, PlannedType> {
  const out = new Map<string, PlannedType>();
  const add = (key: string, module: string, tsName: string, schema: unknown, doc: string) =>
    out.set(key, { key, module, tsName, schema, doc, refs: directRefs(schema) });
  for (const type of ir.types) add(typeKey(type), type.module, type.tsName, type.schema.schema, typeDoc(type));
  for (const tool of ir.tools) {
    const names = tool.names;
    const module = tool.names.module;
    add(toolArgsKey(tool), module, names.args, tool.parameters.schema, `Arguments of tool \`${tool.name}\`${tool.description ? `: ${tool.description}` : '.'}`);
    add(toolReturnKey(tool), module, names.return, tool.returns?.schema ?? true, `What the handler of tool \`${tool.name}\` returns.`);
  }
  const delegated = delegatedAgents(ir);
  for (const agent of ir.agents) {
    const names = agent.names;
    const module = agent.names.module;
    if (agent.context)
      add(`agent:${agent.name}:context`, module, names.context, agent.context.schema, `Values for the placeholders of the ${agent.name} agent's instructions.`);
    if (agent.output.kind === 'structured') {
      agent.output.members.forEach((member, i) => {
        if (member.namedType !== undefined) return;
        const doc =
          member.description ??
          (agent.output.kind === 'structured' && (agent.output.members.length > 1 || agent.output.allowsText)
            ? `One possible output of the ${agent.name} agent.`
            : agent.deferred
              ? `What the ${agent.name} agent outputs when its run is not stopped by deferred tool calls.`
              : `What the ${agent.name} agent outputs.`);
        add(`agent:${agent.name}:output:${i}`, module, member.tsName, member.schema.schema, doc);
      });
    }
    if (delegated.has(agent.name)) {
      add(
        `agent:${agent.name}:delegate-args`,
        module,
        names.delegateArgs,
        delegateArgsSchema(agent).schema,
        `Arguments a model passes to delegate to the ${agent.name} agent.`,
      );
    }
  }
  for (const server of ir.mcp) {
    for (const tool of server.tools) {
      const of = `MCP tool \`${tool.name}\` of server \`${server.name}\``;
      add(
        mcpArgsKey(server, tool),
        server.names.module,
        tool.names.args,
        tool.parameters.schema,
        `Arguments of ${of}${tool.description ? `: ${tool.description}` : '.'}`,
      );
      if (tool.returns) add(mcpResultKey(server, tool), server.names.module, tool.names.result, tool.returns.schema, `The structured result of ${of}.`);
    }
  }
  for (const graph of ir.graphs) {
    for (const d of graphDeclarations(graph)) add(d.key, graph.names.module, d.slot.tsName, d.slot.schema.schema, d.doc);
  }
  return out;
}

/** Key of the declaration of an MCP tool's arguments type (written by the caller: defaults stay optional). */
export function mcpArgsKey(server: IRMcpServer, tool: IRMcpTool): string {
  return `mcp:${server.name}:${tool.name}:args`;
}

/** Key of the declaration of an MCP tool's structured result type (checked by its validator). */
export function mcpResultKey(server: IRMcpServer, tool: IRMcpTool): string {
  return `mcp:${server.name}:${tool.name}:result`;
}

/** The name of the validator of one output member in its agent's validators module. */
export function outputValidatorName(member: IROutputMember): string {
  return `validateOutput${member.memberName}`;
}

/** The validator exports of an agent's validators module, in order, with the type each checks. */
export function agentValidatorExports(agent: IRAgent, delegated: ReadonlySet<string>): { exportName: string; typeName: string }[] {
  const names = agent.names;
  const out: { exportName: string; typeName: string }[] = [];
  if (agent.context) out.push({ exportName: 'validateContext', typeName: names.context });
  const output = agent.output;
  if (output.kind === 'structured') {
    for (const m of output.members) out.push({ exportName: outputValidatorName(m), typeName: m.tsName });
  }
  if (delegated.has(agent.name)) out.push({ exportName: 'validateDelegateArgs', typeName: names.delegateArgs });
  return out;
}

/** The declaration planned under `key` (every planned key has one). */
export function declaration(inputs: { declarations: ReadonlyMap<string, Code> }, key: string): Code {
  const code = inputs.declarations.get(key);
  if (!code) throw new Error(`internal: no declaration for ${key}`);
  return code;
}

/** Named types grouped by module, modules sorted, each in IR order. */
export function groupTypesByModule(types: readonly IRType[]): Map<string, IRType[]> {
  const out = new Map<string, IRType[]>();
  for (const t of [...types].sort((a, b) => compareText(a.module, b.module))) {
    const list = out.get(t.module) ?? [];
    list.push(t);
    out.set(t.module, list);
  }
  return out;
}

/** Key of a named type's declaration. */
export function typeKey(type: IRType): string {
  return `type:${type.name}`;
}

/** Key of the declaration of a tool's arguments type. */
export function toolArgsKey(tool: IRTool): string {
  return `tool:${tool.name}:args`;
}

/** Key of the declaration of a tool's return type. */
export function toolReturnKey(tool: IRTool): string {
  return `tool:${tool.name}:return`;
}

function typeDoc(type: IRType): string {
  const schema = type.schema.schema;
  const description = typeof schema === 'object' && schema !== null ? (schema as Record<string, unknown>)['description'] : undefined;
  return typeof description === 'string' ? description : `The ${type.name} type.`;
}

/**
 * Type imports a module needs for named types it refers to, grouped by module and sorted.
 * `local` names are declared in the module itself.
 */
export function typeImportsFor(fromModule: string, typeNames: Iterable<string>, types: ReadonlyMap<string, IRType>): { from: string; names: string[] }[] {
  const byModule = new Map<string, Set<string>>();
  for (const name of typeNames) {
    const type = types.get(name);
    if (!type || type.module === fromModule) continue;
    addImport(byModule, type.module, type.tsName);
  }
  return groupImports(fromModule, byModule);
}

/** Adds `name` to the names imported from `module`. */
export function addImport(byModule: Map<string, Set<string>>, module: string, name: string): void {
  let set = byModule.get(module);
  if (!set) byModule.set(module, (set = new Set()));
  set.add(name);
}

/** Import lists as `fromModule` writes them: one per module, sorted by module, names sorted. */
export function groupImports(fromModule: string, byModule: ReadonlyMap<string, ReadonlySet<string>>): { from: string; names: string[] }[] {
  return [...byModule].sort(([a], [b]) => compareText(a, b)).map(([module, names]) => ({ from: importPath(fromModule, module), names: [...names].sort() }));
}
