/**
 * The OpenTelemetry SDK as a test sees it: a tracer provider exporting to memory, a meter provider
 * read on demand, and the finished spans as a tree (by parent span id).
 */
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import type { InstrumentationSettings } from 'schemantic/telemetry';

/** A metric reader the test collects from when it wants. */
class ManualReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A span as the tests compare it. */
export interface SpanNode {
  name: string;
  span: ReadableSpan;
  children: SpanNode[];
}

/** An in-memory OpenTelemetry setup, and the settings that send a run's spans and metrics to it. */
export function otelHarness() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new ManualReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const settings = (extra: InstrumentationSettings = {}): InstrumentationSettings => ({ tracerProvider, meterProvider, ...extra });

  /** The finished spans. */
  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();

  /** The finished spans as trees, children in start order. */
  const tree = (): SpanNode[] => {
    const all = spans();
    const nodes = new Map(all.map((span) => [span.spanContext().spanId, { name: span.name, span, children: [] as SpanNode[] }]));
    const roots: SpanNode[] = [];
    const byStart = (a: SpanNode, b: SpanNode) => a.span.startTime[0] - b.span.startTime[0] || a.span.startTime[1] - b.span.startTime[1];
    for (const node of nodes.values()) {
      const parent = node.span.parentSpanContext?.spanId;
      const holder = parent !== undefined ? nodes.get(parent) : undefined;
      (holder ? holder.children : roots).push(node);
    }
    for (const node of nodes.values()) node.children.sort(byStart);
    return roots.sort(byStart);
  };

  /** The names of a tree, nested: `['invoke_agent a', ['chat m', 'execute_tool t']]`. */
  const shape = (nodes: SpanNode[] = tree()): unknown[] => nodes.flatMap((n) => (n.children.length > 0 ? [n.name, shape(n.children)] : [n.name]));

  /** The data points of a histogram, by metric name. */
  const histogram = async (name: string): Promise<DataPoint<Histogram>[]> => {
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
    return (metric?.dataPoints ?? []) as DataPoint<Histogram>[];
  };

  return { exporter, tracerProvider, meterProvider, settings, spans, tree, shape, histogram, reset: () => exporter.reset() };
}

/** Every string an exported span holds: name, attributes, events, status. */
export function exportedText(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events.map((e) => ({ name: e.name, attributes: e.attributes })), status: s.status })),
  );
}
