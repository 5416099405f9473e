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

/** The value of a header in a carrier, whatever its casing; the first of several; undefined unless text. */
function header(carrier: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const key = Object.keys(carrier).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : carrier[key];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/**
 * The context of a remote parent, or undefined when the carrier names none: through the
 * registered propagator when there is one (it reads `tracestate` and baggage too), else from
 * `traceparent` read here, so that a receiver works whatever the app registered. A malformed
 * header names no parent.
 */
export function remoteContext(carrier: Readonly<Record<string, unknown>>): Context | undefined {
  const base = context.active();
  // Propagators read lower-case names of text values; a carrier from elsewhere may have neither.
  const normalised: Record<string, string> = {};
  for (const name of ['traceparent', 'tracestate', 'baggage']) {
    const value = header(carrier, name);
    if (value !== undefined) normalised[name] = value;
  }
  const extracted = propagation.extract(base, normalised);
  if (trace.getSpanContext(extracted) && trace.getSpanContext(extracted) !== trace.getSpanContext(base)) return extracted;
  const match = normalised['traceparent'] !== undefined ? TRACEPARENT.exec(normalised['traceparent'].trim()) : null;
  if (!match || match[1] === 'ff' || /^0+$/.test(match[2]!) || /^0+$/.test(match[3]!)) return undefined;
  const flags = parseInt(match[4]!, 16) & TraceFlags.SAMPLED;
  return trace.setSpanContext(base, { traceId: match[2]!, spanId: match[3]!, traceFlags: flags, isRemote: true });
}

/**
 * The parent context of a run's span: the remote parent the caller passed, else the span of the
 * run or tool it runs inside, else the current span (a carrier naming no parent, as a request
 * without trace headers gives, changes nothing).
 */
export function runParentContext(parent: object | undefined, carrier: Readonly<Record<string, unknown>> | undefined): Context {
  const remote = carrier ? remoteContext(carrier) : undefined;
  if (remote) return remote;
  if (parent && 'context' in parent) return (parent as ContextHolder).context;
  return context.active();
}
