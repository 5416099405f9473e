/**
 * A graph bound to its handlers: what a generated factory (`createQuestionGraph(handlers)`) returns.
 * `run()` walks a new run to where it stops, `iter()` hands it over node by node, `resume()` goes
 * on with a stored one, in this process or another, from its snapshot alone.
 */
import type { GraphSpec } from '../contract/graph-spec.js';
import { bindGraph, type GraphHandler } from './bind-graph.js';
import { GraphResumeError, GraphSnapshotError } from './graph-errors.js';
import { nodeAt, nodeSpec } from './graph-node.js';
import { loadGraphPlan, type GraphPlan } from './graph-plan.js';
import type { GraphResult } from './graph-result.js';
import { GraphRun } from './graph-run.js';
import type { GraphResumeOptions, GraphRunOptions } from './graph-run-options.js';
import { readGraphSnapshot } from './graph-snapshot.js';

/**
 * A typed state machine: `State` is what its nodes change, `Deps` what they read, `Output` what
 * it ends with, `StartInput` the data its start node is made with.
 */
export class Graph<State, Deps = undefined, Output = unknown, StartInput = unknown> {
  private readonly handlers: Readonly<Record<string, GraphHandler>>;
  private planned: Promise<GraphPlan> | undefined;

  constructor(
    /** The graph's definition, as data. */
    readonly spec: GraphSpec,
    handlers: object,
  ) {
    this.handlers = bindGraph(spec, handlers);
  }

  /** The graph's name. */
  get name(): string {
    return this.spec.name;
  }

  /** The graph as a mermaid state diagram (`stateDiagram-v2`), for display. */
  get mermaid(): string {
    return this.spec.mermaid;
  }

  /** Runs a new run until it ends or reaches a node that waits for an outside value. */
  run(options: GraphRunOptions<State, Deps, StartInput>): Promise<GraphResult<State, Output>> {
    return this.iter(options).complete();
  }

  /** A new run, to step through: `for await (const node of graph.iter(...))`, or `next()`. */
  iter(options: GraphRunOptions<State, Deps, StartInput>): GraphRun<State, Output> {
    const { state, input, persistence, signal } = options;
    const at = input === undefined ? { node: this.spec.start } : { node: this.spec.start, input };
    return new GraphRun<State, Output>(
      () => this.plan(),
      {
        runId: options.runId ?? globalThis.crypto.randomUUID(),
        state,
        history: [],
        at,
        resumed: false,
        deps: (options as { deps?: Deps }).deps,
        ...(persistence ? { persistence } : {}),
        ...(signal ? { signal } : {}),
      },
      this.spec.name,
      nodeAt(this.spec, at.node, at.input),
    );
  }

  /**
   * Goes on with a stored run until it ends or waits again: a run that waits takes the outside
   * value as `reply` (checked against the node's schema); a run stopped between nodes (its
   * process ended) runs its next node.
   */
  async resume(runId: string, options: GraphResumeOptions<Deps>): Promise<GraphResult<State, Output>> {
    const { persistence, signal } = options;
    const name = this.spec.name;
    const stored = await persistence.load(runId);
    if (stored === undefined) throw new GraphResumeError(name, undefined, `there is no run ${runId} to resume`);
    const snapshot = readGraphSnapshot(stored, `the snapshot of run ${runId}`);
    if (snapshot.graph !== name) throw new GraphSnapshotError(name, undefined, `run ${runId} is a run of graph ${snapshot.graph}`);
    if (snapshot.runId !== runId) throw new GraphSnapshotError(name, undefined, `the snapshot stored as run ${runId} is of run ${snapshot.runId}`);
    if (snapshot.status === 'ended') throw new GraphResumeError(name, undefined, `run ${runId} has ended: there is nothing to resume`);
    const at = snapshot.next!;
    const node = nodeSpec(this.spec, at.node);
    if (!node) throw new GraphSnapshotError(name, undefined, `run ${runId} stands at node ${at.node}, which this graph does not have`);
    const reply = options.reply === undefined ? undefined : { value: options.reply };
    if (node.waitsFor !== undefined && reply === undefined)
      throw new GraphResumeError(name, node.name, `run ${runId} waits here for a reply: pass it as resume(runId, { reply })`);
    if (node.waitsFor === undefined && reply !== undefined)
      throw new GraphResumeError(name, node.name, `run ${runId} resumes here, and this node waits for no reply`);
    const run = new GraphRun<State, Output>(
      () => this.plan(),
      {
        runId,
        state: snapshot.state,
        history: snapshot.history,
        at,
        resumed: true,
        deps: (options as { deps?: Deps }).deps,
        persistence,
        ...(reply ? { reply } : {}),
        ...(signal ? { signal } : {}),
      },
      name,
      nodeAt(this.spec, at.node, at.input, reply !== undefined),
    );
    return run.complete();
  }

  /** The graph's validators and per-node plan, loaded on its first run (tried again after a failure). */
  private plan(): Promise<GraphPlan> {
    this.planned ??= loadGraphPlan(this.spec, this.handlers).catch((err: unknown) => {
      this.planned = undefined;
      throw err;
    });
    return this.planned;
  }
}

/**
 * Binds a generated spec to its handlers (one per node, by the node's key): what generated
 * factories call. Checks that the generated code suits this runtime and that every node has a
 * handler; the validators load on the first run.
 */
export function defineGraph<State, Deps = undefined, Output = unknown, StartInput = unknown>(
  spec: GraphSpec,
  handlers: object,
): Graph<State, Deps, Output, StartInput> {
  return new Graph<State, Deps, Output, StartInput>(spec, handlers);
}
