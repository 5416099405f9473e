/**
 * A graph ready to run: its validators loaded (on the first run, once per spec, shared by every
 * graph built from it; a failed load is forgotten, so the next run tries again) and, per node, its
 * handler, its checks and its `next` object, built once and reused by every run.
 */
import { UserError } from '../contract/errors.js';
import type { GraphNodeSpec, GraphSpec, GraphValidators } from '../contract/graph-spec.js';
import { loadOnce, validatorsLoadError } from '../contract/validators-loading.js';
import type { Validator } from '../validators/index.js';
import type { GraphHandler } from './bind-graph.js';
import { nextConstructors, type AnyGraphStep } from './graph-steps.js';

/** One node, ready to run. */
export interface NodePlan {
  readonly spec: GraphNodeSpec;
  readonly handler: GraphHandler;
  /** Checks the reply of a node that waits for one. */
  readonly validateReply?: Validator<unknown>;
  /** What the handler makes its step with. */
  readonly next: Readonly<Record<string, (value?: unknown) => AnyGraphStep>>;
}

/** A graph, ready to run. */
export interface GraphPlan {
  readonly spec: GraphSpec;
  readonly validateState: Validator<unknown>;
  /** A node's input, by node name (for a run's first node and for nothing else: steps check their own). */
  readonly inputs: ReadonlyMap<string, Validator<unknown>>;
  readonly nodes: ReadonlyMap<string, NodePlan>;
}

/** The spec's validators, loaded once (a failed load is tried again on the next run). */
function validatorsOf(spec: GraphSpec): Promise<GraphValidators> {
  return loadOnce(spec, async () => {
    try {
      return await spec.validators();
    } catch (err) {
      throw validatorsLoadError(spec.source ?? `graph ${spec.name}`, 'graph', err);
    }
  });
}

/** Loads the validators of `spec` and builds each node's plan. */
export async function loadGraphPlan(spec: GraphSpec, handlers: Readonly<Record<string, GraphHandler>>): Promise<GraphPlan> {
  const validators = await validatorsOf(spec);
  const where = spec.source ?? `graph ${spec.name}`;
  const missing = (what: string) => new UserError(`the validators of ${where} have no ${what}; regenerate with \`npx schemantic generate\``);
  if (typeof validators.validateState !== 'function') throw missing('validateState');
  if (spec.output !== undefined && typeof validators.validateOutput !== 'function') throw missing('validateOutput');
  const inputs = new Map<string, Validator<unknown>>();
  for (const node of spec.nodes) {
    const validate = validators.inputs?.[node.name];
    if (typeof validate === 'function') inputs.set(node.name, validate);
    else if (node.input !== undefined) throw missing(`input validator for node ${node.name}`);
    if (node.waitsFor !== undefined && typeof validators.replies?.[node.name] !== 'function') throw missing(`reply validator for node ${node.name}`);
  }
  const checks = { inputs, ...(validators.validateOutput ? { output: validators.validateOutput } : {}) };
  const nodes = new Map<string, NodePlan>();
  for (const node of spec.nodes) {
    const validateReply = node.waitsFor === undefined ? undefined : validators.replies[node.name];
    nodes.set(node.name, {
      spec: node,
      handler: handlers[node.key]!,
      next: nextConstructors(spec, node, checks),
      ...(validateReply ? { validateReply } : {}),
    });
  }
  return { spec, validateState: validators.validateState, inputs, nodes };
}
