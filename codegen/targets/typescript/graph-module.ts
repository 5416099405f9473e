/**
 * The module of one graph (`graphs/<graph>.ts`): its state, output, node input and reply types, the
 * input each node is made with (`<Graph>NodeInputs`), the steps handlers return (`<Graph>Step`),
 * the handlers interface (one method per node, whose `next` has a constructor per declared
 * successor and `end` when the node may end, so a handler can return no other step), the diagram,
 * the spec, and the factory `create<Graph>Graph`.
 */
import { bundle } from '../../compiler/ir/bundle.js';
import type { IRAgent, IRGraph, IRGraphNode, IRGraphSchema, IRType } from '../../compiler/ir/types.js';
import { Code, identifier, stringLiteral } from '../escape.js';
import { graphDiagram } from '../graph-diagram.js';
import { render } from '../templates.js';
import { graphDeclarations } from './graph-declarations.js';
import type { ModuleInputs } from './module-inputs.js';
import { addImport, declaration, groupImports, importPath } from './plan.js';

/** What a graph module looks up besides the graph. */
export interface GraphLookup {
  /** Named types, by name: what the module imports. */
  types: ReadonlyMap<string, IRType>;
  /** Agents, by name: the factories handler docs name. */
  agents: ReadonlyMap<string, IRAgent>;
}

/** Renders the module of one graph. */
export function renderGraph(graph: IRGraph, lookup: GraphLookup, inputs: ModuleInputs): string {
  const module = graph.names.module;
  const names = graph.names;
  const declarations = graphDeclarations(graph);
  // Named types the declarations refer to, and those a schema is exactly (used by their own name).
  const imports = new Map<string, Set<string>>();
  const slots = [graph.state, graph.output, ...graph.nodes.flatMap((n) => [n.input, n.waitsFor])];
  const named = [...declarations.flatMap((d) => inputs.planned.get(d.key)!.refs), ...slots.flatMap((s) => (s?.namedType !== undefined ? [s.namedType] : []))];
  for (const name of named) {
    const type = lookup.types.get(name);
    if (type && type.module !== module) addImport(imports, type.module, type.tsName);
  }
  const nodes = new Map(graph.nodes.map((n) => [n.name, n]));
  const step = (targets: readonly string[], ends: boolean) =>
    new Code(`${identifier(names.step)}<${targets.length > 0 ? targets.map(stringLiteral).join(' | ') : 'never'}, ${String(ends)}>`);
  const inputType = (slot: IRGraphSchema | undefined) => (slot === undefined ? 'undefined' : slot.tsName);
  const outputArg = graph.output !== undefined;
  const startInput = nodes.get(graph.start)?.input;

  return render('graph.ts', {
    sourceList: graph.source.file,
    typeImports: groupImports(module, imports),
    declarations: declarations.map((d) => declaration(inputs, d.key)),
    outputAlias: graph.output ? null : { name: names.output, doc: `What a run of the ${graph.name} graph ends with: no output.` },
    nodeInputs: names.nodeInputs,
    nodeInputsDoc: `The nodes of the ${graph.name} graph, by name, with the data each is made with (\`undefined\`: none).`,
    nodeEntries: graph.nodes.map((n) => ({
      name: n.name,
      isUndefined: n.input === undefined,
      type: inputType(n.input),
      doc: n.description ?? `Node \`${n.name}\`.`,
    })),
    stepType: names.step,
    stepDoc: `A step a handler of the ${graph.name} graph returns: to one of the nodes \`To\`, made with its input, or, when \`Ends\` is true, the end of the run with its output. The constructors a handler gets as \`next\` make them; \`${names.step}\` alone is any step of the graph.`,
    stateType: names.state,
    outputType: names.output,
    handlersInterface: names.handlers,
    handlersDoc: `The handlers of the ${graph.name} graph's nodes, by camelCase node name. Each gets the run's context (\`ctx.state\` to read and change, \`ctx.deps\`, its input, its reply) and \`next\`, with a constructor for each node it may go to and \`end\` when it may end; it returns the step one of them makes.`,
    handlers: graph.nodes.map((node) => {
      const targets = node.next.map((e) => e.node).filter((name) => nodes.has(name));
      return {
        key: node.names.key,
        doc: handlerDoc(graph, node, lookup.agents),
        contextArgs: new Code(
          [names.state, 'Deps', inputType(node.input), ...(node.waitsFor ? [node.waitsFor.tsName] : [])]
            .map((t) => (t === 'undefined' ? t : identifier(t)))
            .join(', '),
        ),
        constructors: node.next
          .filter((e) => nodes.has(e.node))
          .map((edge) => {
            const target = nodes.get(edge.node)!;
            return {
              key: target.names.key,
              hasInput: target.input !== undefined,
              inputType: target.input?.tsName ?? '',
              step: step([target.name], false),
              doc: `Goes on to node \`${target.name}\`${edge.label !== undefined ? ` (${edge.label})` : ''}${target.input ? '' : ', which takes no input'}.`,
            };
          }),
        end: node.end ? { outputArg, outputType: names.output, doc: `Ends the run${outputArg ? ' with its output' : ''}.`, step: step([], true) } : null,
        step: step(targets, node.end),
      };
    }),
    graphType: names.graphType,
    graphTypeDoc: `The ${graph.name} graph, typed by its dependencies: \`run({ state, deps${startInput ? ', input' : ''} })\`, \`iter()\` and \`resume()\`.`,
    startInput: new Code(startInput ? identifier(startInput.tsName) : 'undefined'),
    mermaidName: names.mermaid,
    mermaidDoc: `The ${graph.name} graph as a mermaid state diagram: the text \`schemantic docs\` draws, for display at run time.`,
    mermaidLines: graphDiagram(graph).split('\n'),
    specName: names.spec,
    specDoc: `Everything the runtime needs to run the ${graph.name} graph, from ${graph.source.file}.`,
    runtimeRange: inputs.runtimeRange,
    name: graph.name,
    source: `${graph.source.file}#${graph.source.pointer}`,
    hasDescription: graph.description !== undefined,
    description: graph.description ?? '',
    start: graph.start,
    stateSchema: bundle(graph.state.schema, lookup.types),
    outputSchema: graph.output ? bundle(graph.output.schema, lookup.types) : null,
    specNodes: graph.nodes.map((node) => ({
      name: node.name,
      key: node.names.key,
      hasDescription: node.description !== undefined,
      description: node.description ?? '',
      input: node.input ? bundle(node.input.schema, lookup.types) : null,
      waitsFor: node.waitsFor ? bundle(node.waitsFor.schema, lookup.types) : null,
      next: node.next.map((e) => (e.label !== undefined ? { node: e.node, label: e.label } : { node: e.node })),
      end: node.end,
      hasAgent: node.agent !== undefined,
      agent: node.agent ?? '',
    })),
    validatorsModule: importPath(module, names.validatorsModule),
    hasOutput: outputArg,
    inputValidators: graph.nodes.filter((n) => n.input).map((n) => ({ name: n.name, validator: n.names.validateInput })),
    replyValidators: graph.nodes.filter((n) => n.waitsFor).map((n) => ({ name: n.name, validator: n.names.validateReply })),
    factoryName: names.factory,
    factoryDoc: factoryDoc(graph),
  });
}

