/**
 * Reads the body of an OTLP/HTTP JSON export (`ExportTraceServiceRequest`:
 * resourceSpans[].scopeSpans[].spans[]) into span records.
 *
 * The body comes from any process on the machine, so nothing in it is trusted: a body that is not
 * an export request at all is an {@link OtlpShapeError} (the server answers 400), while a span
 * that cannot be placed (no trace or span id, no time) is dropped and counted, as OTLP's
 * `partialSuccess.rejectedSpans` reports it. Every other missing field gets a neutral value.
 */
import { isObject } from '../../compiler/schema/walk.js';
import type { AttributeValue, Attributes, SpanEventRecord, SpanRecord, SpanStatus } from './span-record.js';

/** The spans of one export request, and how many of its spans could not be kept. */
export interface DecodedTraces {
  spans: SpanRecord[];
  rejected: number;
}

/** The body is not an export request at all; the message says what is wrong with it. */
export class OtlpShapeError extends Error {
  override name = 'OtlpShapeError';
}

/**
 * How deep array and key-value attribute values are read. OTLP sets no bound and JSON.parse reads
 * any depth, but the decoder (and the page after it) recurse: deeper values become a marker string.
 */
const MAX_VALUE_DEPTH = 32;

const KINDS: readonly SpanRecord['kind'][] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS_CODES: readonly SpanStatus['code'][] = ['unset', 'ok', 'error'];

/** Decodes an `ExportTraceServiceRequest` already parsed from JSON. */
export function decodeTraceRequest(body: unknown): DecodedTraces {
  if (!isObject(body)) throw new OtlpShapeError('expected a JSON object with "resourceSpans" (an OTLP ExportTraceServiceRequest)');
  const resourceSpans = body['resourceSpans'];
  // An empty request (`{}`) is a valid one with no spans.
  if (resourceSpans === undefined || resourceSpans === null) return { spans: [], rejected: 0 };
  if (!Array.isArray(resourceSpans)) throw new OtlpShapeError('"resourceSpans" must be an array');
  const out: DecodedTraces = { spans: [], rejected: 0 };
  for (const rs of resourceSpans) {
    if (!isObject(rs)) continue;
    const resource = decodeAttributes(isObject(rs['resource']) ? rs['resource']['attributes'] : undefined);
    // `instrumentationLibrarySpans` is what exporters sent before OTLP 0.15 (2022) renamed it.
    const scopeSpans = rs['scopeSpans'] ?? rs['instrumentationLibrarySpans'];
    if (!Array.isArray(scopeSpans)) continue;
    for (const ss of scopeSpans) {
      if (!isObject(ss) || !Array.isArray(ss['spans'])) continue;
      const scope = decodeScope(ss['scope'] ?? ss['instrumentationLibrary']);
      for (const raw of ss['spans'] as unknown[]) {
        const span = decodeSpan(raw, resource, scope);
        if (span) out.spans.push(span);
        else out.rejected++;
      }
    }
  }
  return out;
}

function decodeSpan(raw: unknown, resource: Attributes, scope: SpanRecord['scope']): SpanRecord | undefined {
  if (!isObject(raw)) return undefined;
  const traceId = decodeId(raw['traceId'], 16);
  const spanId = decodeId(raw['spanId'], 8);
  if (traceId === undefined || spanId === undefined) return undefined;
  let start = decodeNanos(raw['startTimeUnixNano']);
  let end = decodeNanos(raw['endTimeUnixNano']);
  if (start === undefined && end === undefined) return undefined;
  // One time missing: a span of no length at the other. An end before the start: the same.
  start ??= end!;
  end ??= start;
  if (end < start) end = start;
  const parentSpanId = decodeId(raw['parentSpanId'], 8);
  const span: SpanRecord = {
    traceId,
    spanId,
    ...(parentSpanId !== undefined ? { parentSpanId } : {}),
    name: typeof raw['name'] === 'string' ? raw['name'] : '',
    kind: decodeEnum(raw['kind'], KINDS, 'SPAN_KIND_') ?? 'unspecified',
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: end.toString(),
    durationMs: Number(end - start) / 1e6,
    attributes: decodeAttributes(raw['attributes']),
    events: decodeEvents(raw['events'], start),
    status: decodeStatus(raw['status']),
    resource,
  };
  if (scope) span.scope = scope;
  return span;
}

function decodeEvents(raw: unknown, spanStart: bigint): SpanEventRecord[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((e) => ({
    name: typeof e['name'] === 'string' ? e['name'] : '',
    timeUnixNano: (decodeNanos(e['timeUnixNano']) ?? spanStart).toString(),
    attributes: decodeAttributes(e['attributes']),
  }));
}

