/**
 * Graph snapshots in this process's memory: for tests, and for runs that need not outlive the
 * process. Kept as JSON text, as a database would hold them, so what comes out is a fresh copy
 * checked as any stored snapshot is, and a state that does not survive JSON fails here as it
 * would in a real store.
 */
import type { GraphPersistence } from './graph-persistence.js';
import { readGraphSnapshot, type GraphSnapshot } from './graph-snapshot.js';

/** A {@link GraphPersistence} in memory. */
export class MemoryGraphStore implements GraphPersistence {
  private readonly runs = new Map<string, string>();

  async save(runId: string, snapshot: GraphSnapshot): Promise<void> {
    this.runs.set(runId, JSON.stringify(snapshot));
  }

  async load(runId: string): Promise<GraphSnapshot | undefined> {
    const text = this.runs.get(runId);
    return text === undefined ? undefined : readGraphSnapshot(text, `the snapshot of run ${runId}`);
  }

  /** Forgets a run (nothing happens when there is none by that id). */
  async delete(runId: string): Promise<void> {
    this.runs.delete(runId);
  }

  /** The ids of the runs held, in the order they were first saved. */
  runIds(): string[] {
    return [...this.runs.keys()];
  }
}
