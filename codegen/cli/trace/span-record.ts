/**
 * A span as `schemantic trace` keeps it: plain JSON, what the OTLP decoder (otlp-json.ts) makes of
 * an exported span, what the store (trace-store.ts) holds and what the viewer's API serves.
 */

/** An attribute value: OTLP's AnyValue as plain JSON (bytes as base64, 64-bit integers beyond 2^53 as decimal strings). */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/** Attributes by key. Objects without a prototype, so that a key such as `__proto__` is only a key. */
export type Attributes = Record<string, AttributeValue>;

/** A span's status: OTLP's code by name, and the message an error carries. */
export interface SpanStatus {
  code: 'unset' | 'ok' | 'error';
  message?: string;
}

/** Something that happened during a span (an exception, a retry), at a time. */
export interface SpanEventRecord {
  name: string;
  /** Nanoseconds since the epoch, as a decimal string (exact: nanoseconds do not fit a JSON number). */
  timeUnixNano: string;
  attributes: Attributes;
}

/** One span. */
export interface SpanRecord {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /** The parent's span id; absent on a root span. The parent may never arrive. */
  parentSpanId?: string;
  name: string;
  kind: 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  /** Nanoseconds since the epoch, as decimal strings. */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  /** The same interval in milliseconds (for the summaries and the page). */
  durationMs: number;
  attributes: Attributes;
  events: SpanEventRecord[];
  status: SpanStatus;
  /** The attributes of the resource that emitted it (`service.name`, the SDK, ...), shared by its batch. */
  resource: Attributes;
  /** The instrumentation scope (tracer) that made it. */
  scope?: { name: string; version?: string };
}
