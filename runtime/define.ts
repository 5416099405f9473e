/**
 * The entry point of generated agent and graph modules (`schemantic/define`): `defineAgent` (and
 * `defineGraph`, below), with the same checks and the same public Agent as the `schemantic`
 * entry's, and the runtime's types (so that a generated module imports one namespace).
 * Importing it does not load the run machinery: the `Agent` class reaches, through its runs,
 * streams, output handling and message histories, nearly the whole runtime, so the `schemantic`
 * entry is imported on an agent's first use, once for every agent of the process.
 *
 * The agent this returns is a LazyAgent: each method hands over to a real {@link Agent} (built from
 * the same spec and binding once the machinery is loaded), so runs, overrides, events and errors
 * are the real Agent's. It is typed as `Agent`, with the same public members (checked below), but
 * is not `instanceof Agent`. Before the machinery has loaded:
 *
 * - `run`, `runStreamEvents` and `override` wait for it (an override's `fn` starts a moment later,
 *   and a bad override, such as two tools of one name, rejects the promise instead of throwing);
 * - `iter` and `runStream` return stand-ins (DeferredRun, DeferredStreamedRun) that load it and
 *   hand over to the real AgentRun or StreamedRun when first driven.
 *
 * Once it is loaded, every method returns what the real Agent's returns.
 *
 * Graphs (`defineGraph`) work the same way: a LazyGraph (graph/lazy-graph.ts) makes the binding
 * checks at once and hands its runs to a real Graph of the main entry, loaded on the first run.
 */
import { MESSAGES_FORMAT_VERSION, type ModelMessage, type ModelResponse } from './contract/messages.js';
import type { AgentSpec } from './contract/spec.js';
import type { AgentNode, AgentRun, UserPromptNode } from './run/agent-run.js';
import type { UserPrompt } from './run/setup.js';
import type { AgentRunEvent, DeepPartial } from './stream/events.js';
import type { StreamedRun } from './stream/streamed-run.js';
import type { Agent, AgentBinding, AgentOptions, OverrideOptions, ResumeArgs, RunArgs } from './agent/agent.js';
import type { DeferredToolRequests, DeferredToolResults } from './agent/deferred.js';
import type { PausedRun } from './agent/paused-run.js';
import type { AgentContract } from './agent/agent-contract.js';
import type { RunResult } from './agent/result.js';
import { bindSpec } from './agent/bind-spec.js';
import type { GraphSpec } from './contract/graph-spec.js';
import type { Graph } from './graph/graph.js';
import { LazyGraph } from './graph/lazy-graph.js';
import { Usage, type UsageSnapshot } from './agent/usage.js';

export type * from './index.js';

/** The public members of a class (its private ones dropped), for a stand-in to implement. */
type Public<T> = { [K in keyof T]: T[K] };

/** The run machinery: the `schemantic` entry (whose module the bundle already has, so no chunk of its own). */
type Machinery = typeof import('./index.js');

/** The run machinery, once loaded. */
let machinery: Machinery | undefined;
let loading: Promise<Machinery> | undefined;

