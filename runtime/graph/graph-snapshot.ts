/**
 * A graph run's snapshot: everything needed to go on with it, as plain versioned JSON, saved after
 * each node. Resuming needs nothing else (another process, another machine): the state, the node
 * that runs next and its input, and the history so far.
 */
import { GraphSnapshotError } from './graph-errors.js';
import type { GraphHistoryEntry } from './graph-result.js';
import { isJsonObject } from '../schema/json-kinds.js';

/** The format's name, in every snapshot (tells it from other JSON in a store). */
export const GRAPH_SNAPSHOT_FORMAT = 'schemantic.graph-run';

/** Where a run stands: a node to run, a node that waits for a reply, or the end. */
export type GraphRunStatus = 'running' | 'waiting' | 'ended';

/** A graph run after its latest node. */
export interface GraphSnapshot {
  readonly format: typeof GRAPH_SNAPSHOT_FORMAT;
  /** The version of this format (1). */
  readonly version: 1;
  /** The graph that ran it: only that graph resumes it. */
  readonly graph: string;
  readonly runId: string;
  /**
   * `running`: `next` runs when the run is resumed (a process stopped between nodes); `waiting`:
   * `next` waits for a reply; `ended`: the run is over, with its `output`.
   */
  readonly status: GraphRunStatus;
  /** The state after the latest node (valid against the state schema). */
  readonly state: unknown;
  /** The node that runs next and the data it was made with (absent once ended). */
  readonly next?: { readonly node: string; readonly input?: unknown };
  /** The graph's output, once ended. */
  readonly output?: unknown;
  /** Every node run so far. */
  readonly history: readonly GraphHistoryEntry[];
}

const STATUSES: readonly string[] = ['running', 'waiting', 'ended'];

/**
 * Reads a stored snapshot (JSON text or parsed data), checking its shape; `where` names it in
 * errors (`file runs/abc.json`). Throws {@link GraphSnapshotError} saying what is wrong.
 */
export function readGraphSnapshot(stored: unknown, where = 'a graph snapshot'): GraphSnapshot {
  let value = stored;
  if (typeof stored === 'string') {
    try {
      value = JSON.parse(stored);
    } catch (err) {
      throw new GraphSnapshotError(undefined, undefined, `${where} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
  }
  const fail = (problem: string) => new GraphSnapshotError(undefined, undefined, `${where} ${problem}`);
  if (!isJsonObject(value)) throw fail('is not a graph snapshot (not an object)');
  if (value['format'] !== GRAPH_SNAPSHOT_FORMAT)
    throw fail(`is not a graph snapshot: format is ${JSON.stringify(value['format'])}, expected "${GRAPH_SNAPSHOT_FORMAT}"`);
  if (value['version'] !== 1) throw fail(`has version ${JSON.stringify(value['version'])}, which this runtime does not read (it reads version 1)`);
  if (typeof value['graph'] !== 'string') throw fail('names no graph (`graph`, a string)');
  if (typeof value['runId'] !== 'string') throw fail('has no run id (`runId`, a string)');
  const status = value['status'];
  if (typeof status !== 'string' || !STATUSES.includes(status)) throw fail(`has status ${JSON.stringify(status)} (expected one of ${STATUSES.join(', ')})`);
  if (!Object.hasOwn(value, 'state')) throw fail('has no state');
  const next = value['next'];
  if (status !== 'ended' && !(isJsonObject(next) && typeof next['node'] === 'string')) throw fail(`is ${status} but names no next node (\`next.node\`)`);
  const history = value['history'];
  if (!Array.isArray(history)) throw fail('has no history (`history`, an array)');
  history.forEach((entry: unknown, i) => {
    if (!isJsonObject(entry) || typeof entry['node'] !== 'string' || typeof entry['startedAt'] !== 'string' || typeof entry['endedAt'] !== 'string')
      throw fail(`has a malformed history entry ${i} (expected node, startedAt, endedAt, state)`);
  });
  return value as unknown as GraphSnapshot;
}
