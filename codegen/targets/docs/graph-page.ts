/**
 * The view model of a graph's page (`graphs/<graph>.md`): what it does, where it is defined, its
 * start node and dependencies, its diagram (the text the generated module holds), its state and
 * output, each node (what it does, its handler's key, its agent, what it is made with and waits
 * for, where it goes, whether it may end), and every edge.
 */
import type { IRGraph, IRGraphNode } from '../../compiler/ir/types.js';
import { graphDiagram } from '../graph-diagram.js';
import { code, join, md, type Markdown } from './markdown.js';
import { definedIn, type Fact } from './page-parts.js';
import { schemaTable, type SchemaTable } from './schema-table.js';
import { PageLinks, type DocsSite } from './site.js';

/** One node's section. */
export interface GraphNodeView {
  /** The heading: the node's name. */
  name: string;
  /** The node's description (user text); empty when it has none. */
  description: string;
  /** Its handler's key, whether it starts the run, its agent, whether it waits, where it goes, whether it may end. */
  facts: Fact[];
  /** Null when the node takes no input. */
  input: SchemaTable | null;
  /** Null when the node waits for nothing. */
  waitsFor: SchemaTable | null;
}

/** One row of the edges table. */
export interface GraphEdgeView {
  /** The node it leaves, or `(start)`. */
  from: Markdown;
  /** The node it goes to, or `(end)`. */
  to: Markdown;
  /** The edge's label (user text); empty when it has none. */
  label: string;
}

/** The graph page's view model. */
export interface GraphPageView {
  /** The definitions files the page shows, for its banner. */
  sources: string;
  /** The graph's name (the title). */
  name: string;
  /** The graph's description (user text); empty when it has none. */
  description: string;
  /** Where it is defined, its start node, its dependencies and its factory. */
  facts: Fact[];
  /** The mermaid state diagram. */
  diagram: string;
  /** The state's table. */
  state: SchemaTable;
  /** Null when a run ends with no output. */
  output: SchemaTable | null;
  /** Every node, in the order written. */
  nodes: GraphNodeView[];
  /** Every edge: from the start, between nodes (with labels), and to the end. */
  edges: GraphEdgeView[];
}

/** The page of one graph, and where it goes. */
export function graphPage(graph: IRGraph, site: DocsSite): { path: string; view: GraphPageView } {
  const path = site.graphPage(graph.name);
  const links = new PageLinks(site, path);
  const facts: Fact[] = [definedIn(graph.source, links), { label: 'Start node', value: code(graph.start) }];
  if (graph.deps !== undefined) facts.push({ label: 'Dependencies', value: md`${graph.deps}` });
  facts.push({ label: 'Factory', value: code(`${graph.names.factory}(handlers)`) });
  const edges: GraphEdgeView[] = [
    { from: md`(start)`, to: code(graph.start), label: '' },
    ...graph.nodes.flatMap((node) => [
      ...node.next.map((edge) => ({ from: code(node.name), to: code(edge.node), label: edge.label ?? '' })),
      ...(node.end ? [{ from: code(node.name), to: md`(end)`, label: '' }] : []),
    ]),
  ];
  const view: GraphPageView = {
    sources: '',
    name: graph.name,
    description: graph.description ?? '',
    facts,
    diagram: graphDiagram(graph),
    state: schemaTable(graph.state.schema, links, { expandRef: true }),
    output: graph.output ? schemaTable(graph.output.schema, links, { expandRef: true }) : null,
    nodes: graph.nodes.map((node) => nodeView(graph, node, links)),
    edges,
  };
  view.sources = links.sourceList();
  return { path, view };
}

function nodeView(graph: IRGraph, node: IRGraphNode, links: PageLinks): GraphNodeView {
  const facts: Fact[] = [{ label: 'Handler', value: code(node.names.key) }];
  if (node.name === graph.start) facts.push({ label: 'Start', value: md`yes: a run starts here` });
  if (node.agent !== undefined) facts.push({ label: 'Runs agent', value: links.site.agents.has(node.agent) ? links.agent(node.agent) : code(node.agent) });
  if (node.waitsFor) facts.push({ label: 'Waits', value: md`for a reply before it runs: a run stops here, and resumes with the reply` });
  const next = node.next.map((e) => (e.label !== undefined ? md`${code(e.node)} (${e.label})` : code(e.node)));
  if (next.length > 0) facts.push({ label: 'Goes on to', value: join(next, ', ') });
  if (node.end) facts.push({ label: 'May end', value: md`yes, with the graph's output` });
  return {
    name: node.name,
    description: node.description ?? '',
    facts,
    input: node.input ? schemaTable(node.input.schema, links, { expandRef: true }) : null,
    waitsFor: node.waitsFor ? schemaTable(node.waitsFor.schema, links, { expandRef: true }) : null,
  };
}
