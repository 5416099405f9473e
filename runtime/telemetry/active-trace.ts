/**
 * The span in effect here (a run, a model request, a tool call), scoped to the async call tree
 * that runs inside it: what a run started in a tool handler nests under (delegation), and where
 * a fallback model's attempts and the HTTP attempts of an SDK call are recorded. Set only while a
 * run is traced; empty otherwise.
 */
import { createAsyncScope } from '../agent/async-scope.js';
import type { RequestTrace, RunTrace, ToolTrace } from './trace-hooks.js';

/** A span a run can be inside. */
export type ActiveNode = RunTrace | RequestTrace | ToolTrace;

const active = createAsyncScope<ActiveNode | undefined>();

/** Runs `fn` with `node` in effect (and, through `node.enter`, its span the current OpenTelemetry span). */
export function inTraceNode<T>(node: ActiveNode, fn: () => T): T {
  return active.run(node, () => node.enter(fn));
}

/**
 * Runs `fn` with no span in effect: an untraced run inside a traced one (`instrument: false`)
 * neither records into the enclosing run's spans nor passes its settings on to its delegates.
 */
export function outsideTrace<T>(fn: () => T): T {
  return active.run(undefined, fn);
}

/** The span in effect here, if a traced run is. */
export function activeTraceNode(): ActiveNode | undefined {
  return active.getStore();
}

/** The model request in effect here, if a traced run is making one. */
export function activeRequestTrace(): RequestTrace | undefined {
  const node = active.getStore();
  return node?.kind === 'request' ? node : undefined;
}
