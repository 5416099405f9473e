/**
 * The answers to a paused run's deferred calls, read from what a `useChat` client posts: its UI
 * messages, after the user approved or denied a call (`addToolApprovalResponse`) or the client ran
 * one (`addToolOutput`). The paused run stays on the server (a PausedRunStore, keyed by the chat
 * id); the body is untrusted, so nothing in it but those answers is read: not its history (the
 * run continues from its own), not its text, not its tool outputs for calls the run is not
 * waiting on.
 */
import { UserError } from '../contract/errors.js';
import type { ApprovalDecision, DeferredCall, DeferredToolResults } from '../agent/deferred.js';
import type { PausedRun } from '../agent/paused-run.js';
import { isJsonObject } from '../schema/json-kinds.js';

/**
 * The DeferredToolResults for the calls `paused` waits on, from the UI messages of a `useChat`
 * request (`body.messages`), for `agent.resume(paused, results)` / `resumeStreamEvents`.
 *
 * Read: the tool parts of the last message, when it is the assistant's (the client continues the
 * message that showed the pending calls; a last message of the user's is a new turn and answers
 * nothing). A part answers a call when its `toolCallId` is one the run waits on and its tool is
 * that call's tool (`tool-<name>`, or a `dynamic-tool` with that `toolName`):
 * - a call waiting for approval, by a part at `approval-responded`: `approval.approved` true is
 *   `true`; false is `{ approved: false, message: approval.reason }` (the model reads the reason),
 *   or `false` without a reason (the default denial);
 * - a call the client runs, by a part at `output-available` (its `output`, checked against the
 *   tool's `returns` when the run resumes) or `output-error` (`{ retry: errorText }`: the model is
 *   asked to try again).
 *
 * Ignored: every other message and part, extra fields, calls the run does not wait on, answers of
 * the wrong kind (an approval for a call the client runs, an output for a call waiting for
 * approval), parts still waiting (`approval-requested`, `input-available`). A call left unanswered
 * waits again when the run resumes.
 *
 * Throws UserError for a body it cannot read as UI messages (`messages` not an array, a last
 * assistant message without a `parts` array), for an answer to a pending call that is malformed
 * (an approval without a boolean `approved`, a reason or error text that is not a string, an output
 * part without `output`), and for two answers to one call.
 */
export function deferredResultsFromUIMessages(messages: unknown, paused: Pick<PausedRun, 'requests'>): DeferredToolResults {
  if (!Array.isArray(messages)) throw new UserError('the UI messages must be an array (the `messages` of a useChat request body)');
  const last: unknown = messages[messages.length - 1];
  if (!isJsonObject(last) || last['role'] !== 'assistant') return { approvals: {}, calls: {} };
  const parts = last['parts'];
  if (!Array.isArray(parts)) throw new UserError("the last UI message (the assistant's) has no `parts` array");

  const approvalCalls = byId(paused.requests.approvals);
  const externalCalls = byId(paused.requests.calls);
  const approvals = new Map<string, ApprovalDecision>();
  const calls = new Map<string, unknown>();
  for (const part of parts as unknown[]) {
    if (!isJsonObject(part) || typeof part['toolCallId'] !== 'string') continue;
    const id = part['toolCallId'];
    const approvalCall = approvalCalls.get(id);
    const externalCall = externalCalls.get(id);
    if (approvalCall && isPartOf(part, approvalCall) && part['state'] === 'approval-responded') {
      if (approvals.has(id)) throw new UserError(`two answers for call ${JSON.stringify(id)}`);
      approvals.set(id, decision(part['approval'], id));
    } else if (externalCall && isPartOf(part, externalCall) && (part['state'] === 'output-available' || part['state'] === 'output-error')) {
      if (part['preliminary'] === true) continue;
      if (calls.has(id)) throw new UserError(`two answers for call ${JSON.stringify(id)}`);
      calls.set(id, externalResult(part, id));
    }
  }
  // fromEntries defines own properties: an id such as "__proto__" stays a key.
  return { approvals: Object.fromEntries(approvals), calls: Object.fromEntries(calls) };
}

/** A decision from a part's `approval` (`{ id, approved, reason? }`, as `addToolApprovalResponse` sets it). */
function decision(approval: unknown, id: string): ApprovalDecision {
  const what = `the approval response for call ${JSON.stringify(id)}`;
  if (!isJsonObject(approval) || typeof approval['approved'] !== 'boolean') throw new UserError(`${what} must be { approved: boolean, reason?: string }`);
  const reason = approval['reason'];
  if (reason !== undefined && typeof reason !== 'string') throw new UserError(`${what}: reason must be a string`);
  if (approval['approved']) return true;
  return reason ? { approved: false, message: reason } : false;
}

/** An external call's result from a part at `output-available` or `output-error`. */
function externalResult(part: Record<string, unknown>, id: string): unknown {
  if (part['state'] === 'output-error') {
    if (typeof part['errorText'] !== 'string') throw new UserError(`the tool error for call ${JSON.stringify(id)} must have an errorText string`);
    return { retry: part['errorText'] };
  }
  if (!('output' in part)) throw new UserError(`the tool output for call ${JSON.stringify(id)} has no output`);
  return part['output'];
}

/** Whether a tool part is of the call's tool: `tool-<name>`, or a dynamic tool of that name. */
function isPartOf(part: Record<string, unknown>, call: DeferredCall): boolean {
  return part['type'] === `tool-${call.toolName}` || (part['type'] === 'dynamic-tool' && part['toolName'] === call.toolName);
}

function byId(calls: readonly DeferredCall[]): Map<string, DeferredCall> {
  return new Map(calls.map((call) => [call.toolCallId, call]));
}
