/**
 * A durable run started, enqueued or looked up by id: its workflow's id, status and result.
 */
import { DurableRunResult, type DurableRunOutput } from './durable-run-result.js';
import { revivedError } from './revived-error.js';

/** What a DBOS workflow handle offers (from `DBOS` or a `DBOSClient`). */
export interface DbosWorkflowHandle {
  /** The workflow's id. */
  readonly workflowID: string;
  /** Waits for the workflow's end: its output, or its error thrown. */
  getResult(): Promise<unknown>;
  /** The workflow's status, or null when there is no workflow by this id. */
  getStatus(): Promise<{ readonly status: string } | null>;
}

/** What looks a workflow up by id: the `DBOS` class, or a `DBOSClient`. */
export interface DbosWorkflows {
  retrieveWorkflow(workflowID: string): DbosWorkflowHandle;
}

/** A durable run, wherever it runs. */
export class DurableRunHandle<Output> {
  constructor(private readonly handle: DbosWorkflowHandle) {}

  /** The run's workflow id (the run's `ctx.runId`). */
  get workflowId(): string {
    return this.handle.workflowID;
  }

  /**
   * Waits for the run's end and reads its result. A run that failed throws its error, in any
   * process: Schemantic's errors keep their class (a ContractChangedError when a deploy broke the
   * run's contract, a ModelHTTPError with its status...); see docs/durable-runs.md.
   */
  async result(): Promise<DurableRunResult<Output>> {
    let output: unknown;
    try {
      output = await this.handle.getResult();
    } catch (err) {
      throw revivedError(err);
    }
    return new DurableRunResult<Output>(this.workflowId, output as DurableRunOutput);
  }

  /** DBOS's status of the workflow (`ENQUEUED`, `PENDING`, `SUCCESS`, `ERROR`, `CANCELLED`...), undefined when there is none by this id. */
  async status(): Promise<string | undefined> {
    return (await this.handle.getStatus())?.status;
  }
}

/** The run of a workflow id, looked up through `DBOS` or a `DBOSClient`. */
export function durableRunHandle<Output = unknown>(workflows: DbosWorkflows, workflowId: string): DurableRunHandle<Output> {
  return new DurableRunHandle<Output>(workflows.retrieveWorkflow(workflowId));
}
