/**
 * Enqueueing a durable run: where it goes, under which workflow name, and, from a process that
 * does not run the agent (a web server, a script), through a `DBOSClient`, which needs only the
 * database's URL. A worker that made the durable agent (`dbosAgent`) and listens on the queue runs it.
 */
import type { UserPrompt } from '../run/setup.js';
import { durableRunInput, type DurableRunInput, type DurableRunOptions } from './durable-run-input.js';
import { DurableRunHandle, type DbosWorkflowHandle } from './durable-run-handle.js';

/** The name of an agent's run workflow, `schemantic.<agent name>`, unless the durable agent was given another. */
export function workflowNameOf(agentName: string): string {
  return `schemantic.${agentName}`;
}

/** Where to put an enqueued run. */
export interface EnqueueRunOptions {
  /** The DBOS queue (`await DBOS.registerQueue(name, { workerConcurrency })` after launch, in every worker). */
  queue: string;
  /** Lower runs first (0, the default, is the highest). */
  priority?: number;
  /** At most one run with this id waits on the queue at a time (DBOS rejects another). */
  deduplicationId?: string;
}

/** What enqueues a workflow by name: a `DBOSClient`. */
export interface DbosEnqueuer {
  enqueue(
    options: { workflowName: string; queueName: string; workflowID?: string; priority?: number; deduplicationID?: string },
    input: DurableRunInput,
  ): Promise<DbosWorkflowHandle>;
}

/** Which agent's run to enqueue, and where. */
export interface EnqueueTarget extends EnqueueRunOptions {
  /** The agent's name (its workflow is `schemantic.<name>`). */
  agent: string;
  /** The workflow's name, when the durable agent was given one (`dbosAgent(agent, { name })`). */
  workflowName?: string;
}

/** Enqueues a run of an agent through a DBOSClient; the handle waits for its result like any other. */
export async function enqueueRun<Output = unknown, Context = unknown>(
  client: DbosEnqueuer,
  target: EnqueueTarget,
  prompt: UserPrompt,
  options: DurableRunOptions<Context> = {},
): Promise<DurableRunHandle<Output>> {
  const input = await durableRunInput(prompt, options);
  const enqueue: Parameters<DbosEnqueuer['enqueue']>[0] = { workflowName: target.workflowName ?? workflowNameOf(target.agent), queueName: target.queue };
  if (options.workflowId !== undefined) enqueue.workflowID = options.workflowId;
  if (target.priority !== undefined) enqueue.priority = target.priority;
  if (target.deduplicationId !== undefined) enqueue.deduplicationID = target.deduplicationId;
  return new DurableRunHandle<Output>(await client.enqueue(enqueue, input));
}
