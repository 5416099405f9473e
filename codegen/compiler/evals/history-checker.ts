/**
 * The check of a case's `history` against the runtime's message format, compiled only when some
 * dataset has a history.
 */
import { MESSAGES_FORMAT_VERSION, MESSAGES_JSON_SCHEMA } from 'schemantic/internal';
import type { LoadedEvalFile } from './load-evals.js';
import { checkData } from '../schema/data-check.js';
import { isObject } from '../schema/walk.js';

/** A check of one history (a message list): the message schema's errors, if any. */
export type HistoryCheck = (history: unknown[]) => ReturnType<typeof checkData>;

/** The checker of histories: the runtime's message JSON schema (compiled only when a dataset has a history). */
export async function historyChecker(files: readonly LoadedEvalFile[]): Promise<HistoryCheck> {
  const needed = files.some(
    (f) =>
      isObject(f.value) &&
      Array.isArray(f.value['cases']) &&
      f.value['cases'].some((c) => isObject(c) && Array.isArray(c['history']) && c['history'].length > 0),
  );
  if (!needed) return () => [];
  return (messages) => checkData(MESSAGES_JSON_SCHEMA, { version: MESSAGES_FORMAT_VERSION, messages });
}
