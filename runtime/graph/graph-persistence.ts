/**
 * Where graph runs keep their snapshots: after each node a run saves its latest snapshot under its
 * id, and `graph.resume(runId)` loads it, in this process or another. The snapshot is plain JSON
 * (graph-snapshot.ts), so any store can keep it: schemantic ships one in memory (`schemantic`),
 * one file per run (`schemantic/graph/file`) and a PostgreSQL table (`schemantic/graph/postgres`).
 */
import type { GraphSnapshot } from './graph-snapshot.js';

/** A store of graph snapshots, by run id. */
export interface GraphPersistence {
  /** Keeps `snapshot` as the run's latest, replacing the one before. */
  save(runId: string, snapshot: GraphSnapshot): Promise<void>;
  /**
   * The run's latest snapshot, or undefined when there is none by that id. The runtime checks
   * what it gets (readGraphSnapshot), so a store may hand back what it parsed.
   */
  load(runId: string): Promise<GraphSnapshot | undefined>;
}