/** Loads the run machinery (once; a failed load is tried again on the next use). */
function loadMachinery(): Promise<Machinery> {
  loading ??= import('./index.js').then(
    (module) => (machinery = module),
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/** An agent of `schemantic/define`: hands every call over to the real Agent (see above). */
class LazyAgent<Deps, Output, Context, ToolArgs extends object> implements Public<Agent<Deps, Output, Context, ToolArgs>> {
  private agent: Agent<Deps, Output, Context, ToolArgs> | undefined;

  constructor(
    /** The agent's definition, as data. */
    readonly spec: AgentSpec<Output, Context>,
    private readonly binding: AgentBinding<Deps, Context, Output>,
  ) {}

  /** The agent's name. */
  get name(): string {
    return this.spec.name;
  }

  run(prompt: UserPrompt, ...args: RunArgs<Deps, Context, ToolArgs>): Promise<RunResult<Output>> {
    const agent = this.loaded();
    return agent ? agent.run(prompt, ...args) : this.load().then((a) => a.run(prompt, ...args));
  }

  iter(prompt: UserPrompt, ...args: RunArgs<Deps, Context, ToolArgs>): AgentRun<Output> {
    const agent = this.loaded();
    if (agent) return agent.iter(prompt, ...args);
    return new DeferredRun(async () => (await this.load()).iter(prompt, ...args), prompt) as unknown as AgentRun<Output>;
  }

  runStream(prompt: UserPrompt, ...args: RunArgs<Deps, Context, ToolArgs>): StreamedRun<Output> {
    const agent = this.loaded();
    if (agent) return agent.runStream(prompt, ...args);
    return new DeferredStreamedRun(async () => (await this.load()).runStream(prompt, ...args)) as unknown as StreamedRun<Output>;
  }

  runStreamEvents(prompt: UserPrompt, ...args: RunArgs<Deps, Context, ToolArgs>): AsyncGenerator<AgentRunEvent<Output, ToolArgs>> {
    const agent = this.loaded();
    if (agent) return agent.runStreamEvents(prompt, ...args);
    const load = () => this.load();
    return (async function* events() {
      return yield* (await load()).runStreamEvents(prompt, ...args);
    })();
  }

  contract(): Promise<AgentContract> {
    const agent = this.loaded();
    return agent ? agent.contract() : this.load().then((a) => a.contract());
  }

  resume(paused: PausedRun | string, results: DeferredToolResults, ...args: ResumeArgs<Deps, Context, ToolArgs>): Promise<RunResult<Output>> {
    const agent = this.loaded();
    return agent ? agent.resume(paused, results, ...args) : this.load().then((a) => a.resume(paused, results, ...args));
  }

  resumeStreamEvents(
    paused: PausedRun | string,
    results: DeferredToolResults,
    ...args: ResumeArgs<Deps, Context, ToolArgs>
  ): AsyncGenerator<AgentRunEvent<Output, ToolArgs>> {
    const load = () => this.load();
    return (async function* events() {
      return yield* (await load()).resumeStreamEvents(paused, results, ...args);
    })();
  }

  override<T>(overrides: OverrideOptions<Deps, Context>, fn: () => Promise<T>): Promise<T> {
    const agent = this.loaded();
    // Overrides are keyed by the real Agent, whose runs look them up.
    return agent ? agent.override(overrides, fn) : this.load().then((a) => a.override(overrides, fn));
  }

  /** The real Agent, when the machinery is loaded (built on the first call that needs it). */
  private loaded(): Agent<Deps, Output, Context, ToolArgs> | undefined {
    if (!this.agent && machinery) this.agent = new machinery.Agent<Deps, Output, Context, ToolArgs>(this.spec, this.binding);
    return this.agent;
  }

  private async load(): Promise<Agent<Deps, Output, Context, ToolArgs>> {
    await loadMachinery();
    return this.loaded()!;
  }
}

/** What `iter` returns before the machinery has loaded: the real AgentRun once first driven. */
class DeferredRun<Output> implements Public<AgentRun<Output>> {
  private run: AgentRun<Output> | undefined;
  private starting: Promise<AgentRun<Output>> | undefined;
  private readonly first: UserPromptNode;

  constructor(
    private readonly start: () => Promise<AgentRun<Output>>,
    prompt: UserPrompt,
  ) {
    this.first = { kind: 'user-prompt', prompt };
  }

  get nextNode(): AgentNode<Output> {
    return this.run?.nextNode ?? this.first;
  }

  get result(): RunResult<Output> | undefined {
    return this.run?.result;
  }

  async messages(): Promise<readonly ModelMessage[]> {
    return (await this.started()).messages();
  }

  async next(node?: AgentNode<Output>): Promise<AgentNode<Output>> {
    // The real run's default (its next node) applies when `node` is undefined.
    return (await this.started()).next(node);
  }

  async *stream(node?: AgentNode<Output>): ReturnType<AgentRun<Output>['stream']> {
    return yield* (await this.started()).stream(node);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<AgentNode<Output>> {
    yield* await this.started();
  }

  async complete(): Promise<RunResult<Output>> {
    return (await this.started()).complete();
  }

  private started(): Promise<AgentRun<Output>> {
    this.starting ??= this.start().then((run) => (this.run = run));
    return this.starting;
  }
}

/** What `runStream` returns before the machinery has loaded: the real StreamedRun once first read. */
class DeferredStreamedRun<Output> implements Public<StreamedRun<Output>> {
  private run: StreamedRun<Output> | undefined;
  private starting: Promise<StreamedRun<Output>> | undefined;

  constructor(private readonly start: () => Promise<StreamedRun<Output>>) {}

  textStream(options?: { delta?: boolean; debounceMs?: number }): AsyncIterable<string> {
    return this.deferred((run) => run.textStream(options));
  }

  outputStream(options?: { debounceMs?: number }): AsyncIterable<DeepPartial<Exclude<Output, DeferredToolRequests>>> {
    return this.deferred((run) => run.outputStream(options));
  }

  responses(options?: { debounceMs?: number }): AsyncIterable<ModelResponse> {
    return this.deferred((run) => run.responses(options));
  }

  async output(): Promise<Output> {
    return (await this.started()).output();
  }

  async result(): Promise<RunResult<Output>> {
    return (await this.started()).result();
  }

  // Until it is first read, the run has not started: what the real one answers then.
  usage(): UsageSnapshot {
    return this.run?.usage() ?? new Usage().snapshot();
  }

  allMessages(): ModelMessage[] {
    return this.run?.allMessages() ?? [];
  }

  newMessages(): ModelMessage[] {
    return this.run?.newMessages() ?? [];
  }

  allMessagesJson(): string {
    return this.run?.allMessagesJson() ?? JSON.stringify({ version: MESSAGES_FORMAT_VERSION, messages: [] });
  }

  /** An iterable that reads the real run's (leaving it early closes the real one, as it would). */
  private deferred<T>(read: (run: StreamedRun<Output>) => AsyncIterable<T>): AsyncIterable<T> {
    const started = () => this.started();
    return {
      async *[Symbol.asyncIterator]() {
        yield* read(await started());
      },
    };
  }

  private started(): Promise<StreamedRun<Output>> {
    this.starting ??= this.start().then((run) => (this.run = run));
    return this.starting;
  }
}

/**
 * Binds a generated spec to handlers: what generated factories call. Checks, as the `schemantic`
 * entry's `defineAgent` does and with the same errors, that the generated code suits this runtime
 * and that every tool has a handler and every delegate an agent; the run machinery loads on the
 * agent's first use.
 */
export function defineAgent<Deps, Output, Context, ToolArgs extends object = Record<string, unknown>>(
  spec: AgentSpec<Output, Context>,
  options: AgentOptions<Deps, Context, Output> & { tools?: object; agents?: object },
): Agent<Deps, Output, Context, ToolArgs> {
  const { handlers, delegates, rest } = bindSpec(spec as AgentSpec<unknown, unknown>, options);
  const agent = new LazyAgent<Deps, Output, Context, ToolArgs>(spec, {
    handlers: handlers as AgentBinding<Deps, Context, Output>['handlers'],
    delegates: delegates as AgentBinding<Deps, Context, Output>['delegates'],
    extraTools: [],
    options: rest as AgentOptions<Deps, Context, Output>,
  });
  return agent as unknown as Agent<Deps, Output, Context, ToolArgs>;
}

/**
 * Binds a generated graph spec to its handlers (one per node, by the node's key): what generated
 * graph factories call. Checks, as the `schemantic` entry's `defineGraph` does and with the same
 * errors, that the generated code suits this runtime and that every node has a handler; the graph
 * machinery (the main entry) loads on the first run.
 */
export function defineGraph<State, Deps = undefined, Output = unknown, StartInput = unknown>(
  spec: GraphSpec,
  handlers: object,
): Graph<State, Deps, Output, StartInput> {
  const graph = new LazyGraph<State, Deps, Output, StartInput>(spec, handlers, loadMachinery, () => machinery);
  return graph as unknown as Graph<State, Deps, Output, StartInput>;
}
