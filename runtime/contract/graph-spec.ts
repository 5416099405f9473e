/**
 * The generated-code contract of graphs: what a generated graph module hands to the runtime
 * (`defineGraph(spec, handlers)` from `schemantic/define`), and the shapes its handlers see. A graph
 * is a typed state machine declared in the definitions (`graphs:`): a state schema, a start node,
 * named nodes, each with the data it is made with (`input`), the nodes it may go to next, and
 * whether it may end with the graph's output. The generator checks the machine (unknown successor,
 * unreachable node, a node that can neither end nor go on, a cycle with no exit) and types every
 * transition, so a handler can only return one of its declared successors or an end.
 */
import type { JsonSchema } from './spec.js';
import type { Validator } from '../validators/index.js';

/** One node of a graph. */
export interface GraphNodeSpec {
  /** The node's name as written in the definitions (`ask_question`): in history, snapshots, diagrams. */
  readonly name: string;
  /**
   * Its handler's key in the factory's handlers (`askQuestion`), and its constructor's name in the
   * `next` object of each node that may go to it. `end` is the end's constructor there: the
   * runtime refuses a node keyed `end` among the successors of a node that may end.
   */
  readonly key: string;
  /** What the node does (a note in the diagram). */
  readonly description?: string;
  /** The data the node is made with, when it takes any (checked when a predecessor makes it). */
  readonly input?: JsonSchema;
  /**
   * The outside value the node waits for before it runs (the user's answer): a run that reaches
   * the node stops (status `waiting`, snapshot saved) until `resume(runId, { reply })` gives it,
   * checked against this schema; the handler reads it as `ctx.reply`.
   */
  readonly waitsFor?: JsonSchema;
  /** The nodes it may go to next, by name, with a label for each edge when the definitions give one. */
  readonly next: readonly { readonly node: string; readonly label?: string }[];
  /** It may end the run with the graph's output. */
  readonly end: boolean;
  /** The agent the node runs, when the definitions name one (documentation and diagrams; the handler runs it). */
  readonly agent?: string;
}

/** A graph's validators, as its generated validators module exports them. */
export interface GraphValidators {
  /** Checks the state after each node. */
  readonly validateState: Validator<unknown>;
  /** Checks the output of an end (absent when the graph's output is unconstrained). */
  readonly validateOutput?: Validator<unknown>;
  /** A node's input, by node name (`validateInput<Key>` in the module, collected by the spec). */
  readonly inputs: Readonly<Record<string, Validator<unknown>>>;
  /** A waiting node's reply, by node name. */
  readonly replies: Readonly<Record<string, Validator<unknown>>>;
}

/** Everything the runtime needs to run a graph. */
export interface GraphSpec {
  /** The runtime version range the generated code was made for (`^0.1.0`). */
  readonly runtime: string;
  readonly name: string;
  /** Where it was defined (`schemas/question.yaml#/graphs/question`). */
  readonly source?: string;
  readonly description?: string;
  /** The first node. */
  readonly start: string;
  readonly state: { readonly schema: JsonSchema };
  readonly output?: { readonly schema: JsonSchema };
  readonly nodes: readonly GraphNodeSpec[];
  /** Loads the graph's validators on its first run. */
  readonly validators: () => Promise<GraphValidators>;
  /** The graph as a mermaid state diagram (`stateDiagram-v2`), the same text `schemantic docs` draws. */
  readonly mermaid: string;
}

/**
 * A step a handler returns: go to a node with its input, or end with the output. Made only by the
 * constructors of the handler's `next` object (the runtime refuses an object made any other way).
 * Distributed over `Next`, so each node keeps its own input type (`{ node: 'answer'; input:
 * AnswerInput } | { node: 'ask'; input: undefined }`, not every node with every input).
 */
export type GraphStep<Next extends { node: string; input: unknown }, Output> =
  | (Next extends unknown ? { readonly kind: 'next'; readonly node: Next['node']; readonly input: Next['input'] } : never)
  | { readonly kind: 'end'; readonly output: Output };

/** What a node's handler receives. */
export interface GraphContext<State, Deps, Input, Reply = undefined> {
  /** The run's state: change it in place; it is checked against the state schema after the node. */
  readonly state: State;
  /** The dependencies passed to the run. */
  readonly deps: Deps;
  /** The data the node was made with. */
  readonly input: Input;
  /** The outside value a waiting node was resumed with. */
  readonly reply: Reply;
  /** The run's id (snapshots and history are kept under it). */
  readonly runId: string;
  /** Aborts the run when signalled. */
  readonly signal?: AbortSignal;
}
