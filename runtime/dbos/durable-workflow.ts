/**
 * The body of a durable run's workflow: check the contract the run started under, run the agent
 * with DBOS steps, and while the run stops at deferred calls, publish them, wait durably for the
 * decisions and resume, all in the one workflow.
 *
 * Everything here runs again when DBOS recovers the workflow (after a crash, or in another
 * worker): what must not run twice is in steps (the contract, each model request, each tool
 * call) or in DBOS's own durable calls (events, messages, the clock), which return what they
 * recorded. The rest is deterministic given those records.
 */
import { DeferredToolRequests, type DeferredToolResults } from '../agent/deferred.js';
import type { AgentContract } from '../agent/agent-contract.js';
import type { PausedRun } from '../agent/paused-run.js';
import type { RunResult } from '../agent/result.js';
import { breakingChanges, ContractChangedError } from '../agent/resume-check.js';
import { Usage } from '../agent/usage.js';
import type { BaseRunOptions } from '../agent/run-options.js';
import type { UserPrompt } from '../run/setup.js';
import { UserError } from '../contract/errors.js';
import { CONTRACT_STEP, DbosSteps, type AfterStep, type DbosStepOptions, type RetriesExhausted } from './dbos-steps.js';
import type { DurableRunInput } from './durable-run-input.js';
import { durableRunOutput, type DurableRunOutput } from './durable-run-result.js';
import { PENDING_EVENT, RESULTS_TOPIC, type PendingEvent, type ResultsMessage } from './deferred-channel.js';
import type { Dbos } from './load-dbos-sdk.js';

/** The agent as the workflow drives it (any deps, context and output). */
export interface WorkflowAgent {
  /** The agent's name (in error messages). */
  readonly name: string;
  /** The contract the run records first and a recovery compares with. */
  contract(): Promise<AgentContract>;
  run(prompt: UserPrompt, options: BaseRunOptions & { deps?: unknown; context?: unknown }): Promise<RunResult<unknown>>;
  resume(paused: PausedRun, results: DeferredToolResults, options: BaseRunOptions & { deps?: unknown; context?: unknown }): Promise<RunResult<unknown>>;
}

/** What a durable agent's workflow knows besides its input. */
export interface WorkflowSettings {
  /** The SDK's `DBOS` class: steps, events, messages, the durable clock. */
  readonly dbos: Dbos;
  /** The agent the workflow runs. */
  readonly agent: WorkflowAgent;
  /** This process's deps, given to each run (never part of what DBOS stores). */
  readonly deps: unknown;
  /** How long a pause waits for decisions, in seconds. */
  readonly approvalTimeoutSeconds: number;
  /** How model requests are run as steps. */
  readonly modelStep?: DbosStepOptions;
  /** How tool calls are run as steps. */
  readonly toolStep?: DbosStepOptions;
  /** Called after each step. */
  readonly afterStep?: AfterStep;
  /** The SDK's `DBOSMaxStepRetriesError` (see DbosSteps). */
  readonly retriesExhausted?: RetriesExhausted;
}

/** Runs the agent as the current workflow. */
export async function durableWorkflow(settings: WorkflowSettings, input: DurableRunInput): Promise<DurableRunOutput> {
  const { dbos, agent } = settings;
  const workflowId = dbos.workflowID;
  if (workflowId === undefined) throw new UserError(`agent ${agent.name}: a durable run runs only as its DBOS workflow`);
  if (input?.version !== 1)
    throw new UserError(`agent ${agent.name}: unknown durable run input (version ${JSON.stringify(input?.version)}; this runtime reads version 1)`);
  const steps = new DbosSteps(dbos, workflowId, {
    model: settings.modelStep,
    tool: settings.toolStep,
    afterStep: settings.afterStep,
    retriesExhausted: settings.retriesExhausted,
  });

  // The contract the run started under: recorded by its first execution; a recovery after a deploy
  // compares it with the code's. Any breaking change to a tool or the output stops the run: its
  // recorded model responses and tool results would meet code that no longer fits them.
  const current = await agent.contract();
  const recorded = await steps.step(CONTRACT_STEP, () => Promise.resolve(current));
  const changes = await breakingChanges(recorded, current, 'all');
  if (changes.length > 0) throw new ContractChangedError(agent.name, changes);

  // One usage object for the run and its resumes: the result reports the whole run.
  const usage = new Usage();
  const options: BaseRunOptions & { deps?: unknown; context?: unknown } = { deps: settings.deps, runId: workflowId, steps, usage };
  if (input.context !== undefined) options.context = input.context;
  if (input.model !== undefined) options.model = input.model;
  if (input.modelSettings !== undefined) options.modelSettings = input.modelSettings;
  if (input.usageLimits !== undefined) options.usageLimits = input.usageLimits;
  if (input.conversationId !== undefined) options.conversationId = input.conversationId;

  let result = input.resume
    ? await agent.resume(input.resume.paused, input.resume.results, options)
    : await agent.run(input.prompt, input.messageHistory ? { ...options, messageHistory: input.messageHistory.messages } : options);
  const newFrom = result.allMessages().length - result.newMessages().length;
  for (let round = 1; DeferredToolRequests.isInstance(result.output); round++) {
    const results = await waitForResults(settings, round, result.output);
    if (!results) break;
    result = await agent.resume(result.paused()!, results, options);
  }
  return durableRunOutput(result, newFrom, usage.snapshot());
}

/**
 * Publishes a pause's calls and waits for its decisions, or undefined when none came in time.
 * The deadline is taken from DBOS's durable clock, so a recovered run waits only what was left.
 */
async function waitForResults(settings: WorkflowSettings, round: number, requests: DeferredToolRequests): Promise<DeferredToolResults | undefined> {
  const { dbos, agent } = settings;
  const expiresAt = (await dbos.now()) + settings.approvalTimeoutSeconds * 1000;
  const event: PendingEvent = { round, approvals: requests.approvals, calls: requests.calls, expiresAt };
  await dbos.setEvent(PENDING_EVENT, event);
  let results: DeferredToolResults | undefined;
  for (;;) {
    const left = (expiresAt - (await dbos.now())) / 1000;
    if (left <= 0) break;
    const message = await dbos.recv<ResultsMessage>(RESULTS_TOPIC, { timeoutSeconds: left });
    if (message === null) break;
    // A decision for an earlier pause (sent late), or one that answers calls this pause does not
    // have (sent by hand, not by sendResults): not this pause's, wait on.
    if (message.round !== round) continue;
    try {
      results = requests.results({ approvals: { ...message.results?.approvals }, calls: { ...message.results?.calls } });
    } catch (err) {
      if (!UserError.isInstance(err)) throw err;
      dbos.logger.warn(`agent ${agent.name}: durable run ${dbos.workflowID}: ignored a message for round ${round}: ${err.message}`);
      continue;
    }
    break;
  }
  await dbos.setEvent(PENDING_EVENT, null);
  return results;
}
