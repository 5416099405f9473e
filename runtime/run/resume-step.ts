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
import { now, toolCalls, type ModelResponse, type RequestPart, type UserPromptPart } from '../contract/messages.js';
import { jsonValueTooDeep, MAX_JSON_DEPTH } from '../stream/json-depth.js';
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
  const { response, presets, prompts } = resumePoint(setup, state, results);
  const outcome = await callTools(setup, state, response, emit, presets);
  if (prompt !== undefined) prompts.push({ kind: 'user-prompt', content: typeof prompt === 'string' ? prompt : [...prompt], timestamp: now() });
  // After the answers. A run that pauses again keeps its prompts with the answers it has, so the
  // resume that continues it sends them (a final output drops them, as in the reference).
  if (outcome.kind !== 'end') outcome.parts.push(...prompts);
  return outcome;
}

/**
 * The response the run stopped at, and how each of its calls is answered. The answers the run had
 * when it paused (a request after the response) are taken out of the history: the resumed step
 * sends them again, with the new answers, in the order of the calls.
 */
function resumePoint(
  setup: RunSetup,
  state: RunState,
  results: DeferredToolResults,
): { response: ModelResponse; presets: Map<string, CallPreset>; prompts: UserPromptPart[] } {
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
  const prompts: UserPromptPart[] = [];
  for (const message of messages.slice(at + 1)) {
    for (const part of message.kind === 'request' ? message.parts : []) {
      // A prompt sent with an earlier resume of this run, which paused again before the model read it.
      if (part.kind === 'user-prompt') {
        prompts.push(part);
        continue;
      }
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
    const what = `${where}: the result for call ${id} (tool ${call.toolName})`;
    if (isExternalRetry(value)) {
      // Counted against the tool's retries, which start from zero on a resume: past a budget of
      // none the run would stop, but only once the approved calls had run.
      if (tool.maxRetries < 1) throw new UserError(`${what}: a { retry } answer, but the tool allows no retries: send a result instead`);
      presets.set(id, { kind: 'retry', message: value.retry });
    } else {
      const copy = jsonCopy(value, what);
      if (tool.validateReturn && !tool.validateReturn(copy))
        throw new UserError(
          `${where}: the result for call ${id} does not match the returns schema of tool ${call.toolName}: ${detailsText(validationDetails(tool.validateReturn))}`,
        );
      presets.set(id, { kind: 'external', value: copy });
    }
  }
  return { response, presets, prompts };
}

/**
 * A copy of a value the caller sent, as JSON: it goes into the history the model reads and the
 * paused state a store keeps, and validators fill in defaults in place (the caller's object stays
 * as it was). A value JSON cannot hold (a bigint, a function, a cycle, nesting past MAX_JSON_DEPTH)
 * is refused here, before any call runs, rather than failing the run once approved calls ran.
 */
function jsonCopy(value: unknown, what: string): unknown {
  if (value === undefined) return null;
  const problem = notJson(value);
  if (problem !== undefined) throw new UserError(`${what} is not JSON: ${problem}`);
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** Why a value is not JSON, walked without recursion; undefined when it is. */
function notJson(value: unknown): string | undefined {
  if (jsonValueTooDeep(value)) return `it nests deeper than ${MAX_JSON_DEPTH} levels, or refers to itself`;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    const type = typeof item;
    if (type === 'bigint' || type === 'function' || type === 'symbol') return `it holds a ${type}`;
    if (item !== null && typeof item === 'object') {
      if (Object.getOwnPropertySymbols(item).length > 0) return 'it has a symbol key';
      for (const child of Array.isArray(item) ? (item as unknown[]) : Object.values(item)) stack.push(child);
    }
  }
  return undefined;
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
  const args = jsonCopy(d['overrideArgs'], `${what}: overrideArgs`);
  if (!argsValid(args)) throw new UserError(`${what}: overrideArgs do not fit the tool's parameters: ${argsProblems()}`);
  return { kind: 'approved', overrideArgs: args };
}
