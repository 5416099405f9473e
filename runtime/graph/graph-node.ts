/**
 * Where a graph run stands, as `iter()` hands it out: a node about to run, a node that waits for
 * an outside value (the run stops there), or the end.
 */
import type { GraphNodeSpec, GraphSpec } from '../contract/graph-spec.js';

/** A node about to run, with the data it was made with. */
export interface GraphNodeToRun {
  readonly kind: 'node';
  readonly node: string;
  readonly input?: unknown;
}

/** A node that waits for an outside value: the run stops here until `graph.resume(runId, { reply })`. */
export interface GraphNodeWaiting {
  readonly kind: 'waiting';
  readonly node: string;
  readonly input?: unknown;
}

/** The end of the run, with the graph's output. */
export interface GraphEndNode<Output> {
  readonly kind: 'end';
  readonly output: Output;
}

/** Where a graph run stands. */
export type GraphNode<Output = unknown> = GraphNodeToRun | GraphNodeWaiting | GraphEndNode<Output>;

/** The node named `name` of `spec`. */
export function nodeSpec(spec: GraphSpec, name: string): GraphNodeSpec | undefined {
  return spec.nodes.find((n) => n.name === name);
}

/**
 * The run standing at node `name` made with `input`: a node that waits for a reply stops the run,
 * unless the reply is in hand (`replied`: a resume that brings it).
 */
export function nodeAt(spec: GraphSpec, name: string, input: unknown, replied = false): GraphNodeToRun | GraphNodeWaiting {
  const waits = nodeSpec(spec, name)?.waitsFor !== undefined && !replied;
  return input === undefined ? { kind: waits ? 'waiting' : 'node', node: name } : { kind: waits ? 'waiting' : 'node', node: name, input };
}
