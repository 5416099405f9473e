/**
 * Tracing on OpenTelemetry: what `schemantic/telemetry` registers with the runtime. A run's span
 * hangs under its parent (see parent-context.ts); everything below it is made by the span classes.
 */
import type { RunTrace, RunTraceInfo, TraceNode, Tracing } from '../trace-hooks.js';
import type { InstrumentationSettings } from '../settings.js';
import { instrumentsFor } from './instruments.js';
import { runParentContext } from './parent-context.js';
import { OtelRunTrace } from './run-span.js';

/** The OpenTelemetry implementation of the runtime's tracing seam. */
export const otelTracing: Tracing = {
  startRun(settings: InstrumentationSettings, info: RunTraceInfo, parent: TraceNode | undefined): RunTrace | undefined {
    const instruments = instrumentsFor(settings);
    return instruments && new OtelRunTrace(instruments, info, runParentContext(parent, info.traceContext));
  },
};
