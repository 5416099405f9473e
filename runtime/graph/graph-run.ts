/**
 * One run of a graph, stepped node by node: `graph.run()` walks it to where it stops, `graph.iter()`
 * hands it to the caller. Each step calls one node's handler with its context and its `next`
 * object, checks the step it returns and the state it left, records the node in the history and
 * saves a snapshot; the run stops at the end or at a node that waits for an outside value.
 */
import { UserError } from '../contract/errors.js';
import type { GraphContext } from '../contract/graph-spec.js';
import { describeProblems, GraphSnapshotError, GraphStepError, GraphValidationError } from './graph-errors.js';
import { nodeAt, type GraphNode, type GraphNodeToRun } from './graph-node.js';
import type { GraphPersistence } from './graph-persistence.js';
import type { GraphPlan, NodePlan } from './graph-plan.js';
import type { GraphHistoryEntry, GraphResult } from './graph-result.js';
import { GRAPH_SNAPSHOT_FORMAT, type GraphSnapshot } from './graph-snapshot.js';
import { isMadeStep, type AnyGraphStep } from './graph-steps.js';

/** Where a run begins: a new run (`run`, `iter`) or a stored one (`resume`). Made by Graph. */
export interface GraphRunStart {
  readonly runId: string;
  /** The state (the caller's object for a new run, the stored one's for a resumed run). */
  readonly state: unknown;
  readonly history: readonly GraphHistoryEntry[];
  /** The node that runs first, and its input. */
  readonly at: { readonly node: string; readonly input?: unknown };
  /** A stored run: its state is checked as stored data, and a waiting node takes `reply`. */
  readonly resumed: boolean;
  /** The reply a resume brought (`{ value }`, so that a present `undefined` is told from none). */
  readonly reply?: { readonly value: unknown };
  readonly deps: unknown;
  readonly persistence?: GraphPersistence;
  readonly signal?: AbortSignal;
}

/** One run of a graph: an async iterable of its nodes as they are about to run, and `next()`. */
export class GraphRun<State, Output> implements AsyncIterable<GraphNode<Output>> {
  private current: GraphNode<Output>;
  private readonly entries: GraphHistoryEntry<State>[];
  private reply: { readonly value: unknown } | undefined;
  private finished: GraphResult<State, Output> | undefined;
  private ready: Promise<GraphPlan> | undefined;
  private busy = false;

  constructor(
    /** Loads the graph's plan (its validators on the first run). */
    private readonly plan: () => Promise<GraphPlan>,
    private readonly start: GraphRunStart,
    /** The graph's name, for errors raised before the plan is in hand. */
    private readonly graph: string,
    /** Where the run stands first (`nodeAt` of `start.at`: known from the spec, before anything loads). */
    firstNode: GraphNode<Output>,
  ) {
    this.current = firstNode;
    this.entries = [...(start.history as GraphHistoryEntry<State>[])];
    this.reply = start.reply;
  }

  /** The run's id. */
  get runId(): string {
    return this.start.runId;
  }

  /** The run's state: changed in place by each node. */
  get state(): State {
    return this.start.state as State;
  }

  /** Every node run so far (a resumed run's earlier nodes included). */
  get history(): readonly GraphHistoryEntry<State>[] {
    return this.entries;
  }

  /** Where the run stands: the node the next call of {@link next} runs, or where it stopped. */
  get nextNode(): GraphNode<Output> {
    return this.current;
  }

  /** The result, once the run has stopped (ended, or waiting at a node) and its snapshot is saved. */
  get result(): GraphResult<State, Output> | undefined {
    return this.finished;
  }

