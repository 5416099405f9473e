/**
 * The check stage's judgement of graphs (`graphs:`): that the machine holds together. Every
 * successor and the start node are nodes of the graph, no node lists a successor twice, every node
 * can be reached from the start, every node can end or go on, no set of nodes goes round with no
 * way to end, each node's agent exists, and the keys of a graph's handlers and constructors are
 * distinct. (The names a graph's module exports are checked with the corpus's, in check.ts.)
 */
import type { IRGraph, IRGraphNode } from './ir/types.js';
import type { Problem } from './problems.js';
import { didYouMean } from './suggest.js';
import type { ProblemMaker } from './check-mcp.js';

/** Every problem of the corpus's graphs. `agents` are the declared agents' names (entries left out for errors included). */
export function graphProblems(graphs: readonly IRGraph[], agents: Iterable<string>, at: ProblemMaker): Problem[] {
  const problems: Problem[] = [];
  const agentNames = new Set(agents);
  for (const graph of graphs) {
    problems.push(...keyProblems(graph, at));
    problems.push(...edgeProblems(graph, at));
    for (const node of graph.nodes) {
      if (node.agent !== undefined && !agentNames.has(node.agent)) {
        problems.push(
          at(
            field(node, 'agent'),
            'unknown-agent',
            `node "${node.name}" of graph "${graph.name}" runs agent "${node.agent}", which no definitions file declares under agents:${didYouMean(node.agent, agentNames)}`,
          ),
        );
      }
    }
    // With no nodes (a problem validate reported), there is no machine to judge.
    if (graph.nodes.length > 0) problems.push(...machineProblems(graph, at));
  }
  return problems;
}

/** The place of a node's field. */
function field(node: IRGraphNode, key: string): { rel: string; pointer: string } {
  return { rel: node.source.rel, pointer: `${node.source.pointer}/${key}` };
}

/**
 * Handler keys are the camelCase forms of the node names, so two names may share one
 * (`ask_question`, `askQuestion`): each clash is reported at the later node.
 */
function keyProblems(graph: IRGraph, at: ProblemMaker): Problem[] {
  const problems: Problem[] = [];
  const byKey = new Map<string, IRGraphNode>();
  for (const node of graph.nodes) {
    const first = byKey.get(node.names.key);
    if (first === undefined) {
      byKey.set(node.names.key, node);
      continue;
    }
    problems.push(
      at(
        node.source,
        'name-collision',
        `node "${node.name}" of graph "${graph.name}" has the handler key ${node.names.key}, like node "${first.name}" at ${first.source.file}:${first.source.line}:${first.source.col}; rename one`,
        'key',
      ),
    );
  }
  return problems;
}

/**
 * Each successor, and the start node, is a node of the graph; a node lists a successor once; and a
 * node that may end has no successor whose key is `end`, since `next.end(output)` ends the run.
 */
function edgeProblems(graph: IRGraph, at: ProblemMaker): Problem[] {
  const problems: Problem[] = [];
  const nodes = new Map(graph.nodes.map((n) => [n.name, n]));
  const names = [...nodes.keys()];
  if (graph.start !== '' && graph.nodes.length > 0 && !nodes.has(graph.start)) {
    problems.push(
      at(
        { rel: graph.source.rel, pointer: `${graph.source.pointer}/start` },
        'unknown-node',
        `graph "${graph.name}" starts at "${graph.start}", which is not one of its nodes${didYouMean(graph.start, names)}`,
      ),
    );
  }
  for (const node of graph.nodes) {
    const seen = new Map<string, number>();
    node.next.forEach((edge, index) => {
      const target = nodes.get(edge.node);
      if (target === undefined) {
        problems.push(
          at(
            edge.source,
            'unknown-node',
            `node "${node.name}" of graph "${graph.name}" goes to "${edge.node}", which is not one of its nodes${didYouMean(edge.node, names)}`,
          ),
        );
        return;
      }
      const earlier = seen.get(edge.node);
      if (earlier !== undefined) {
        problems.push(
          at(
            edge.source,
            'invalid-value',
            `node "${node.name}" of graph "${graph.name}" lists node "${edge.node}" twice in next (items ${earlier} and ${index}): list it once`,
          ),
        );
        return;
      }
      seen.set(edge.node, index);
      if (node.end && target.names.key === 'end') {
        problems.push(
          at(
            edge.source,
            'name-collision',
            `node "${node.name}" of graph "${graph.name}" may end, and next.end(output) ends the run: its successor "${edge.node}" cannot have the key end too; rename that node`,
          ),
        );
      }
    });
  }
  return problems;
}

