/**
 * A paused run: everything needed to resume a run that stopped at deferred calls, as plain
 * versioned JSON (any store can keep it: a row, a file, a durable engine's event). It stays on the
 * server: a browser is shown the requests and sends back only its decisions (DeferredToolResults),
 * never a history to trust.
 */
import { UserError } from '../contract/errors.js';
import { MESSAGES_FORMAT_VERSION, toolCalls, type ModelMessage, type ModelResponse } from '../contract/messages.js';
import { historyValidatorReady, parseMessages, type SerializedMessages } from '../contract/messages-json.js';
import { fingerprintOf, type AgentContract } from './agent-contract.js';
import type { DeferredCall, DeferredToolRequests } from './deferred.js';
import { isJsonObject } from '../schema/json-kinds.js';

/** The format's name, in every paused run (tells it from other JSON in a store). */
export const PAUSED_RUN_FORMAT = 'schemantic.paused-run';

/** A run stopped at deferred calls, ready to store and to resume with `agent.resume`. */
export interface PausedRun {
  readonly format: typeof PAUSED_RUN_FORMAT;
  /** The version of this format (1). */
  readonly version: 1;
  /** The agent that ran it: only that agent resumes it. */
  readonly agent: string;
  /** The agent's contract when it paused, compared with the current one on resume. */
  readonly contract: AgentContract;
  /**
   * The whole conversation, up to and including the answers of the calls that did run (and the
   * prompt of a resume that paused again before the model read it).
   */
  readonly history: SerializedMessages;
  /** The calls waiting: for a decision (`approvals`), for the caller's result (`calls`). */
  readonly requests: { readonly approvals: readonly DeferredCall[]; readonly calls: readonly DeferredCall[] };
}

/** Thrown for a stored paused run that is not one: says what is wrong. */
export class PausedRunError extends UserError {}

/**
 * Builds the paused state of a run: a copy as JSON, what a store keeps (later changes to the run's
 * objects don't reach it, and what a tool returned beyond JSON, a Date or a method, reads as it will
 * once stored). Throws {@link PausedRunError} when the state cannot be written as JSON.
 */
export function pausedRunOf(agent: string, contract: AgentContract, messages: readonly ModelMessage[], requests: DeferredToolRequests): PausedRun {
  const run: PausedRun = {
    format: PAUSED_RUN_FORMAT,
    version: 1,
    agent,
    contract,
    history: { version: MESSAGES_FORMAT_VERSION, messages: [...messages] },
    requests: { approvals: requests.approvals, calls: requests.calls },
  };
  let text: string;
  try {
    text = JSON.stringify(run);
  } catch (err) {
    throw new PausedRunError(`agent ${agent}: the run cannot pause: its state (its history, the calls' metadata) is not JSON: ${(err as Error).message}`);
  }
  return JSON.parse(text) as PausedRun;
}

/**
 * Reads a stored paused run (JSON text or parsed data), checking its shape; its history is checked
 * as any stored history is (parseMessages). Throws {@link PausedRunError} saying what is wrong.
 */
export function readPausedRun(stored: string | unknown): PausedRun {
  let value: unknown = stored;
  if (typeof stored === 'string') {
    try {
      value = JSON.parse(stored);
    } catch (err) {
      throw new PausedRunError(`a paused run is not valid JSON: ${(err as Error).message}`);
    }
  }
  const run = value as Record<string, unknown> | null;
  if (typeof run !== 'object' || run === null || Array.isArray(run)) throw new PausedRunError('a paused run must be an object');
  if (run['format'] !== PAUSED_RUN_FORMAT)
    throw new PausedRunError(`not a paused run: format is ${JSON.stringify(run['format'])}, expected "${PAUSED_RUN_FORMAT}"`);
  if (run['version'] !== 1) throw new PausedRunError(`paused run version ${JSON.stringify(run['version'])} is not supported (this runtime reads version 1)`);
  if (typeof run['agent'] !== 'string') throw new PausedRunError('a paused run names its agent (`agent`, a string)');
  const contract = run['contract'] as Record<string, unknown> | null;
  if (
    typeof contract !== 'object' ||
    contract === null ||
    typeof contract['fingerprint'] !== 'string' ||
    !isJsonObject(contract['tools']) ||
    !isJsonObject(contract['output'])
  )
    throw new PausedRunError('a paused run records its contract (`contract`: fingerprint, tools, output)');
  const requests = run['requests'] as Record<string, unknown> | null;
  if (typeof requests !== 'object' || requests === null || !isCallList(requests['approvals']) || !isCallList(requests['calls']))
    throw new PausedRunError('a paused run lists its requests (`requests`: approvals and calls, each { toolName, toolCallId, args })');
  const messages = parseMessages(run['history']);
  checkContract(contract as unknown as AgentContract);
  checkPending(messages, requests as unknown as PausedRun['requests'], contract as unknown as AgentContract);
  return {
    format: PAUSED_RUN_FORMAT,
    version: 1,
    agent: run['agent'],
    contract: contract as unknown as AgentContract,
    history: { version: MESSAGES_FORMAT_VERSION, messages },
    requests: requests as unknown as PausedRun['requests'],
  };
}

