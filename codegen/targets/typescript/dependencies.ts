/**
 * What each generated file depends on. Watch mode re-emits a file only when one of its inputs
 * changed since the last run; everything else is reused as it was.
 *
 * Inputs are definition entries (`team.yaml#/tools/search`: one type, tool, agent, MCP server or
 * graph). A generated file is a function of the entries it describes and of everything they
 * reach: entries whose content was copied into its schemas, named types in the closure of their
 * schemas, tools, delegates, MCP servers, and (for an agent) the agents that delegate to it,
 * since being delegated to adds a delegate spec to its module (and for a tool, the agents naming a
 * Gemini model that use it, which give it a Gemini variant).
 */
import type { IR, IRAgent, IREvalDataset, IRSchema, IRSource, IRTool } from '../../compiler/ir/types.js';
import { EVALS_INDEX_MODULE } from '../../compiler/naming-plan.js';
import { toPointer } from '../../compiler/problems.js';
import { isObject } from '../../compiler/schema/walk.js';
import type { LoadedFile } from '../../compiler/load.js';
import { entryKey } from '../../compiler/validate.js';
import { contentHash } from '../../compiler/content-hash.js';
import { delegatedAgents } from './plan.js';
import { isGeminiModel } from './gemini-variants.js';

/** Output path (with extension) -> the inputs it depends on. */
export type OutputDependencies = Map<string, Set<string>>;

/** The input key of the entry an IR element comes from: `rel#/section/name`. */
function entryKeyOf(source: Pick<IRSource, 'rel' | 'pointer'>): string {
  return entryKey(source.rel, source.pointer);
}

