/**
 * What a resume is checked for before anything runs (Agent.resume hands it to the run's setup):
 * the paused run is this agent's, the agent's contract allows it (resume-check.ts), and the
 * caller's results have the documented shape, each decision answering a call that waits for
 * approval and each result one that waits for the caller.
 */
import { UserError } from '../contract/errors.js';
import type { RunSetup, UserPrompt } from '../run/setup.js';
import { agentContract } from './agent-contract.js';
import type { DeferredToolResults } from './deferred.js';
import type { PausedRun } from './paused-run.js';
import { breakingChanges, ContractChangedError } from './resume-check.js';

/** A resume, as prepareRun takes it. */
export interface Resume {
  paused: PausedRun;
  results: DeferredToolResults;
  prompt: UserPrompt | undefined;
}

/**
 * A resume, checked before anything runs: the paused run is this agent's, its contract allows it
 * (resume-check.ts), each decision answers a call that waits for approval and each result one that
 * waits for the caller.
 */
export async function checkedResume(agentName: string, resume: Resume, setup: RunSetup): Promise<NonNullable<RunSetup['resume']>> {
  const { paused, results, prompt } = resume;
  if (paused.agent !== agentName) throw new UserError(`agent ${agentName}: the paused run belongs to agent ${paused.agent}`);
  const pending = [...paused.requests.approvals, ...paused.requests.calls];
  const changes = await breakingChanges(paused.contract, agentContract(setup.tools, setup.output), { tools: pending.map((c) => c.toolName) });
  if (changes.length > 0) throw new ContractChangedError(agentName, changes);
  const approvals = new Set(paused.requests.approvals.map((c) => c.toolCallId));
  const calls = new Set(paused.requests.calls.map((c) => c.toolCallId));
  if (typeof results !== 'object' || results === null || Array.isArray(results))
    throw new UserError(`agent ${agentName}: the results of a resume must be an object ({ approvals, calls })`);
  // A misspelt field or a list would otherwise be read as no answer at all, and the run would pause again.
  const unknown = Object.keys(results).filter((k) => k !== 'approvals' && k !== 'calls');
  if (unknown.length > 0)
    throw new UserError(`agent ${agentName}: the results of a resume have unknown fields: ${unknown.join(', ')} (expected approvals, calls)`);
  for (const field of ['approvals', 'calls'] as const) {
    const answers: unknown = results[field];
    if (answers !== undefined && (typeof answers !== 'object' || answers === null || Array.isArray(answers)))
      throw new UserError(`agent ${agentName}: the results' ${field} must be an object keyed by tool call id`);
  }
  for (const id of Object.keys(results.approvals ?? {}))
    if (!approvals.has(id)) throw new UserError(`agent ${agentName}: a decision for ${JSON.stringify(id)}, which waits for no approval`);
  for (const id of Object.keys(results.calls ?? {}))
    if (!calls.has(id)) throw new UserError(`agent ${agentName}: a result for ${JSON.stringify(id)}, which is not a call the caller runs`);
  return prompt === undefined ? { results } : { results, prompt };
}
