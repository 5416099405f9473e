/**
 * A durable agent: an agent whose runs are DBOS workflows. Each model request and each tool call
 * is a checkpointed step, so a run that a crash interrupted resumes, in any worker process
 * sharing the database, where it was: no completed model request is sent again and no completed
 * tool call runs again. A run that stops at deferred calls waits durably for the decisions (days,
 * across restarts) and goes on in the same workflow.
 *
 * Made once per process, before `DBOS.launch()` (DBOS recovers a workflow only in a process where
 * it is registered): the deps (a database pool, clients) are this process's, never stored; what a
 * run is given is JSON (DurableRunInput).
 */
import { UserError } from '../contract/errors.js';
import type { Agent } from '../agent/agent.js';
import type { DeferredToolResults } from '../agent/deferred.js';
import { readPausedRun, type PausedRun } from '../agent/paused-run.js';
import { historyValidatorReady } from '../contract/messages-json.js';
import type { UserPrompt } from '../run/setup.js';
import type { AfterStep, DbosStepOptions } from './dbos-steps.js';
import { pendingRequests, sendResults, type PendingRequests } from './deferred-channel.js';
import { durableRunInput, type DurableRunInput, type DurableRunOptions } from './durable-run-input.js';
import { DurableRunHandle, durableRunHandle } from './durable-run-handle.js';
import type { DurableRunOutput, DurableRunResult } from './durable-run-result.js';
import { durableWorkflow, type WorkflowAgent } from './durable-workflow.js';
import { loadDbosSdk, type DbosSdk } from './load-dbos-sdk.js';
import { workflowNameOf, type EnqueueRunOptions } from './enqueue-run.js';

/** A week: how long a pause waits for decisions unless told otherwise. */
const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 7 * 24 * 3600;

/** Options of a durable agent, besides its deps. */
export interface DbosAgentSettings {
  /** The workflow's name (default `schemantic.<agent name>`): unique among the app's workflows. */
  name?: string;
  /** How long a run waits for decisions at each pause, in seconds (default a week); then it ends with the requests as its output. */
  approvalTimeoutSeconds?: number;
  /** How DBOS runs model requests (default: once, no retries: the provider SDK retries its own requests). */
  modelStep?: DbosStepOptions;
  /** How DBOS runs tool calls (default: once, no retries). */
  toolStep?: DbosStepOptions;
  /** Called after each step of a run, recorded or replayed (progress reports). */
  afterStep?: AfterStep;
}

/** Options of a durable agent: `deps` required exactly when the agent's type requires them. */
export type DbosAgentOptions<Deps> = DbosAgentSettings & (undefined extends Deps ? { deps?: Deps } : { deps: Deps });

/** The arguments after a durable run's prompt: optional when the agent needs no context. */
export type DurableRunArgs<Context> = undefined extends Context
  ? [options?: DurableRunOptions<Context>]
  : [options: DurableRunOptions<Context> & { context: Context }];

/** Makes `agent`'s runs durable, as DBOS workflows. Call it before `DBOS.launch()`, once per process. */
export async function dbosAgent<Deps, Output, Context, ToolArgs extends object>(
  agent: Agent<Deps, Output, Context, ToolArgs>,
  ...args: undefined extends Deps ? [options?: DbosAgentOptions<Deps>] : [options: DbosAgentOptions<Deps>]
): Promise<DbosAgent<Deps, Output, Context>> {
  return DbosAgent.create<Deps, Output, Context>(agent as unknown as Agent<Deps, Output, Context>, (args[0] ?? {}) as DbosAgentSettings & { deps?: Deps });
}

/** An agent whose runs are DBOS workflows (see {@link dbosAgent}). */
export class DbosAgent<Deps, Output, Context> {
  /** The name DBOS knows the run workflow by (what a `DBOSClient` enqueues). */
  readonly workflowName: string;
  private readonly workflow: (input: DurableRunInput) => Promise<DurableRunOutput>;

  /** What {@link dbosAgent} does (which also requires `deps` when the agent's type does): loads the SDK, registers the run workflow. */
  static async create<Deps, Output, Context>(
    agent: Agent<Deps, Output, Context>,
    options: DbosAgentSettings & { deps?: Deps },
  ): Promise<DbosAgent<Deps, Output, Context>> {
    return new DbosAgent(await loadDbosSdk(), agent, options);
  }

