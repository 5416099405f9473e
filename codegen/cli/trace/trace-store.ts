/**
 * The traces `schemantic trace` has received, in memory: the most recent ones only (a trace is a
 * run), each with its spans by id, and a summary of each for the list of runs.
 */
import type { SpanRecord } from './span-record.js';

/** What the list of runs shows of a trace. */
export interface TraceSummary {
  traceId: string;
  /** The root span's name (`invoke_agent weather`); while the root has not arrived, the earliest span's. */
  name: string;
  /** `gen_ai.agent.name` of the root span, else of the earliest span that has one. */
  agentName?: string;
  /** `service.name` of the resource that sent the root span. */
  serviceName?: string;
  /** The earliest start among the trace's spans, in nanoseconds since the epoch (a decimal string). */
  startTimeUnixNano: string;
  /** From the earliest start to the latest end. */
  durationMs: number;
  spanCount: number;
  /** Tokens, each counted once: see {@link tokenTotals}. */
  inputTokens: number;
  outputTokens: number;
  /** Spans with an error status or an `error.type` attribute. */
  errorCount: number;
  /** A span without a parent has arrived. A root span ends after everything in it, so the run is over. */
  complete: boolean;
}

/** What the store has received since it started. */
export interface StoreCounts {
  traces: number;
  spans: number;
  /** Spans not kept: undecodable ones (counted by the server) and those over a trace's limit. */
  rejectedSpans: number;
  metricExports: number;
  logExports: number;
}

/** What {@link TraceStore.add} did. */
export interface AddResult {
  /** The traces that changed. */
  changed: string[];
  /** The traces whose root span arrived in this batch, summarised: the runs that just ended. */
  completed: TraceSummary[];
  /** Spans of the batch not kept (their trace is full). */
  dropped: number;
}

/** The default number of traces kept. */
export const DEFAULT_MAX_TRACES = 200;

/** Spans kept per trace: a run stuck in a loop must not take the memory of every other. */
const MAX_SPANS_PER_TRACE = 10_000;

const INPUT_TOKENS = 'gen_ai.usage.input_tokens';
const OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';

/** The most recent traces, in memory. */
export class TraceStore {
  /** By trace id, least recently updated first (a Map keeps insertion order; an update re-inserts). */
  private readonly traces = new Map<string, Map<string, SpanRecord>>();
  private readonly summaryCache = new Map<string, TraceSummary>();
  private readonly listeners = new Set<(traceIds: readonly string[]) => void>();
  private readonly maxTraces: number;
  private readonly received: StoreCounts = { traces: 0, spans: 0, rejectedSpans: 0, metricExports: 0, logExports: 0 };

  constructor(maxTraces = DEFAULT_MAX_TRACES) {
    this.maxTraces = maxTraces;
  }

  /** Adds a batch of spans (a span already held, as an exporter's retry sends it, is replaced). */
  add(spans: readonly SpanRecord[]): AddResult {
    const changed = new Set<string>();
    const rooted = new Set<string>();
    let dropped = 0;
    for (const span of spans) {
      let trace = this.traces.get(span.traceId);
      if (trace) this.traces.delete(span.traceId);
      else {
        trace = new Map();
        this.received.traces++;
      }
      this.traces.set(span.traceId, trace);
      const known = trace.has(span.spanId);
      if (!known && trace.size >= MAX_SPANS_PER_TRACE) {
        dropped++;
        continue;
      }
      if (!known && span.parentSpanId === undefined) rooted.add(span.traceId);
      if (!known) this.received.spans++;
      trace.set(span.spanId, span);
      changed.add(span.traceId);
      this.summaryCache.delete(span.traceId);
    }
    this.received.rejectedSpans += dropped;
    while (this.traces.size > this.maxTraces) {
      const oldest = this.traces.keys().next().value as string;
      this.traces.delete(oldest);
      this.summaryCache.delete(oldest);
      changed.delete(oldest);
      rooted.delete(oldest);
    }
    const ids = [...changed];
    if (ids.length > 0) for (const listener of this.listeners) listener(ids);
    return { changed: ids, completed: [...rooted].map((id) => this.summary(id)!), dropped };
  }

  /** Counts spans the server could not decode. */
  reject(count: number): void {
    this.received.rejectedSpans += count;
  }

  /** Counts an export of metrics or logs (only counted: the viewer shows traces). */
  countExport(kind: 'metrics' | 'logs'): void {
    if (kind === 'metrics') this.received.metricExports++;
    else this.received.logExports++;
  }

