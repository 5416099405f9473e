/**
 * The errors of graph runs. All are UserErrors: what goes wrong in a graph is the app's doing (its
 * handlers, its stored runs, its calls), never a model's. Each names the graph, and the node where
 * there is one, so that a failure deep in a long run says where it happened.
 */
import { UserError } from '../contract/errors.js';
import type { ValidationError } from '../validators/index.js';

/** The base of the graph errors: which graph, and which node when the error belongs to one. */
export class GraphError extends UserError {
  /** The graph's name (unknown to a store that cannot read a snapshot at all). */
  readonly graph: string | undefined;
  /** The node the error belongs to, when there is one. */
  readonly node: string | undefined;

  constructor(graph: string | undefined, node: string | undefined, message: string, options?: ErrorOptions) {
    const where = graph === undefined ? '' : `graph ${graph}${node === undefined ? '' : `, node ${node}`}: `;
    super(where + message, options);
    this.graph = graph;
    this.node = node;
  }
}

/** What a failed check was about. */
export type GraphCheckSubject = 'state' | 'input' | 'output' | 'reply';

/**
 * A value failed its schema: the state after a node (or the one a run starts with), a node's
 * input as its predecessor made it, the output of an end, a waiting node's reply.
 */
export class GraphValidationError extends GraphError {
  /** What was checked. */
  readonly subject: GraphCheckSubject;
  /** Every problem the validator found. */
  readonly problems: readonly ValidationError[];

  constructor(graph: string, node: string | undefined, subject: GraphCheckSubject, what: string, problems: readonly ValidationError[]) {
    super(graph, node, `${what} is invalid: ${describeProblems(problems)}`);
    this.subject = subject;
    this.problems = problems;
  }
}

/** A handler returned something other than one of its node's steps (`next.<successor>(...)`, `next.end(...)`). */
export class GraphStepError extends GraphError {}

/** A stored snapshot that cannot be resumed: not a snapshot, another graph's or run's, a version this runtime does not read. */
export class GraphSnapshotError extends GraphError {}

/** A resume that cannot be: no such run, a run that has ended, a reply the node does not wait for. */
export class GraphResumeError extends GraphError {}

/** A validator's problems in one line: `/answer: must be string; must have required property 'count'`. */
export function describeProblems(problems: readonly ValidationError[]): string {
  if (problems.length === 0) return 'rejected by its schema';
  return problems
    .map((p) => {
      const extra = p.keyword === 'additionalProperties' ? ` (${String(p.params['additionalProperty'])})` : '';
      return `${p.instancePath === '' ? '' : `${p.instancePath}: `}${p.message ?? p.keyword}${extra}`;
    })
    .join('; ');
}