function decodeStatus(raw: unknown): SpanStatus {
  if (!isObject(raw)) return { code: 'unset' };
  const code = decodeEnum(raw['code'], STATUS_CODES, 'STATUS_CODE_') ?? 'unset';
  const message = raw['message'];
  return typeof message === 'string' && message !== '' ? { code, message } : { code };
}

function decodeScope(raw: unknown): SpanRecord['scope'] {
  if (!isObject(raw) || typeof raw['name'] !== 'string') return undefined;
  return typeof raw['version'] === 'string' && raw['version'] !== '' ? { name: raw['name'], version: raw['version'] } : { name: raw['name'] };
}

/** OTLP's `KeyValue[]` as an object (the last of repeated keys wins). */
export function decodeAttributes(raw: unknown, depth = 0): Attributes {
  const out: Attributes = Object.create(null) as Attributes;
  if (!Array.isArray(raw)) return out;
  for (const kv of raw) {
    if (isObject(kv) && typeof kv['key'] === 'string') out[kv['key']] = decodeValue(kv['value'], depth);
  }
  return out;
}

/** OTLP's `AnyValue` as plain JSON; null when it holds none of the known kinds. */
function decodeValue(raw: unknown, depth = 0): AttributeValue {
  if (!isObject(raw)) return null;
  if (typeof raw['stringValue'] === 'string') return raw['stringValue'];
  if (typeof raw['boolValue'] === 'boolean') return raw['boolValue'];
  if ('intValue' in raw) return decodeInt(raw['intValue']);
  if ('doubleValue' in raw) return decodeDouble(raw['doubleValue']);
  if (typeof raw['bytesValue'] === 'string') return raw['bytesValue'];
  if ('arrayValue' in raw || 'kvlistValue' in raw) {
    if (depth >= MAX_VALUE_DEPTH) return '(nested too deep)';
    if (isObject(raw['arrayValue'])) {
      const values = raw['arrayValue']['values'];
      return Array.isArray(values) ? values.map((v) => decodeValue(v, depth + 1)) : [];
    }
    if (isObject(raw['kvlistValue'])) return decodeAttributes(raw['kvlistValue']['values'], depth + 1);
  }
  return null;
}

/** An int64: JSON has it as a number or (protobuf's JSON mapping) a decimal string; kept exact. */
function decodeInt(raw: unknown): AttributeValue {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw !== 'string' || !/^-?\d{1,20}$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : raw;
}

/** A double: a number, or one of the strings protobuf's JSON mapping uses for what JSON lacks. */
function decodeDouble(raw: unknown): AttributeValue {
  if (typeof raw === 'number') return raw;
  if (raw === 'NaN' || raw === 'Infinity' || raw === '-Infinity') return raw;
  if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  return null;
}

/**
 * Nanoseconds since the epoch from a decimal string or a number (which JSON.parse has already
 * rounded to about a quarter of a microsecond; good enough to draw). Zero means unset in OTLP.
 */
function decodeNanos(raw: unknown): bigint | undefined {
  let n: bigint | undefined;
  if (typeof raw === 'string' && /^\d{1,20}$/.test(raw)) n = BigInt(raw);
  else if (typeof raw === 'number' && Number.isFinite(raw) && raw > 0) n = BigInt(Math.trunc(raw));
  return n !== undefined && n > 0n ? n : undefined;
}

/**
 * A trace id (16 bytes) or span id (8 bytes) as lowercase hex. OTLP/JSON writes them in hex; some
 * exporters write protobuf's default JSON form, base64, which is read too. An all-zero id is none.
 */
function decodeId(raw: unknown, bytes: number): string | undefined {
  if (typeof raw !== 'string') return undefined;
  let hex: string | undefined;
  if (raw.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(raw)) hex = raw.toLowerCase();
  else if (/^[A-Za-z0-9+/]+={0,2}$/.test(raw)) {
    const decoded = Buffer.from(raw, 'base64');
    if (decoded.length === bytes) hex = decoded.toString('hex');
  }
  return hex === undefined || /^0+$/.test(hex) ? undefined : hex;
}

/** An OTLP enum given as its number or its name (`SPAN_KIND_SERVER`, `STATUS_CODE_ERROR`). */
function decodeEnum<T extends string>(raw: unknown, names: readonly T[], prefix: string): T | undefined {
  if (typeof raw === 'number') return names[raw];
  if (typeof raw === 'string' && raw.startsWith(prefix)) return names.find((n) => n.toUpperCase() === raw.slice(prefix.length));
  return undefined;
}
