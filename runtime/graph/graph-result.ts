/**
 * What a graph run reports: its history (one entry per node run) and its result when it stops,
 * ended with the graph's output or waiting at a node for an outside value.
 */

/** One node run, as the history records it. Plain JSON: snapshots carry it as it is. */
export interface GraphHistoryEntry<State = unknown> {
  /** The node's name. */
  readonly node: string;
  /** The data the node was made with (absent when it takes none). */
  readonly input?: unknown;
  /** The outside value a waiting node was resumed with. */
  readonly reply?: unknown;
  /** When its handler was called (ISO 8601). */
  readonly startedAt: string;
  /** When its handler returned (ISO 8601). */
  readonly endedAt: string;
  /** A copy of the state after the node (checked against the state schema). */
  readonly state: State;
  /** The node it went to; absent when it ended the run. */
  readonly next?: string;
}

/** What both kinds of result hold. */
interface GraphResultBase<State> {
  /** The run's id: the key of its snapshots, what `resume` takes. */
  readonly runId: string;
  /** The state as the run left it. */
  readonly state: State;
  /** Every node run so far, a resumed run's earlier nodes included. */
  readonly history: readonly GraphHistoryEntry<State>[];
}

/** A run that ended: a node returned `next.end(output)`. */
export interface GraphEnded<State, Output> extends GraphResultBase<State> {
  readonly status: 'ended';
  /** The graph's output (checked against its schema). */
  readonly output: Output;
  readonly waitingAt?: undefined;
}

/** A run stopped at a node that waits for an outside value: resume it with `graph.resume(runId, { reply })`. */
export interface GraphWaiting<State> extends GraphResultBase<State> {
  readonly status: 'waiting';
  readonly output?: undefined;
  /** The node that waits, and the data it was made with. */
  readonly waitingAt: { readonly node: string; readonly input?: unknown };
}

/** Where a run stopped: ended, or waiting at a node. */
export type GraphResult<State, Output> = GraphEnded<State, Output> | GraphWaiting<State>;
