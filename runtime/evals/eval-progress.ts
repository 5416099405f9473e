/**
 * What a runner tells about its progress, as runs start, retry and end: a command line draws a
 * progress bar from it, a test counts the runs in flight.
 */
import type { EvalStatus } from './eval-report.js';

/** One step of an eval run. */
export interface EvalProgress {
  /** `start`: a run began; `retry`: its attempt failed in transport and is retried; `end`: it ended. */
  kind: 'start' | 'retry' | 'end';
  dataset: string;
  case: string;
  repeat: number;
  /** How the run ended (`end` only). */
  status?: EvalStatus;
  /** The transport error being retried (`retry` only). */
  error?: string;
  /** Runs ended so far, and in all. */
  done: number;
  total: number;
  /** Runs in flight after this step. */
  inFlight: number;
}
