/**
 * The Responses API's own ids of the items a response is made of, kept in the response's
 * `providerDetails` so that a history replayed to this API can name them again. The neutral parts
 * have no place for them (a tool call's id is the `call_id` the tool result answers, not the
 * item's `fc_...` id), and the API refuses a reasoning item sent back without the item that
 * followed it: the message or function call with its id.
 *
 * `messageIds[i]` is the id of the message item of the i-th text part; `functionCallIds` maps a
 * call id to its function call item's id. Other providers ignore both.
 */
import type { ModelResponse } from '../../contract/messages.js';

/** The item ids kept for one response. */
export interface ResponseItemIds {
  /** Message item ids (`msg_...`), one per text part, in order. */
  messageIds: string[];
  /** Function call item ids (`fc_...`) by call id (`call_...`). */
  functionCallIds: Record<string, string>;
}

/** The item ids a response carries (none for a response from another API, or edited by hand). */
export function responseItemIds(response: ModelResponse): ResponseItemIds {
  const details = response.providerDetails ?? {};
  const messageIds = Array.isArray(details['messageIds']) ? details['messageIds'].filter((id): id is string => typeof id === 'string') : [];
  const calls = details['functionCallIds'];
  const functionCallIds: Record<string, string> = {};
  if (calls !== null && typeof calls === 'object' && !Array.isArray(calls)) {
    for (const [callId, id] of Object.entries(calls)) if (typeof id === 'string') functionCallIds[callId] = id;
  }
  return { messageIds, functionCallIds };
}

/** The provider details of a response: its status, and the item ids when there are any. */
export function responseDetails(status: string | undefined, ids: ResponseItemIds, incompleteReason?: string): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  if (status !== undefined) details['status'] = status;
  if (incompleteReason !== undefined) details['incompleteReason'] = incompleteReason;
  if (ids.messageIds.length > 0) details['messageIds'] = ids.messageIds;
  if (Object.keys(ids.functionCallIds).length > 0) details['functionCallIds'] = ids.functionCallIds;
  return details;
}