  // Private: its parameters name the SDK's types, which a declaration of this class must not need.
  private constructor(
    private readonly sdk: DbosSdk,
    /** The agent itself: its plain runs are not durable. */
    readonly agent: Agent<Deps, Output, Context>,
    options: DbosAgentSettings & { deps?: Deps },
  ) {
    const dbos = sdk.DBOS;
    this.workflowName = options.name ?? workflowNameOf(agent.name);
    const timeout = options.approvalTimeoutSeconds ?? DEFAULT_APPROVAL_TIMEOUT_SECONDS;
    if (!(timeout > 0)) throw new UserError(`agent ${agent.name}: approvalTimeoutSeconds must be a positive number of seconds, not ${timeout}`);
    if (dbos.isInitialized())
      throw new UserError(`agent ${agent.name}: make durable agents before DBOS.launch(): DBOS recovers only the workflows registered when it launches`);
    const settings = {
      dbos,
      agent: agent as unknown as WorkflowAgent,
      deps: options.deps,
      approvalTimeoutSeconds: timeout,
      retriesExhausted: sdk.Error.DBOSMaxStepRetriesError,
      ...(options.modelStep && { modelStep: options.modelStep }),
      ...(options.toolStep && { toolStep: options.toolStep }),
      ...(options.afterStep && { afterStep: options.afterStep }),
    };
    this.workflow = dbos.registerWorkflow((input: DurableRunInput) => durableWorkflow(settings, input), { name: this.workflowName });
  }

  /** Runs the agent as a workflow and waits for its end (approvals included: see {@link pending}). */
  async run(prompt: UserPrompt, ...args: DurableRunArgs<Context>): Promise<DurableRunResult<Output>> {
    return (await this.start(prompt, ...args)).result();
  }

  /** Starts a run in this process, in the background; its handle gives the workflow id and, later, the result. */
  async start(prompt: UserPrompt, ...args: DurableRunArgs<Context>): Promise<DurableRunHandle<Output>> {
    const options = (args[0] ?? {}) as DurableRunOptions<Context>;
    return this.launch(await durableRunInput(prompt, options), { workflowId: options.workflowId });
  }

  /** Puts a run on a DBOS queue: whichever worker sharing the database takes it runs it. */
  async enqueue(prompt: UserPrompt, options: DurableRunOptions<Context> & EnqueueRunOptions): Promise<DurableRunHandle<Output>> {
    return this.launch(await durableRunInput(prompt, options), options);
  }

  /**
   * Resumes, as a new durable run, a run paused outside a workflow: a plain run that ended with
   * DeferredToolRequests, or a durable one that stopped waiting (its `paused()`). Runs as
   * `agent.resume` does, its contract checked the same way.
   */
  async resume(paused: PausedRun | string, results: DeferredToolResults, ...args: DurableRunArgs<Context>): Promise<DurableRunHandle<Output>> {
    const options = (args[0] ?? {}) as DurableRunOptions<Context>;
    await historyValidatorReady();
    const input: DurableRunInput = { ...(await durableRunInput('', options)), resume: { paused: readPausedRun(paused), results } };
    return this.launch(input, { workflowId: options.workflowId });
  }

  /** The run of a workflow id (started anywhere). */
  handle(workflowId: string): DurableRunHandle<Output> {
    return durableRunHandle<Output>(this.sdk.DBOS, workflowId);
  }

  /** The calls a run waits on, or undefined when it waits for nothing. */
  pending(workflowId: string): Promise<PendingRequests | undefined> {
    return pendingRequests(workflowId, this.sdk.DBOS);
  }

  /** Sends a waiting run its decisions and results (checked against what it waits on). */
  sendResults(workflowId: string, results: DeferredToolResults): Promise<void> {
    return sendResults(workflowId, results, this.sdk.DBOS);
  }

  private async launch(input: DurableRunInput, where: { workflowId?: string | undefined } & Partial<EnqueueRunOptions>): Promise<DurableRunHandle<Output>> {
    const dbos = this.sdk.DBOS;
    if (!dbos.isInitialized()) throw new UserError(`agent ${this.agent.name}: launch DBOS (DBOS.launch()) before starting durable runs`);
    const params: Parameters<typeof dbos.startWorkflow>[1] & object = {};
    if (where.workflowId !== undefined) params.workflowID = where.workflowId;
    if (where.queue !== undefined) {
      params.queueName = where.queue;
      const enqueue: { priority?: number; deduplicationID?: string } = {};
      if (where.priority !== undefined) enqueue.priority = where.priority;
      if (where.deduplicationId !== undefined) enqueue.deduplicationID = where.deduplicationId;
      params.enqueueOptions = enqueue;
    }
    const handle = await dbos.startWorkflow(this.workflow, params)(input);
    return new DurableRunHandle<Output>(handle);
  }
}
