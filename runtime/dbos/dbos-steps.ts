/**
 * The runtime's durable-steps seam (`DurableSteps`) on DBOS: each step is `DBOS.runStep`, which
 * records the step's result in PostgreSQL when it finishes and, when the workflow is recovered,
 * returns the recorded result instead of running it again.
 */
import type { DurableSteps } from '../run/durable-steps.js';

/** The name of the step that records the contract a run started under (the run's first step). */
export const CONTRACT_STEP = 'schemantic:contract';

/**
 * How DBOS runs one kind of step (DBOS's `StepConfig`, passed through). By default a step runs
 * once: a provider SDK retries its own requests, and a tool handler's retries belong to its code.
 */
export interface DbosStepOptions {
  /** Retry the step when it throws (default false). */
  readonly retriesAllowed?: boolean;
  /** With retries: how many attempts in all (DBOS's default 3). */
  readonly maxAttempts?: number;
  /** With retries: seconds before the first retry (DBOS's default 1). */
  readonly intervalSeconds?: number;
  /** With retries: what each interval is multiplied by (DBOS's default 2). */
  readonly backoffRate?: number;
  /**
   * The longest one attempt may take, in milliseconds: DBOS then fails the attempt with a step
   * timeout and abandons it, which goes on unless it watches `DBOS.stepStatus?.timeoutSignal`.
   */
  readonly timeoutMS?: number;
}

/** A step the run has just been through: recorded now, or read back from the record (`replayed`). */
export interface RecordedStep {
  /** The run's workflow. */
  readonly workflowId: string;
  /** {@link CONTRACT_STEP}, `model:<n>` or `tool:<name>:<call id>`. */
  readonly name: string;
  /** True when the step did not run: its recorded result was returned (a recovered run). */
  readonly replayed: boolean;
}

/** Called after each step of a durable run (progress reports; tests stop a worker there). */
export type AfterStep = (step: RecordedStep) => void | Promise<void>;

/** The error DBOS throws when a step with retries failed every attempt (`DBOSMaxStepRetriesError`). */
export type RetriesExhausted = abstract new (...args: never[]) => Error & { readonly errors: readonly unknown[] };

/** How the steps of a run are run and reported. */
export interface DbosStepsOptions {
  /** How model requests are run. */
  readonly model?: DbosStepOptions | undefined;
  /** How tool calls are run. */
  readonly tool?: DbosStepOptions | undefined;
  /** Called after each step. */
  readonly afterStep?: AfterStep | undefined;
  /** The SDK's `DBOSMaxStepRetriesError`: a step that used up its retries throws its last attempt's error instead. */
  readonly retriesExhausted?: RetriesExhausted | undefined;
}

/** The steps of one durable run. */
export class DbosSteps implements DurableSteps {
  constructor(
    /** DBOS's step runner (`DBOS`, typed by what it is used for: no SDK type in this declaration). */
    private readonly dbos: { runStep<R>(fn: () => Promise<R>, config: DbosStepOptions & { name: string }): Promise<R> },
    private readonly workflowId: string,
    private readonly options: DbosStepsOptions = {},
  ) {}

  step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    // DBOS numbers a workflow's steps in the order `runStep` is called, before its first await:
    // the call stays synchronous here, so concurrent tool calls keep the order the run started them in.
    let ran = false;
    const config = name.startsWith('model:') ? this.options.model : name.startsWith('tool:') ? this.options.tool : undefined;
    const recorded = this.dbos
      .runStep(
        () => {
          ran = true;
          return fn();
        },
        { ...config, name },
      )
      .catch((err: unknown) => {
        throw this.lastAttemptError(err);
      });
    const after = this.options.afterStep;
    if (!after) return recorded;
    return recorded.then(async (value) => {
      await after({ workflowId: this.workflowId, name, replayed: !ran });
      return value;
    });
  }

  /**
   * What a failed step throws. After retries DBOS throws one error that lists every attempt's, which
   * would hide a ModelHTTPError (its status, `isInstance`) from the run's caller: the last attempt's
   * error is thrown, as a provider SDK throws its last one after its own retries.
   */
  private lastAttemptError(err: unknown): unknown {
    const type = this.options.retriesExhausted;
    const last = type && err instanceof type ? err.errors.at(-1) : undefined;
    return last instanceof Error ? last : err;
  }
}
