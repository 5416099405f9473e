/**
 * Tracing never fails a run: what a span records is computed from the run's data (content,
 * errors), and a failure there (an output no serialiser takes, a library bug) is reported to
 * OpenTelemetry's diagnostic logger and dropped, never thrown into the run loop.
 */
import { diag } from '@opentelemetry/api';

/** Runs `record`; a failure is logged as OpenTelemetry diagnostics, not thrown. */
export function recordSafely(what: string, record: () => void): void {
  try {
    record();
  } catch (err) {
    diag.error(`schemantic: recording ${what} failed`, err);
  }
}
