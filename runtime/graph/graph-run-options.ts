/**
 * The options of `graph.run()`, `graph.iter()` and `graph.resume()`.
 */
import type { GraphPersistence } from './graph-persistence.js';

/** `deps` is required unless the graph's dependencies may be undefined. */
export type GraphDepsOption<Deps> = undefined extends Deps
  ? {
      /** The dependencies the handlers read as `ctx.deps`. */
      readonly deps?: Deps;
    }
  : {
      /** The dependencies the handlers read as `ctx.deps`. */
      readonly deps: Deps;
    };

/** How a run starts. */
export type GraphRunOptions<State, Deps, StartInput = unknown> = GraphDepsOption<Deps> & {
  /**
   * The state the run starts with, checked against the state schema. The run changes this object
   * in place (the handlers do, through `ctx.state`); the history keeps copies.
   */
  readonly state: State;
  /** The data the start node is made with, when it takes any (checked against its input schema). */
  readonly input?: StartInput;
  /** The run's id (its snapshots are kept under it); a random UUID by default. */
  readonly runId?: string;
  /** Where a snapshot is saved after each node; none by default (the run cannot be resumed). */
  readonly persistence?: GraphPersistence;
  /** Aborts the run: checked before each node, and handed to the handlers as `ctx.signal`. */
  readonly signal?: AbortSignal;
};

/** How a stored run goes on. */
export type GraphResumeOptions<Deps> = GraphDepsOption<Deps> & {
  /** Where the run's snapshots are. */
  readonly persistence: GraphPersistence;
  /** The outside value the waiting node waits for (checked against its schema); only for a waiting run. */
  readonly reply?: unknown;
  /** Aborts the run: checked before each node, and handed to the handlers as `ctx.signal`. */
  readonly signal?: AbortSignal;
};