  /** What has been received so far. */
  counts(): StoreCounts {
    return { ...this.received };
  }

  /** Summaries of the traces held, the latest start first. */
  summaries(): TraceSummary[] {
    const all = [...this.traces.keys()].map((id) => this.summary(id)!);
    return all.reverse().sort((a, b) => compareNanos(b.startTimeUnixNano, a.startTimeUnixNano));
  }

  /** The summary of one trace, or undefined when it is not held. */
  summary(traceId: string): TraceSummary | undefined {
    const cached = this.summaryCache.get(traceId);
    if (cached) return cached;
    const trace = this.traces.get(traceId);
    if (!trace) return undefined;
    const summary = summarize(traceId, [...trace.values()]);
    this.summaryCache.set(traceId, summary);
    return summary;
  }

  /** The spans of one trace in the order of {@link byStart}, or undefined when it is not held. */
  spans(traceId: string): SpanRecord[] | undefined {
    const trace = this.traces.get(traceId);
    return trace && [...trace.values()].sort(byStart);
  }

  /** Calls `listener` with the ids of the traces each batch changed; returns the unsubscribe function. */
  onChange(listener: (traceIds: readonly string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function summarize(traceId: string, spans: readonly SpanRecord[]): TraceSummary {
  const sorted = [...spans].sort(byStart);
  const first = sorted[0]!;
  const root = sorted.find((s) => s.parentSpanId === undefined) ?? first;
  const end = spans.reduce((max, s) => (compareNanos(s.endTimeUnixNano, max) > 0 ? s.endTimeUnixNano : max), first.endTimeUnixNano);
  const agent =
    root.attributes['gen_ai.agent.name'] ?? sorted.find((s) => typeof s.attributes['gen_ai.agent.name'] === 'string')?.attributes['gen_ai.agent.name'];
  const service = root.resource['service.name'];
  return {
    traceId,
    name: root.name,
    ...(typeof agent === 'string' ? { agentName: agent } : {}),
    ...(typeof service === 'string' ? { serviceName: service } : {}),
    startTimeUnixNano: first.startTimeUnixNano,
    durationMs: Number(BigInt(end) - BigInt(first.startTimeUnixNano)) / 1e6,
    spanCount: spans.length,
    ...tokenTotals(spans),
    errorCount: spans.filter((s) => s.status.code === 'error' || s.attributes['error.type'] !== undefined).length,
    complete: spans.some((s) => s.parentSpanId === undefined),
  };
}

/**
 * The tokens of a trace, each counted once. An agent's span may carry the total of the model
 * requests inside it, and a delegate's run sits inside its caller's: only spans with no span
 * below them that also reports usage are added up (the model requests, or a run that recorded
 * none of its own).
 */
export function tokenTotals(spans: readonly SpanRecord[]): { inputTokens: number; outputTokens: number } {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const reporting = spans.filter((s) => usage(s, INPUT_TOKENS) + usage(s, OUTPUT_TOKENS) > 0);
  const covered = new Set<string>();
  for (const span of reporting) {
    // Stops at a span already marked (its ancestors are too), which also ends a cycle of parents.
    for (let id = span.parentSpanId; id !== undefined && !covered.has(id); id = byId.get(id)?.parentSpanId) covered.add(id);
  }
  const counted = reporting.filter((s) => !covered.has(s.spanId));
  return {
    inputTokens: counted.reduce((sum, s) => sum + usage(s, INPUT_TOKENS), 0),
    outputTokens: counted.reduce((sum, s) => sum + usage(s, OUTPUT_TOKENS), 0),
  };
}

function usage(span: SpanRecord, key: string): number {
  const value = span.attributes[key];
  return typeof value === 'number' && value > 0 ? value : 0;
}

/**
 * Spans by start time; of two that start together, the one that ends later first. SDKs take a
 * span's start from a clock of millisecond precision (JavaScript's `Date.now()`), so a parent
 * and the child it starts at once often share a start, and the parent ends later.
 */
function byStart(a: SpanRecord, b: SpanRecord): number {
  return compareNanos(a.startTimeUnixNano, b.startTimeUnixNano) || compareNanos(b.endTimeUnixNano, a.endTimeUnixNano);
}

/** Orders two decimal nanosecond strings (without leading zeros) as numbers. */
function compareNanos(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
