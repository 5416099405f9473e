/**
 * The first step of a resumed run: the tool step of the response the run stopped at, again, with
 * the calls that ran before the pause answered as they were and the deferred ones answered by the
 * caller (approved: the handler runs now; denied: the model reads why; external: the caller's
 * result). Calls the caller did not answer are handled as new: a call that needs approval waits again.
 *
 * Everything the caller sent is checked before anything runs, since it may come from a browser:
 * each id must be a pending call, a decision must have its documented shape, other arguments for
 * an approved call must fit the tool's parameters, an external result the tool's `returns`.
 */
import { UserError } from '../contract/errors.js';
import { now, toolCalls, type ModelResponse, type RequestPart } from '../contract/messages.js';
import { detailsText } from '../contract/messages.js';
import { DEFAULT_DENIAL, isExternalRetry, type ApprovalDecision, type DeferredToolResults } from '../agent/deferred.js';
import { validationDetails } from '../agent/output.js';
import { callTools, type StepOutcome } from './call-tools.js';
import type { CallPreset, Emit } from './run-tool.js';
import type { RunSetup, RunState, UserPrompt } from './setup.js';

/** Resumes the tool step the run stopped at; `prompt`, when given, follows the answers in the next request. */
export async function resumeStep(
  setup: RunSetup,
  state: RunState,
  results: DeferredToolResults,
  prompt: UserPrompt | undefined,
  emit?: Emit,
): Promise<StepOutcome> {
  const { response, presets } = resumePoint(setup, state, results);
  const outcome = await callTools(setup, state, response, emit, presets);
  if (outcome.kind === 'continue' && prompt !== undefined)
    outcome.parts.push({ kind: 'user-prompt', content: typeof prompt === 'string' ? prompt : [...prompt], timestamp: now() });
  return outcome;
}

/**
 * The response the run stopped at, and how each of its calls is answered. The answers the run had
 * when it paused (a request after the response) are taken out of the history: the resumed step
 * sends them again, with the new answers, in the order of the calls.
 */
function resumePoint(setup: RunSetup, state: RunState, results: DeferredToolResults): { response: ModelResponse; presets: Map<string, CallPreset> } {
  const where = `agent ${setup.agentName}`;
  const messages = state.messages;
  let at = messages.length - 1;
  while (at >= 0 && messages[at]!.kind !== 'response') at--;
  if (at < 0) throw new UserError(`${where}: nothing to resume: the history has no model response`);
  const response = messages[at] as ModelResponse;
  const calls = toolCalls(response);
  if (calls.length === 0) throw new UserError(`${where}: nothing to resume: the last model response calls no tool`);
  const ids = new Set(calls.map((c) => c.toolCallId));
  const presets = new Map<string, CallPreset>();
  for (const message of messages.slice(at + 1)) {
    for (const part of message.kind === 'request' ? message.parts : []) {
      const id = part.kind === 'tool-return' || part.kind === 'retry-prompt' ? part.toolCallId : undefined;
      if (id === undefined || !ids.has(id))
        throw new UserError(`${where}: the history does not end where a run paused (a ${part.kind} part follows the last response)`);
      presets.set(id, { kind: 'answered', part: part as RequestPart });
    }
  }
  messages.length = at + 1;
  state.newFrom = Math.min(state.newFrom, at + 1);

  const byId = new Map(calls.map((c) => [c.toolCallId, c]));
  const pending = (id: string, what: string) => {
    const call = byId.get(id);
    if (!call) throw new UserError(`${where}: ${what} for ${JSON.stringify(id)}, which is not a call of the paused response`);
    if (presets.has(id)) throw new UserError(`${where}: ${what} for ${JSON.stringify(id)}, which already ran before the pause`);
    const tool = setup.tools.get(call.toolName);
    if (!tool) throw new UserError(`${where}: ${what} for ${JSON.stringify(id)}, but the agent has no tool ${call.toolName} any more`);
    return { call, tool };
  };
  for (const [id, decision] of Object.entries(results.approvals ?? {})) {
    const { call, tool } = pending(id, 'a decision');
    presets.set(
      id,
      approvalPreset(
        decision,
        (args) => tool.validateArgs(args),
        () => detailsText(validationDetails(tool.validateArgs)),
        `${where}: the decision for call ${id} (tool ${call.toolName})`,
      ),
    );
  }
  for (const [id, value] of Object.entries(results.calls ?? {})) {
    const { call, tool } = pending(id, 'a result');
    if (presets.has(id)) throw new UserError(`${where}: call ${id} has both a decision and a result`);
    if (isExternalRetry(value)) presets.set(id, { kind: 'retry', message: value.retry });
    else {
      if (tool.validateReturn && !tool.validateReturn(value))
        throw new UserError(
          `${where}: the result for call ${id} does not match the returns schema of tool ${call.toolName}: ${detailsText(validationDetails(tool.validateReturn))}`,
        );
      presets.set(id, { kind: 'external', value });
    }
  }
  return { response, presets };
}

/** A decision, checked (it may come from a browser) and read. */
function approvalPreset(decision: ApprovalDecision, argsValid: (args: unknown) => boolean, argsProblems: () => string, what: string): CallPreset {
  if (decision === true) return { kind: 'approved' };
  if (decision === false) return { kind: 'denied', message: DEFAULT_DENIAL };
  const d = decision as unknown as Record<string, unknown> | null;
  if (typeof d !== 'object' || d === null || Array.isArray(d) || typeof d['approved'] !== 'boolean')
    throw new UserError(`${what} must be true, false, { approved: true, overrideArgs? } or { approved: false, message? }`);
  const extra = Object.keys(d).filter((k) => k !== 'approved' && k !== (d['approved'] ? 'overrideArgs' : 'message'));
  if (extra.length > 0) throw new UserError(`${what} has unknown fields: ${extra.join(', ')}`);
  if (d['approved'] === false) {
    if (d['message'] !== undefined && typeof d['message'] !== 'string') throw new UserError(`${what}: message must be a string`);
    return { kind: 'denied', message: (d['message'] as string | undefined) ?? DEFAULT_DENIAL };
  }
  if (d['overrideArgs'] === undefined) return { kind: 'approved' };
  if (!argsValid(d['overrideArgs'])) throw new UserError(`${what}: overrideArgs do not fit the tool's parameters: ${argsProblems()}`);
  return { kind: 'approved', overrideArgs: d['overrideArgs'] };
}