/** A handler's JSDoc: the node's description, then what the node is made with, waits for, runs, and where it goes. */
function handlerDoc(graph: IRGraph, node: IRGraphNode, agents: ReadonlyMap<string, IRAgent>): string {
  const facts = [node.input ? `made with {@link ${node.input.tsName}}` : 'made with no input'];
  if (node.waitsFor) facts.push(`waits for {@link ${node.waitsFor.tsName}} before it runs (\`ctx.reply\`)`);
  if (node.agent !== undefined) {
    const agent = agents.get(node.agent);
    facts.push(`runs agent \`${node.agent}\`${agent ? ` (\`${agent.names.factory}\` makes it)` : ''}`);
  }
  const next = node.next.map((e) => `\`${e.node}\``);
  if (next.length > 0) facts.push(`goes on to ${next.length === 1 ? next[0] : `${next.slice(0, -1).join(', ')} or ${next.at(-1)}`}`);
  if (node.end) facts.push('may end the run');
  const start = graph.start === node.name ? ' (the start node)' : '';
  const about = `Node \`${node.name}\`${start}: ${facts.join('; ')}.`;
  return node.description !== undefined && node.description.trim() !== '' ? `${node.description.trimEnd()}\n\n${about}` : about;
}

/** The factory's JSDoc: what the graph does and what its dependencies are. */
function factoryDoc(graph: IRGraph): string {
  const what = graph.description ? `: ${graph.description}` : '.';
  const deps = graph.deps !== undefined ? `\n\nIts dependencies (\`Deps\`, which handlers read as \`ctx.deps\`): ${graph.deps}` : '';
  return `Creates the ${graph.name} graph${what} Each node runs the handler of its key.${deps}`;
}
