/**
 * The index module: every export of the generated tree, re-exported module by module (of an MCP
 * server's module, its factory and its own types; of a graph's, everything it declares).
 */
import type { IR } from '../../compiler/ir/types.js';
import { compareText } from '../../compiler/problems.js';
import { groupTypesByModule, importPath, type PlannedType } from './plan.js';
import { render } from '../templates.js';

/** Renders the index module (reusing the last render when its view is unchanged). */
export function renderIndex(ir: IR, delegated: ReadonlySet<string>, byModule: ReadonlyMap<string, readonly PlannedType[]>): string {
  const modules: { module: string; values: string[]; types: string[] }[] = [];
  const tools = new Map(ir.tools.map((t) => [t.name, t]));
  for (const agent of ir.agents) {
    const n = agent.names;
    const declared = (byModule.get(agent.names.module) ?? []).map((p) => p.tsName);
    const types = new Set([n.agentType, n.options, n.output, n.outputPartial, n.toolArgs, n.context, ...declared]);
    if (agent.deferred) for (const name of [n.finalOutput, n.approvals, n.externals]) types.add(name);
    // External tools have no handler: an agent with no other tool has no handlers interface.
    if (agent.tools.some((name) => !tools.get(name)?.external)) types.add(n.tools);
    if (agent.delegates.length > 0) types.add(n.agents);
    const values = [n.factory, n.spec];
    if (delegated.has(agent.name)) values.push(n.delegate);
    modules.push({ module: agent.names.module, values: values.sort(), types: [...types].sort() });
  }
  for (const tool of ir.tools) {
    const n = tool.names;
    modules.push({ module: tool.names.module, values: [n.constant], types: [n.args, n.argsPartial, n.return] });
  }
  // An MCP server's tool types (`EchoArgs`) stay in its module: two servers often list tools of
  // one name, and the index would have to export both.
  for (const server of ir.mcp) {
    const n = server.names;
    modules.push({ module: n.module, values: [n.factory, n.options].sort(), types: [n.client, n.tools].sort() });
  }
  for (const graph of ir.graphs) {
    const n = graph.names;
    const declared = (byModule.get(n.module) ?? []).map((p) => p.tsName);
    // A state or output that is exactly a named type is exported by the types module.
    const types = new Set([n.graphType, n.handlers, n.step, n.nodeInputs, ...declared]);
    if (!graph.output) types.add(n.output);
    modules.push({ module: n.module, values: [n.factory, n.mermaid, n.spec].sort(), types: [...types].sort() });
  }
  for (const [module, list] of groupTypesByModule(ir.types)) {
    modules.push({ module, values: [], types: list.map((t) => t.tsName).sort() });
  }
  modules.sort((a, b) => compareText(a.module, b.module));
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
