/**
 * Whether a run is traced, and with what settings: `instrument` on a run, on an agent, inherited
 * from the run a delegate runs inside, or set for every agent (`instrumentAllAgents` in
 * `schemantic/telemetry`). The runtime itself knows no tracing library: `schemantic/telemetry`
 * registers the OpenTelemetry implementation when it is imported, as the provider entry points
 * register their models. Until then, and whenever `instrument` is off, a run carries no trace and
 * pays nothing for one.
 */
import { UserError } from '../contract/errors.js';
import { activeTraceNode } from './active-trace.js';
import type { Instrument, InstrumentationSettings } from './settings.js';
import type { RunTrace, RunTraceInfo, TraceNode, Tracing } from './trace-hooks.js';

export type { Instrument, InstrumentationSettings, MeterProviderLike, TracerProviderLike } from './settings.js';

let registered: Tracing | undefined;
let global: InstrumentationSettings | undefined;

/** Installs the tracing implementation (`schemantic/telemetry` does, on import). */
export function registerTracing(tracing: Tracing): void {
  registered = tracing;
}

/** Sets (or, with false, clears) the instrumentation of every agent without its own setting. */
export function setGlobalInstrumentation(instrument: Instrument): void {
  global = settingsOf(instrument);
}

function settingsOf(instrument: Instrument): InstrumentationSettings | undefined {
  return instrument === false ? undefined : instrument === true ? {} : instrument;
}

/** A run that is traced: with which settings, under which span (if it starts inside one). */
export interface TracedRun {
  settings: InstrumentationSettings;
  parent: TraceNode | undefined;
}

/**
 * Whether a run that starts now is traced: its settings (and the span it starts inside);
 * `detached` for an untraced run inside a traced span (its steps then run outside that span);
 * undefined for an untraced run anywhere else. The first setting given wins: the run's, the
 * agent's, the enclosing run's (a delegate nests under its caller), the global one.
 */
export function runTracing(runSetting: Instrument | undefined, agentSetting: Instrument | undefined): TracedRun | 'detached' | undefined {
  const parent = activeTraceNode();
  const chosen = runSetting ?? agentSetting;
  const settings = chosen !== undefined ? settingsOf(chosen) : (parent?.settings ?? global);
  if (settings === undefined) return parent ? 'detached' : undefined;
  return { settings, parent };
}

/** The trace of a traced run (`detached` when the implementation finds that nothing would record it, inside a span). */
export function startRunTrace(traced: TracedRun, info: RunTraceInfo): RunTrace | 'detached' | undefined {
  if (registered === undefined)
    throw new UserError(
      `agent ${info.agentName}: instrument is on, but no tracing is loaded: add \`import 'schemantic/telemetry'\` (and install @opentelemetry/api)`,
    );
  return registered.startRun(traced.settings, info, traced.parent) ?? (traced.parent ? 'detached' : undefined);
}
