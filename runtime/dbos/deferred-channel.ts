/**
 * How a durable run that stopped at deferred calls talks to the people deciding: it publishes its
 * pending calls as a workflow event and waits for one message carrying the decisions and
 * results, both kept in PostgreSQL by DBOS. Any process sharing the database reads and answers by
 * workflow id: a DBOS app (the `DBOS` class), or one that only holds a `DBOSClient`.
 *
 * Each pause of a run is a round (1, 2, ...): a message names its round, so a decision sent for an
 * earlier pause never answers a later one, and the round is the message's idempotency key, so the
 * first decision sent for a round is the one the run takes (a double click sends nothing twice).
 */
import { UserError } from '../contract/errors.js';
import { DeferredToolRequests, type DeferredCall, type DeferredToolResults } from '../agent/deferred.js';
import { loadDbosSdk } from './load-dbos-sdk.js';

/** The workflow event holding the pending calls (null while the run is not waiting). */
export const PENDING_EVENT = 'schemantic.pending';

/** The message topic of decisions and results. */
export const RESULTS_TOPIC = 'schemantic.results';

/** The pending calls as the event stores them. */
export interface PendingEvent {
  /** Which pause of the run this is (1 for the first). */
  readonly round: number;
  /** The calls waiting for a decision. */
  readonly approvals: readonly DeferredCall[];
  /** The external calls waiting for the caller's result. */
  readonly calls: readonly DeferredCall[];
  /** When the run stops waiting (milliseconds since the epoch). */
  readonly expiresAt: number;
}

/** The message a decision travels in. */
export interface ResultsMessage {
  /** The pause it answers: a message for another round is not this pause's. */
  readonly round: number;
  /** The decisions and results, checked against the pause's calls when sent. */
  readonly results: DeferredToolResults;
}

/**
 * What reads a workflow's events and sends it messages: the `DBOS` class in a launched DBOS app,
 * or a `DBOSClient` (`DBOSClient.create({ systemDatabaseUrl })`) anywhere else.
 */
export interface DbosMessaging {
  getEvent<T>(workflowID: string, key: string, timeoutSeconds?: number): Promise<T | null>;
  send<T>(destinationID: string, message: T, topic?: string, idempotencyKey?: string): Promise<void>;
}

/** A durable run waiting for decisions. */
export interface PendingRequests {
  /** The run's workflow. */
  readonly workflowId: string;
  /** Which pause of the run this is (1 for the first). */
  readonly round: number;
  /** The calls waiting: for a decision (`approvals`), for the caller's result (`calls`). */
  readonly requests: DeferredToolRequests;
  /** When the run stops waiting and ends with the requests as its output. */
  readonly expiresAt: Date;
}

/** The default messaging: the DBOS class of this process (a launched DBOS app). */
async function defaultMessaging(): Promise<DbosMessaging> {
  return (await loadDbosSdk()).DBOS;
}

/**
 * The calls a durable run waits on, or undefined when it waits for nothing (not paused, finished,
 * or no such run). Reads without waiting.
 */
export async function pendingRequests(workflowId: string, via?: DbosMessaging): Promise<PendingRequests | undefined> {
  const messaging = via ?? (await defaultMessaging());
  const event = await messaging.getEvent<PendingEvent>(workflowId, PENDING_EVENT, 0);
  if (!event) return undefined;
  return { workflowId, round: event.round, requests: new DeferredToolRequests(event.approvals, event.calls), expiresAt: new Date(event.expiresAt) };
}

/**
 * Sends decisions on a waiting run's approvals and the results of its external calls (keyed by
 * call id; see DeferredToolResults). Checked first against what the run waits on: a UserError
 * when it waits for nothing, or for an id that is not one of its pending calls. The run resumes
 * in whichever worker holds it; calls left undecided are asked again.
 */
export async function sendResults(workflowId: string, results: DeferredToolResults, via?: DbosMessaging): Promise<void> {
  const messaging = via ?? (await defaultMessaging());
  const pending = await pendingRequests(workflowId, messaging);
  if (!pending) throw new UserError(`durable run ${workflowId} is not waiting for decisions`);
  const checked = pending.requests.results({ approvals: { ...results.approvals }, calls: { ...results.calls } });
  const message: ResultsMessage = { round: pending.round, results: checked };
  await messaging.send(workflowId, message, RESULTS_TOPIC, `${workflowId}/${RESULTS_TOPIC}/${pending.round}`);
}
