/**
 * `schemantic/telemetry`: OpenTelemetry traces and metrics of agent runs, following the GenAI
 * semantic conventions. Importing it registers the implementation; then `instrument: true` on an
 * agent or a run (or `instrumentAllAgents()`) traces runs through the global tracer and meter
 * providers, or the ones given in the settings. Needs `@opentelemetry/api` (an optional peer
 * dependency of `schemantic`); an SDK (`@opentelemetry/sdk-node`, or a tracer provider you
 * register) decides where the spans go.
 */
import { registerTracing, setGlobalInstrumentation, type Instrument } from './instrumentation.js';
import { otelTracing } from './otel/otel-tracing.js';

export type { Instrument, InstrumentationSettings, MeterProviderLike, TracerProviderLike } from './instrumentation.js';
export { GENAI_SEMCONV_VERSION } from './otel/genai-attributes.js';

registerTracing(otelTracing);

/**
 * Traces every agent's runs (those whose agent or run sets no `instrument` of its own): `true`
 * (default) with default settings, settings, or `false` to stop.
 */
export function instrumentAllAgents(instrument: Instrument = true): void {
  setGlobalInstrumentation(instrument);
}