/** The dependencies of every generated file. `index.ts` depends on every entry. */
export function outputDependencies(ir: IR): OutputDependencies {
  const tools = new Map(ir.tools.map((t) => [t.name, t]));
  const agents = new Map(ir.agents.map((a) => [a.name, a]));
  const parents = new Map<string, string[]>();
  for (const a of ir.agents) for (const d of a.delegates) parents.set(d, [...(parents.get(d) ?? []), a.name]);
  const delegated = delegatedAgents(ir);
  const deps: OutputDependencies = new Map();
  const add = (paths: string[], inputs: Iterable<string>) => {
    for (const p of paths) {
      const set = deps.get(p) ?? new Set<string>();
      for (const r of inputs) set.add(r);
      deps.set(p, set);
    }
  };
  // Each type's own inputs, computed once: closures of many schemas share them.
  const typeInputs = new Map<string, readonly string[]>();
  for (const t of ir.types) typeInputs.set(t.name, [entryKeyOf(t.source), ...t.schema.inlinedFrom]);
  const reach = (schema: IRSchema | undefined): string[] => {
    if (!schema) return [];
    const out = [...schema.inlinedFrom];
    for (const name of schema.closure) out.push(...(typeInputs.get(name) ?? []));
    return out;
  };
  const toolMemo = new Map<IRTool, string[]>();
  const toolInputs = (tool: IRTool): string[] => {
    let inputs = toolMemo.get(tool);
    if (!inputs) toolMemo.set(tool, (inputs = [entryKeyOf(tool.source), ...reach(tool.parameters), ...reach(tool.returns)]));
    return inputs;
  };
  const parentInputs = (name: string): string[] => (parents.get(name) ?? []).map((p) => entryKeyOf(agents.get(p)!.source));
  const agentOwnInputs = (agent: IRAgent): string[] => [
    entryKeyOf(agent.source),
    ...reach(agent.context),
    ...(agent.output.kind === 'structured' ? agent.output.members.flatMap((m) => reach(m.schema)) : []),
    ...parentInputs(agent.name),
  ];

  // A types module holds every type of its file, so it depends on all of them.
  // A type's validators module holds that type alone.
  for (const type of ir.types) {
    const inputs = [entryKeyOf(type.source), ...reach(type.schema)];
    add([`${type.module}.ts`], inputs);
    const v = type.validator.module;
    add([`${v}.js`, `${v}.d.ts`], inputs);
  }
  for (const tool of ir.tools) {
    const p = tool.names.module;
    const v = tool.names.validatorsModule;
    add([`${p}.ts`, `${v}.js`, `${v}.d.ts`], toolInputs(tool));
  }
  // A tool's module carries its Gemini variant when an agent using it names a Gemini model, so it
  // depends on those agents: one switching provider adds or removes itself, which changes the
  // fingerprint; projects without Gemini agents keep the fingerprints they had.
  for (const agent of ir.agents.filter((a) => isGeminiModel(a.model)))
    for (const n of agent.tools) add([`${tools.get(n)!.names.module}.ts`], [entryKeyOf(agent.source)]);
  // An MCP server's modules hold all its tools; an agent module names only its servers' factories.
  const servers = new Map(ir.mcp.map((s) => [s.name, s]));
  for (const server of ir.mcp) {
    const inputs = [entryKeyOf(server.source), ...server.tools.flatMap((t) => [...reach(t.parameters), ...reach(t.returns)])];
    const v = server.names.validatorsModule;
    add([`${server.names.module}.ts`, `${v}.js`, `${v}.d.ts`], inputs);
  }
  for (const agent of ir.agents) {
    const own = agentOwnInputs(agent);
    const v = agent.names.validatorsModule;
    add([`${v}.js`, `${v}.d.ts`], own);
    // Whether its tools need approval or are external names a single output written in place
    // (`<Agent>FinalOutput` then), which the typed companion imports.
    const out = agent.output;
    if (out.kind === 'structured' && out.members.length === 1 && !out.allowsText && out.members[0]!.namedType === undefined)
      add(
        [`${v}.d.ts`],
        agent.tools.map((n) => entryKeyOf(tools.get(n)!.source)),
      );
    const reached = [
      ...own,
      ...agent.tools.flatMap((n) => toolInputs(tools.get(n)!)),
      ...agent.delegates.flatMap((n) => {
        const d = agents.get(n)!;
        return [entryKeyOf(d.source), ...reach(d.context), ...(delegated.has(n) ? parentInputs(n) : [])];
      }),
      ...agent.mcp.map((n) => entryKeyOf(servers.get(n)!.source)),
    ];
    add([`${agent.names.module}.ts`], reached);
  }
  // A graph's modules hold its own schemas; agents appear in them by name only.
  for (const graph of ir.graphs) {
    const slots = [graph.state, graph.output, ...graph.nodes.flatMap((n) => [n.input, n.waitsFor])];
    const inputs = [entryKeyOf(graph.source), ...slots.flatMap((s) => reach(s?.schema))];
    const v = graph.names.validatorsModule;
    add([`${graph.names.module}.ts`, `${v}.js`, `${v}.d.ts`], inputs);
  }
  // An eval dataset's module holds its file (by its text's hash) and names its agent's types,
  // which the agent's entry and its tools decide (`<Agent>FinalOutput` when a tool defers).
  const evalAgentInputs = (name: string): string[] => {
    const agent = agents.get(name);
    return agent ? [entryKeyOf(agent.source), ...agent.tools.map((n) => entryKeyOf(tools.get(n)!.source))] : [];
  };
  for (const dataset of ir.evals) {
    const inputs = [evalInputKey(dataset), ...evalAgentInputs(dataset.agent)];
    add([`${dataset.names.module}.ts`, `${EVALS_INDEX_MODULE}.ts`], inputs);
  }
  add(
    ['index.ts'],
    [...ir.types, ...ir.tools, ...ir.agents, ...ir.mcp, ...ir.graphs].map((x) => entryKeyOf(x.source)),
  );
  return deps;
}

/**
 * The input key of an eval dataset file: its path as shown (which its module records as its
 * `source`), never the key of a definition entry (those hold a `#`). Its hash is the dataset's
 * `sourceHash`.
 */
export function evalInputKey(dataset: Pick<IREvalDataset, 'source'>): string {
  return `evals:${dataset.source.file}`;
}

/** The entries of a parsed definitions file, by input key, with their raw values. */
export function fileEntries(file: LoadedFile): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!isObject(file.value)) return out;
  for (const section of ['types', 'tools', 'agents', 'mcp', 'graphs']) {
    const group = file.value[section];
    if (!isObject(group)) continue;
    for (const [name, raw] of Object.entries(group)) out.set(entryKey(file.rel, toPointer([section, name])), raw);
  }
  return out;
}

/**
 * A fingerprint per output: a hash of the inputs it depends on, each with the hash of its content.
 * Equal fingerprints mean the output would be generated identically (by the same generator), in
 * this process or, through the manifest, in a later one.
 */
export function fingerprints(deps: OutputDependencies, inputHash: (input: string) => string): Map<string, string> {
  const out = new Map<string, string>();
  const stamped = new Map<string, string>();
  const stamp = (input: string): string => {
    let s = stamped.get(input);
    if (s === undefined) stamped.set(input, (s = `${input}@${inputHash(input)}`));
    return s;
  };
  for (const [path, inputs] of deps) out.set(path, contentHash([...inputs].sort().map(stamp).join('\n')));
  return out;
}
