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
import type { RunTrace, RunTraceInfo, Tracing } from './trace-hooks.js';

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

/**
 * The trace of a run that starts now, or undefined when it is not traced. The first setting
 * given wins: the run's, the agent's, the enclosing run's (a delegate nests under its caller), the
 * global one.
 */
export function startRunTrace(runSetting: Instrument | undefined, agentSetting: Instrument | undefined, info: RunTraceInfo): RunTrace | undefined {
  const parent = activeTraceNode();
  const chosen = runSetting ?? agentSetting;
  const settings = chosen !== undefined ? settingsOf(chosen) : (parent?.settings ?? global);
  if (settings === undefined) return undefined;
  if (registered === undefined)
    throw new UserError(
      `agent ${info.agentName}: instrument is on, but no tracing is loaded: add \`import 'schemantic/telemetry'\` (and install @opentelemetry/api)`,
    );
  return registered.startRun(settings, info, parent);
}