/** Each tool of the contract has its schemas, and the fingerprint is the contract's own. */
function checkContract(contract: AgentContract): void {
  for (const [name, tool] of Object.entries(contract.tools))
    if (!isJsonObject(tool) || !isSchema(tool.parameters) || (tool.returns !== undefined && !isSchema(tool.returns)))
      throw new PausedRunError(`a paused run's contract has no valid entry for tool ${name} ({ parameters, returns? }, JSON Schemas)`);
  for (const [name, schema] of Object.entries(contract.output))
    if (!isSchema(schema)) throw new PausedRunError(`a paused run's contract has no valid schema for output ${name}`);
  if (fingerprintOf(contract) !== contract.fingerprint)
    throw new PausedRunError("a paused run's contract does not have the fingerprint it records: it was changed after the run paused");
}

/**
 * The calls a paused run waits on are calls of its last model response, each listed once, not
 * answered yet, of a tool its contract records: a decision then answers the call it was shown.
 */
function checkPending(messages: readonly ModelMessage[], requests: PausedRun['requests'], contract: AgentContract): void {
  let at = messages.length - 1;
  while (at >= 0 && messages[at]!.kind !== 'response') at--;
  const calls = new Map<string, string>();
  for (const call of at >= 0 ? toolCalls(messages[at] as ModelResponse) : []) {
    if (calls.has(call.toolCallId))
      throw new PausedRunError(
        `a paused run's last model response has two tool calls of id ${JSON.stringify(call.toolCallId)}: an answer could not tell them apart`,
      );
    calls.set(call.toolCallId, call.toolName);
  }
  const answered = new Set<string>();
  for (const message of messages.slice(at + 1))
    if (message.kind === 'request')
      for (const part of message.parts)
        if ((part.kind === 'tool-return' || part.kind === 'retry-prompt') && part.toolCallId !== undefined) answered.add(part.toolCallId);
  const listed = new Set<string>();
  for (const { toolName, toolCallId } of [...requests.approvals, ...requests.calls]) {
    const which = `call ${JSON.stringify(toolCallId)} (tool ${toolName})`;
    if (listed.has(toolCallId)) throw new PausedRunError(`a paused run lists call ${JSON.stringify(toolCallId)} twice among its requests`);
    listed.add(toolCallId);
    if (calls.get(toolCallId) !== toolName) throw new PausedRunError(`a paused run waits on ${which}, which is not a call of its last model response`);
    if (answered.has(toolCallId)) throw new PausedRunError(`a paused run waits on ${which}, which its history answered already`);
    if (!Object.hasOwn(contract.tools, toolName)) throw new PausedRunError(`a paused run waits on ${which}, a tool its contract does not record`);
  }
}

/** A JSON Schema: an object, or a boolean. */
function isSchema(value: unknown): boolean {
  return typeof value === 'boolean' || isJsonObject(value);
}

function isCallList(value: unknown): boolean {
  return Array.isArray(value) && value.every((c: unknown) => isJsonObject(c) && typeof c['toolName'] === 'string' && typeof c['toolCallId'] === 'string');
}

/** Where paused runs wait for their decisions, by an id of the app's choosing (a chat id, a ticket). */
export interface PausedRunStore {
  save(id: string, run: PausedRun): Promise<void>;
  /** The run, or undefined when there is none by that id. */
  load(id: string): Promise<PausedRun | undefined>;
  /**
   * Loads and deletes the run in one step (a row's `DELETE ... RETURNING`): what a resume takes,
   * so that two requests answering the same run cannot both run its approved calls.
   */
  take(id: string): Promise<PausedRun | undefined>;
  delete(id: string): Promise<void>;
}

/**
 * A store in this process's memory, kept as JSON text (what a database would hold, so what comes
 * out is a copy checked by readPausedRun). For one process and for tests; a durable run
 * (`schemantic/dbos`) keeps its pause in PostgreSQL.
 */
export class MemoryPausedRunStore implements PausedRunStore {
  private readonly runs = new Map<string, string>();

  async save(id: string, run: PausedRun): Promise<void> {
    this.runs.set(id, JSON.stringify(run));
  }

  async load(id: string): Promise<PausedRun | undefined> {
    const text = this.runs.get(id);
    if (text === undefined) return undefined;
    await historyValidatorReady();
    return readPausedRun(text);
  }

  async take(id: string): Promise<PausedRun | undefined> {
    await historyValidatorReady();
    // From here on synchronous: a concurrent take finds nothing, and a run that does not read
    // (readPausedRun throws) stays stored.
    const text = this.runs.get(id);
    if (text === undefined) return undefined;
    const run = readPausedRun(text);
    this.runs.delete(id);
    return run;
  }

  async delete(id: string): Promise<void> {
    this.runs.delete(id);
  }
}
