/**
 * The graphs of `schemantic/define`: a generated graph module imports that small entry, which must
 * not load the runtime's main entry until something runs. A LazyGraph makes the same checks at
 * once (bindGraph) and hands every call to a real {@link Graph} built from the same spec and
 * handlers once the main entry has loaded; until then `iter` returns a stand-in that loads it and
 * hands over to the real GraphRun when first driven. Typed as `Graph` (the compiler checks the
 * stand-ins have every public member), but not `instanceof Graph`.
 */
import type { GraphSpec } from '../contract/graph-spec.js';
import { bindGraph } from './bind-graph.js';
import { nodeAt, type GraphNode } from './graph-node.js';
import type { Graph } from './graph.js';
import type { GraphHistoryEntry, GraphResult } from './graph-result.js';
import type { GraphRun } from './graph-run.js';
import type { GraphResumeOptions, GraphRunOptions } from './graph-run-options.js';

/** The public members of a class (its private ones dropped), for a stand-in to implement. */
type Public<T> = { [K in keyof T]: T[K] };

/** What a LazyGraph needs of the main entry. */
export interface GraphMachinery {
  readonly Graph: typeof Graph;
}

/** A graph of `schemantic/define`: hands every call over to the real Graph (see above). */
export class LazyGraph<State, Deps, Output, StartInput> implements Public<Graph<State, Deps, Output, StartInput>> {
  private graph: Graph<State, Deps, Output, StartInput> | undefined;

  constructor(
    /** The graph's definition, as data. */
    readonly spec: GraphSpec,
    private readonly handlers: object,
    /** Loads the main entry (once per process; `schemantic/define` shares it with its agents). */
    private readonly load: () => Promise<GraphMachinery>,
    /** The main entry, when it has loaded already. */
    private readonly loadedNow: () => GraphMachinery | undefined,
  ) {
    bindGraph(spec, handlers);
  }

  /** The graph's name. */
  get name(): string {
    return this.spec.name;
  }

  /** The graph as a mermaid state diagram (`stateDiagram-v2`), for display. */
  get mermaid(): string {
    return this.spec.mermaid;
  }

  run(options: GraphRunOptions<State, Deps, StartInput>): Promise<GraphResult<State, Output>> {
    const graph = this.loaded();
    return graph ? graph.run(options) : this.real().then((g) => g.run(options));
  }

  iter(options: GraphRunOptions<State, Deps, StartInput>): GraphRun<State, Output> {
    const graph = this.loaded();
    if (graph) return graph.iter(options);
    // The id is decided now, so the stand-in and the real run agree on it.
    const started = { ...options, runId: options.runId ?? globalThis.crypto.randomUUID() } as GraphRunOptions<State, Deps, StartInput>;
    const first = nodeAt(this.spec, this.spec.start, options.input) as GraphNode<Output>;
    return new DeferredGraphRun<State, Output>(async () => (await this.real()).iter(started), started.runId!, options.state, first) as unknown as GraphRun<
      State,
      Output
    >;
  }

  resume(runId: string, options: GraphResumeOptions<Deps>): Promise<GraphResult<State, Output>> {
    const graph = this.loaded();
    return graph ? graph.resume(runId, options) : this.real().then((g) => g.resume(runId, options));
  }

  /** The real Graph, when the main entry has loaded (built on the first call that needs it). */
  private loaded(): Graph<State, Deps, Output, StartInput> | undefined {
    const machinery = this.loadedNow();
    if (!this.graph && machinery) this.graph = new machinery.Graph<State, Deps, Output, StartInput>(this.spec, this.handlers);
    return this.graph;
  }

  private async real(): Promise<Graph<State, Deps, Output, StartInput>> {
    await this.load();
    return this.loaded()!;
  }
}

/** What `iter` returns before the main entry has loaded: the real GraphRun once first driven. */
class DeferredGraphRun<State, Output> implements Public<GraphRun<State, Output>> {
  private run: GraphRun<State, Output> | undefined;
  private starting: Promise<GraphRun<State, Output>> | undefined;

  constructor(
    private readonly start: () => Promise<GraphRun<State, Output>>,
    readonly runId: string,
    private readonly initialState: State,
    private readonly first: GraphNode<Output>,
  ) {}

  get state(): State {
    return this.run?.state ?? this.initialState;
  }

  get history(): readonly GraphHistoryEntry<State>[] {
    return this.run?.history ?? [];
  }

  get nextNode(): GraphNode<Output> {
    return this.run?.nextNode ?? this.first;
  }

  get result(): GraphResult<State, Output> | undefined {
    return this.run?.result;
  }

  async next(): Promise<GraphNode<Output>> {
    return (await this.started()).next();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<GraphNode<Output>> {
    yield* await this.started();
  }

  async complete(): Promise<GraphResult<State, Output>> {
    return (await this.started()).complete();
  }

  private started(): Promise<GraphRun<State, Output>> {
    this.starting ??= this.start().then((run) => (this.run = run));
    return this.starting;
  }
}
