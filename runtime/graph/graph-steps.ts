/**
 * The steps a handler returns, and the `next` object it makes them with: one constructor per
 * declared successor (by the successor's key), plus `end(output)` when the node may end. A step is
 * checked when it is made (the successor's input, the graph's output), so the error points at the
 * handler's line; and it is remembered, so a handler cannot hand back an object it made itself.
 */
import type { GraphNodeSpec, GraphSpec, GraphStep } from '../contract/graph-spec.js';
import type { Validator } from '../validators/index.js';
import { GraphValidationError } from './graph-errors.js';

/** A step of any node. */
export type AnyGraphStep = GraphStep<{ node: string; input: unknown }, unknown>;

/** The steps the constructors made (a WeakSet: a step no one holds is forgotten). */
const made = new WeakSet<object>();

/** True when `value` is a step some node's `next` made. */
export function isMadeStep(value: unknown): value is AnyGraphStep {
  return typeof value === 'object' && value !== null && made.has(value);
}

function remember(step: AnyGraphStep): AnyGraphStep {
  made.add(Object.freeze(step));
  return step;
}

/** What the constructors check with. */
export interface StepChecks {
  /** A node's input, by node name. */
  readonly inputs: ReadonlyMap<string, Validator<unknown>>;
  readonly output?: Validator<unknown>;
}

/** The `next` object of `node`: its successors' constructors by key, and `end` when it may end. */
export function nextConstructors(spec: GraphSpec, node: GraphNodeSpec, checks: StepChecks): Readonly<Record<string, (value?: unknown) => AnyGraphStep>> {
  const next: Record<string, (value?: unknown) => AnyGraphStep> = Object.create(null) as Record<string, (value?: unknown) => AnyGraphStep>;
  for (const { node: name } of node.next) {
    const target = spec.nodes.find((n) => n.name === name)!;
    const validate = checks.inputs.get(name);
    next[target.key] = (input?: unknown) => {
      if (validate && !validate(input))
        throw new GraphValidationError(spec.name, node.name, 'input', `the input it made for node ${name}`, validate.errors ?? []);
      return remember({ kind: 'next', node: name, input });
    };
  }
  if (node.end) {
    const validate = checks.output;
    next['end'] = (output?: unknown) => {
      if (validate && !validate(output)) throw new GraphValidationError(spec.name, node.name, 'output', 'the output it ended with', validate.errors ?? []);
      return remember({ kind: 'end', output });
    };
  }
  return Object.freeze(next);
}