  /**
   * Runs the node the run stands at and returns where it stands then: the next node, a node that
   * waits, or the end. Once stopped, returns where it stopped. A node whose handler throws (or
   * whose step or state fails its checks) leaves the run at that node, with its last snapshot
   * saved before it.
   */
  async next(): Promise<GraphNode<Output>> {
    const plan = await this.prepared();
    const at = this.current;
    if (at.kind !== 'node') return at;
    if (this.busy) throw new UserError(`graph ${this.graph}: run ${this.runId} is already running a node: await each next() before the next one`);
    this.busy = true;
    try {
      return await this.runNode(plan, at);
    } finally {
      this.busy = false;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<GraphNode<Output>> {
    await this.prepared();
    yield this.current;
    while (this.current.kind === 'node') yield await this.next();
  }

  /** Runs until the run stops, and returns its result. */
  async complete(): Promise<GraphResult<State, Output>> {
    await this.prepared();
    while (this.current.kind === 'node') await this.next();
    return this.finished!;
  }

  private prepared(): Promise<GraphPlan> {
    this.ready ??= this.prepare();
    return this.ready;
  }

  /** What comes before the first node: the checks of what the run starts with, and its first snapshot. */
  private async prepare(): Promise<GraphPlan> {
    const plan = await this.plan();
    const { spec } = plan;
    const { runId, state, at, persistence } = this.start;
    if (!plan.validateState(state)) {
      const problems = plan.validateState.errors ?? [];
      if (this.start.resumed) throw new GraphSnapshotError(spec.name, undefined, `the stored state of run ${runId} is invalid: ${describeProblems(problems)}`);
      throw new GraphValidationError(spec.name, undefined, 'state', 'the state the run starts with', problems);
    }
    const validateInput = plan.inputs.get(at.node);
    if (this.start.resumed) {
      // Stored data: checked again, since the snapshot may come from an older graph or a hand that edited it.
      if (validateInput && !validateInput(at.input))
        throw new GraphSnapshotError(spec.name, at.node, `the stored input of run ${runId} is invalid: ${describeProblems(validateInput.errors ?? [])}`);
      // A node made with no input has no validator: an input stored for it is forged, not data to hand its handler.
      if (plan.nodes.get(at.node)!.spec.input === undefined && at.input !== undefined)
        throw new GraphSnapshotError(spec.name, at.node, `the stored run ${runId} gives this node an input, and it is made with none`);
      this.checkReply(plan.nodes.get(at.node)!);
    } else {
      if (validateInput && !validateInput(at.input))
        throw new GraphValidationError(spec.name, at.node, 'input', 'the input the run starts it with', validateInput.errors ?? []);
      if (persistence && (await persistence.load(runId)) !== undefined)
        throw new UserError(`graph ${spec.name}: a run ${runId} is stored already: resume it, or start this run under another id`);
      await this.save(plan);
    }
    if (this.current.kind !== 'node') this.finished = this.resultNow();
    return plan;
  }

  /** A resumed run's reply, checked against the waiting node's schema (Graph.resume checked that one is given when, and only when, the node waits). */
  private checkReply(node: NodePlan): void {
    const { spec, validateReply } = node;
    const reply = this.reply;
    if (reply === undefined || !validateReply) return;
    if (!validateReply(reply.value))
      throw new GraphValidationError(this.graph, spec.name, 'reply', 'the reply it was resumed with', validateReply.errors ?? []);
  }

  private async runNode(plan: GraphPlan, at: GraphNodeToRun): Promise<GraphNode<Output>> {
    const { spec } = plan;
    const node = plan.nodes.get(at.node)!;
    const { runId, deps, signal } = this.start;
    signal?.throwIfAborted();
    const reply = this.reply;
    const ctx: GraphContext<unknown, unknown, unknown, unknown> = {
      state: this.state,
      deps,
      input: at.input,
      reply: reply?.value,
      runId,
      ...(signal ? { signal } : {}),
    };
    const startedAt = new Date().toISOString();
    const step: unknown = await node.handler(ctx as never, node.next as never);
    const endedAt = new Date().toISOString();
    checkStep(spec.name, node, step);
    if (!plan.validateState(this.state)) throw new GraphValidationError(spec.name, at.node, 'state', 'the state after it', plan.validateState.errors ?? []);
    this.entries.push({
      node: at.node,
      ...(at.input === undefined ? {} : { input: structuredClone(at.input) }),
      ...(reply === undefined ? {} : { reply: structuredClone(reply.value) }),
      startedAt,
      endedAt,
      state: structuredClone(this.state),
      ...(step.kind === 'next' ? { next: step.node } : {}),
    });
    this.reply = undefined;
    this.current = step.kind === 'end' ? { kind: 'end', output: step.output as Output } : nodeAt(spec, step.node, step.input);
    // Saved before the run reports where it stands: a caller that sees a node can count on its
    // snapshot. A save that fails throws with the run moved on here, but the store still holds
    // the snapshot before this node, from which a resume runs the node again.
    await this.save(plan);
    if (this.current.kind !== 'node') this.finished = this.resultNow();
    return this.current;
  }

  /** Saves the run's snapshot, when it has a persistence. A copy: a store that keeps the object sees no later change. */
  private async save(plan: GraphPlan): Promise<void> {
    const persistence = this.start.persistence;
    if (!persistence) return;
    const at = this.current;
    const snapshot: GraphSnapshot = {
      format: GRAPH_SNAPSHOT_FORMAT,
      version: 1,
      graph: plan.spec.name,
      runId: this.runId,
      status: at.kind === 'end' ? 'ended' : at.kind === 'waiting' ? 'waiting' : 'running',
      state: this.state,
      ...(at.kind === 'end' ? { output: at.output } : { next: at.input === undefined ? { node: at.node } : { node: at.node, input: at.input } }),
      history: this.entries,
    };
    await persistence.save(this.runId, structuredClone(snapshot));
  }

  private resultNow(): GraphResult<State, Output> {
    const at = this.current;
    const base = { runId: this.runId, state: this.state, history: [...this.entries] };
    if (at.kind === 'end') return { status: 'ended', output: at.output, ...base };
    return { status: 'waiting', waitingAt: at.input === undefined ? { node: at.node } : { node: at.node, input: at.input }, ...base };
  }
}

/** Throws a {@link GraphStepError} unless `step` is one that `node` may return. */
function checkStep(graph: string, node: NodePlan, step: unknown): asserts step is AnyGraphStep {
  const { spec } = node;
  const allowed = [...spec.next.map((n) => n.node), ...(spec.end ? ['end'] : [])];
  const ways = Object.keys(node.next).map((key) => `next.${key}(...)`);
  if (!isMadeStep(step)) {
    throw new GraphStepError(graph, spec.name, `its handler returned ${preview(step)}, which is not a step: return ${ways.join(' or ') || 'nothing else'}`);
  }
  if (step.kind === 'end' ? !spec.end : !allowed.includes(step.node)) {
    const target = step.kind === 'end' ? 'the end' : `node ${step.node}`;
    throw new GraphStepError(graph, spec.name, `its handler returned a step to ${target}, which is not among its successors (${allowed.join(', ') || 'none'})`);
  }
}

/** A short description of a value, for an error. */
function preview(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    text = typeof value;
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
