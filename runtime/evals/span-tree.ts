/**
 * The spans of a run as evaluators see them: a tree of plain records (name, attributes, timing,
 * status), built from what an in-memory OpenTelemetry exporter captured.
 */

/** One span and its children. */
export interface SpanNode {
  name: string;
  /** Attribute values; arrays as the SDK keeps them. */
  attributes: Readonly<Record<string, unknown>>;
  /** Milliseconds from the first span's start. */
  startMs: number;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  /** The status message of an error span. */
  statusMessage?: string;
  children: readonly SpanNode[];
}
