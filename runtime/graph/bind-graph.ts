/**
 * The binding check both `defineGraph`s make (the `schemantic` entry's and the small
 * `schemantic/define` one): the generated code suits this runtime, the spec is a machine the
 * runtime can run, and every node has a handler. One function, so both say the same things.
 */
import { UserError } from '../contract/errors.js';
import type { GraphSpec } from '../contract/graph-spec.js';
import { assertRuntimeCompatible } from '../agent/runtime-compat.js';

/** A node's handler as the runtime calls it (the generated interface types each one). */
export type GraphHandler = (ctx: never, next: never) => unknown;

/**
 * Checks `handlers` (a generated factory's argument: one function per node, by the node's key)
 * against `spec`; throws a {@link UserError} naming what is wrong. The generator checks the
 * machine itself (unknown successors, unreachable nodes, cycles with no exit) at generate time;
 * what is checked again here is what a hand-built or stale spec could get wrong and the run
 * would otherwise meet halfway.
 */
export function bindGraph(spec: GraphSpec, handlers: object): Readonly<Record<string, GraphHandler>> {
  const where = spec.source ?? `graph ${spec.name}`;
  assertRuntimeCompatible(spec.runtime, where);
  const names = new Set<string>();
  const keys = new Set<string>();
  for (const node of spec.nodes) {
    if (names.has(node.name)) throw new UserError(`${where}: two nodes are named ${node.name}`);
    if (keys.has(node.key)) throw new UserError(`${where}: two nodes have the handler key ${node.key}`);
    names.add(node.name);
    keys.add(node.key);
  }
  if (!names.has(spec.start)) throw new UserError(`${where}: the start node ${spec.start} is not one of its nodes`);
  for (const node of spec.nodes) {
    for (const { node: successor } of node.next) {
      if (!names.has(successor)) throw new UserError(`${where}: node ${node.name} goes to ${successor}, which is not one of its nodes`);
    }
    // `next.end(output)` is the end; a successor may not take its place.
    if (node.end && node.next.some((n) => keyOf(spec, n.node) === 'end'))
      throw new UserError(`${where}: node ${node.name} may end and goes to a node whose key is "end": rename that node`);
  }
  const bound = handlers as Record<string, unknown>;
  for (const node of spec.nodes) {
    if (!Object.hasOwn(bound, node.key) || typeof bound[node.key] !== 'function') {
      throw new UserError(`${where}: no handler for node ${node.name}: pass handlers.${node.key}`);
    }
  }
  return bound as Record<string, GraphHandler>;
}

function keyOf(spec: GraphSpec, name: string): string | undefined {
  return spec.nodes.find((n) => n.name === name)?.key;
}
