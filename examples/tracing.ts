/**
 * Tracing for the examples, on when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (`npx schemantic trace`
 * prints the value to use): every agent run is exported over OTLP/HTTP, to the local viewer or to
 * any backend. `SCHEMANTIC_TRACE_CONTENT=1` records prompts, responses and tool data too.
 *
 * This is the setup an app writes once: an OpenTelemetry tracer provider with an exporter, a
 * context manager (so runs nest under the app's own spans), and `instrumentAllAgents`.
 */
import { context, propagation, trace } from '@opentelemetry/api';

/** Starts tracing if an endpoint is configured; resolves with what flushes and stops it (or undefined). */
export async function startTracing(): Promise<(() => Promise<void>) | undefined> {
  if (!process.env['OTEL_EXPORTER_OTLP_ENDPOINT']) return undefined;
  // Loaded only when tracing is on: an example without it needs none of the SDK.
  const [
    { BasicTracerProvider, BatchSpanProcessor },
    { OTLPTraceExporter },
    { AsyncLocalStorageContextManager },
    { W3CTraceContextPropagator },
    { instrumentAllAgents },
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('schemantic/telemetry'),
  ]);
  // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT and sends to its /v1/traces.
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  instrumentAllAgents({ includeContent: process.env['SCHEMANTIC_TRACE_CONTENT'] === '1' });
  return async () => {
    try {
      await provider.shutdown();
    } catch (err) {
      // The runs went fine; only their traces did not get out. Say so, and where they were going.
      console.error(
        `could not send the traces to ${process.env['OTEL_EXPORTER_OTLP_ENDPOINT']}: ${(err as Error).message} (is \`npx schemantic trace\` running?)`,
      );
    }
  };
}
