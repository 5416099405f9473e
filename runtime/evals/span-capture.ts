/**
 * Capturing the spans of one run, for span evaluators: a tracer provider of its own (so runs
 * going on at the same time never mix their spans) exporting to memory, and the finished spans
 * as a tree of plain records.
 *
 * The OpenTelemetry packages are optional peers of Schemantic: they, and the tracing
 * implementation (`schemantic/telemetry`), are loaded here on first use only.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { UserError } from '../contract/errors.js';
import type { InstrumentationSettings } from '../telemetry/settings.js';
import type { SpanNode } from './span-tree.js';

/** The capture of one run's spans. */
export interface SpanCapture {
  /** The run's `instrument` setting: tracing to this capture's tracer provider. */
  instrument: InstrumentationSettings;
  /** The spans finished so far, as trees (roots first, children in start order). */
  spans(): SpanNode[];
  /** Ends the capture (its provider is shut down; spans() still answers, with the spans finished before). Idempotent. */
  shutdown(): Promise<void>;
}

type SdkTraceBase = typeof import('@opentelemetry/sdk-trace-base');

let sdk: Promise<SdkTraceBase> | undefined;

/** The SDK, and the tracing implementation registered (importing `schemantic/telemetry` again registers the same one: harmless). */
function loadSdk(): Promise<SdkTraceBase> {
  sdk ??= Promise.all([import('@opentelemetry/sdk-trace-base'), import('../telemetry/index.js')]).then(
    ([module]) => module,
    (err: unknown) => {
      sdk = undefined;
      throw new UserError(
        `capturing spans (for span evaluators) needs OpenTelemetry: npm install @opentelemetry/api @opentelemetry/sdk-trace-base (${(err as Error).message})`,
        { cause: err },
      );
    },
  );
  return sdk;
}

/**
 * Starts capturing the spans of one run: pass `instrument` to the run, then read `spans()` when
 * it is over. `settings` are the rest of the run's tracing settings (`includeContent`, ...).
 */
export async function startSpanCapture(settings: Omit<InstrumentationSettings, 'tracerProvider'> = {}): Promise<SpanCapture> {
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await loadSdk();
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let kept: readonly ReadableSpan[] | undefined;
  let ended: Promise<void> | undefined;
  return {
    instrument: { ...settings, tracerProvider },
    spans: () => spanTree(kept ?? exporter.getFinishedSpans()),
    shutdown: () => {
      // Kept before the shutdown, which empties the exporter; a second call waits for the first.
      kept ??= [...exporter.getFinishedSpans()];
      ended ??= tracerProvider.shutdown();
      return ended;
    },
  };
}

const STATUS = ['unset', 'ok', 'error'] as const;

function ms([seconds, nanos]: readonly [number, number]): number {
  return seconds * 1000 + nanos / 1e6;
}

/** Finished spans as trees by parent span id; a span whose parent was not captured is a root. */
function spanTree(spans: readonly ReadableSpan[]): SpanNode[] {
  const origin = Math.min(...spans.map((s) => ms(s.startTime)));
  const nodes = new Map<string, { node: SpanNode & { children: SpanNode[] }; start: number; parent: string | undefined }>();
  for (const span of spans) {
    const start = ms(span.startTime);
    const node: SpanNode & { children: SpanNode[] } = {
      name: span.name,
      attributes: { ...span.attributes },
      startMs: start - origin,
      durationMs: ms(span.duration),
      status: STATUS[span.status.code] ?? 'unset',
      children: [],
    };
    if (span.status.message) node.statusMessage = span.status.message;
    nodes.set(span.spanContext().spanId, { node, start, parent: span.parentSpanContext?.spanId });
  }
  const roots: SpanNode[] = [];
  for (const { node, parent } of nodes.values()) (parent !== undefined && nodes.has(parent) ? nodes.get(parent)!.node.children : roots).push(node);
  const byStart = (a: SpanNode, b: SpanNode) => a.startMs - b.startMs;
  for (const { node } of nodes.values()) node.children.sort(byStart);
  return roots.sort(byStart);
}