/**
 * What needs the whole machine: nodes the start cannot reach, nodes that can neither end nor go on
 * (dead ends), and sets of nodes that go round with no way out to an end. A node that can reach
 * neither an end nor an unknown node (reported already, and most likely meant to be a node that
 * can end) leads to a dead end or to such a set, so each broken path is reported once, where it is
 * broken.
 */
function machineProblems(graph: IRGraph, at: ProblemMaker): Problem[] {
  const problems: Problem[] = [];
  const nodes = new Map(graph.nodes.map((n) => [n.name, n]));
  const successors = (node: IRGraphNode) => node.next.filter((e) => nodes.has(e.node)).map((e) => nodes.get(e.node)!);

  if (nodes.has(graph.start)) {
    const reached = reach([nodes.get(graph.start)!], successors);
    for (const node of graph.nodes) {
      if (reached.has(node)) continue;
      problems.push(
        at(node.source, 'unreachable-node', `node "${node.name}" of graph "${graph.name}" cannot be reached from its start node "${graph.start}"`, 'key'),
      );
    }
  }

  for (const node of graph.nodes) {
    if (node.next.length > 0 || node.end) continue;
    problems.push(
      at(node.source, 'dead-end-node', `node "${node.name}" of graph "${graph.name}" can neither end nor go on: give it a next, or end: true`, 'key'),
    );
  }

  // The nodes that can get to an end: the reverse closure of those that may end (or that go to an unknown node).
  const predecessors = new Map<IRGraphNode, IRGraphNode[]>(graph.nodes.map((n) => [n, []]));
  for (const node of graph.nodes) for (const next of successors(node)) predecessors.get(next)!.push(node);
  const exits = graph.nodes.filter((n) => n.end || n.next.some((e) => !nodes.has(e.node)));
  const canEnd = reach(exits, (n) => predecessors.get(n)!);
  const stuck = graph.nodes.filter((n) => !canEnd.has(n));
  for (const component of components(stuck, (n) => successors(n).filter((s) => !canEnd.has(s)))) {
    const members = new Set(component);
    const inside = component.flatMap((n) => successors(n));
    const cyclic = component.length > 1 || inside.includes(component[0]!);
    // A set whose nodes also go elsewhere is stuck because of where they go, which is reported there.
    if (!cyclic || inside.some((n) => !members.has(n))) continue;
    const ordered = graph.nodes.filter((n) => members.has(n));
    const first = ordered[0]!;
    const message =
      ordered.length === 1
        ? `node "${first.name}" of graph "${graph.name}" goes only to itself, with no way to end: give it end: true, or a next to another node`
        : `nodes ${quotedList(ordered.map((n) => n.name))} of graph "${graph.name}" go round with no way to end: give one of them end: true, or a next to a node that can end`;
    problems.push(at(first.source, 'cycle-without-exit', message, 'key'));
  }
  return problems;
}

/** The nodes reachable from `from` (themselves included) along `edges`. */
function reach(from: readonly IRGraphNode[], edges: (node: IRGraphNode) => readonly IRGraphNode[]): Set<IRGraphNode> {
  const seen = new Set<IRGraphNode>(from);
  const stack = [...from];
  while (stack.length > 0) {
    for (const next of edges(stack.pop()!)) {
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(next);
    }
  }
  return seen;
}

/** The strongly connected components of `nodes` along `edges` (Tarjan's algorithm, iterative), each a list of nodes. */
function components(nodes: readonly IRGraphNode[], edges: (node: IRGraphNode) => readonly IRGraphNode[]): IRGraphNode[][] {
  const index = new Map<IRGraphNode, number>();
  const low = new Map<IRGraphNode, number>();
  const onStack = new Set<IRGraphNode>();
  const stack: IRGraphNode[] = [];
  const out: IRGraphNode[][] = [];
  for (const root of nodes) {
    if (index.has(root)) continue;
    // Each frame: a node and the position of the next of its edges to follow.
    const frames: { node: IRGraphNode; edges: readonly IRGraphNode[]; at: number }[] = [];
    const enter = (node: IRGraphNode) => {
      index.set(node, index.size);
      low.set(node, index.get(node)!);
      stack.push(node);
      onStack.add(node);
      frames.push({ node, edges: edges(node), at: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames.at(-1)!;
      if (frame.at < frame.edges.length) {
        const next = frame.edges[frame.at++]!;
        if (!index.has(next)) enter(next);
        else if (onStack.has(next)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(next)!));
        continue;
      }
      frames.pop();
      const parent = frames.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: IRGraphNode[] = [];
      let member: IRGraphNode;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      out.push(component);
    }
  }
  return out;
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
function quotedList(names: readonly string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}
