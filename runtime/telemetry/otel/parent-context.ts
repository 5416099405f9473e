/**
 * Where a run's span hangs: under the span of the run or tool call it runs inside (a delegate),
 * under a remote span whose W3C trace context the caller passed (a run served over HTTP), or under
 * the span current where it starts (a user's HTTP request span, through OpenTelemetry's context).
 */
import { context, propagation, trace, TraceFlags, type Context } from '@opentelemetry/api';

/** A span of ours that others nest under. */
export interface ContextHolder {
  readonly context: Context;
}

/** `version-traceId-spanId-flags`, lower-case hex, as W3C Trace Context defines `traceparent`. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The context of a remote parent: through the registered propagator when there is one (it reads
 * `tracestate` and baggage too), else from `traceparent` read here, so that a receiver works
 * whatever the app registered. A malformed header is ignored (the run starts a new trace).
 */
export function remoteContext(carrier: Readonly<Record<string, string>>): Context {
  const base = context.active();
  const extracted = propagation.extract(base, carrier);
  if (trace.getSpanContext(extracted)) return extracted;
  const header = Object.entries(carrier).find(([k]) => k.toLowerCase() === 'traceparent')?.[1];
  const match = header !== undefined ? TRACEPARENT.exec(header.trim()) : null;
  if (!match || match[1] === 'ff' || /^0+$/.test(match[2]!) || /^0+$/.test(match[3]!)) return base;
  const flags = parseInt(match[4]!, 16) & TraceFlags.SAMPLED;
  return trace.setSpanContext(base, { traceId: match[2]!, spanId: match[3]!, traceFlags: flags, isRemote: true });
}

/** The parent context of a run's span. */
export function runParentContext(parent: object | undefined, carrier: Readonly<Record<string, string>> | undefined): Context {
  if (carrier) return remoteContext(carrier);
  if (parent && 'context' in parent) return (parent as ContextHolder).context;
  return context.active();
}
