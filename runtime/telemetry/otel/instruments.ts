/**
 * What the spans of one run share: the tracer, the metrics, and the settings resolved.
 */
import { createNoopMeter, metrics, ProxyTracerProvider, trace, type Tracer, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import { VERSION } from '../../contract/version.js';
import type { InstrumentationSettings } from '../settings.js';
import { SCOPE_NAME, type Semconv } from './genai-attributes.js';
import { GenAiMetrics } from './genai-metrics.js';

/** The settings of a trace, every default filled in, with its tracer and metrics. */
export interface Instruments {
  tracer: Tracer;
  metrics: GenAiMetrics;
  includeContent: boolean;
  includeBinaryContent: boolean;
  semconv: Semconv;
  /** The settings as given (what a delegate's run inherits). */
  settings: InstrumentationSettings;
}

/** Tracers and metrics by provider: made once per provider (the global ones may be replaced, so they are looked up per run). */
const tracers = new WeakMap<TracerProvider, Tracer>();
const meters = new WeakMap<MeterProvider, GenAiMetrics>();

/** The API's no-op tracer provider (what a proxy delegates to until an SDK registers) and no-op meter. */
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
const NOOP_METER = createNoopMeter();

/**
 * The instruments of a run with these settings; undefined when nothing would record the run: no
 * provider given, and none registered globally (no SDK). Such a run is left untraced:
 * `instrument: true` in a library whose app has not set OpenTelemetry up then costs nearly
 * nothing, instead of building spans nobody keeps.
 */
export function instrumentsFor(settings: InstrumentationSettings): Instruments | undefined {
  const given = settings.tracerProvider !== undefined || settings.meterProvider !== undefined;
  const tracerProvider = (settings.tracerProvider as TracerProvider | undefined) ?? trace.getTracerProvider();
  const meterProvider = (settings.meterProvider as MeterProvider | undefined) ?? metrics.getMeterProvider();
  const noTracer =
    tracerProvider instanceof ProxyTracerProvider ? tracerProvider.getDelegate() === NOOP_TRACER_PROVIDER : tracerProvider === NOOP_TRACER_PROVIDER;
  if (!given && noTracer && meterProvider.getMeter(SCOPE_NAME) === NOOP_METER) return undefined;
  let tracer = tracers.get(tracerProvider);
  if (!tracer) tracers.set(tracerProvider, (tracer = tracerProvider.getTracer(SCOPE_NAME, VERSION)));
  let genAi = meters.get(meterProvider);
  if (!genAi) meters.set(meterProvider, (genAi = new GenAiMetrics(meterProvider.getMeter(SCOPE_NAME, VERSION))));
  return {
    tracer,
    metrics: genAi,
    includeContent: settings.includeContent ?? false,
    includeBinaryContent: settings.includeBinaryContent ?? false,
    semconv: settings.semconv ?? 'latest',
    settings,
  };
}
