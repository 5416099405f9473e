/**
 * The OTLP/HTTP side of `schemantic trace`: `POST /v1/traces` in the JSON encoding, into the
 * store; `/v1/metrics` and `/v1/logs` accepted and counted, so that an app exporting all three
 * to one endpoint sees no errors.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError, sendJson } from './http-reply.js';
import { decodeTraceRequest, OtlpShapeError, type DecodedTraces } from './otlp-json.js';
import { BodyError, readBody } from './read-body.js';
import type { AddResult, TraceStore } from './trace-store.js';

/** The largest body read (compressed or not): far above an SDK's batch, far below the machine's memory. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** What the answer to a protobuf export says. */
const PROTOBUF_MESSAGE =
  'schemantic trace reads the OTLP/HTTP JSON encoding only; set OTEL_EXPORTER_OTLP_PROTOCOL=http/json in the app (or configure its exporter for JSON)';

/** Receives `POST /v1/traces`; resolves with what the store did with it, undefined when it was refused. */
export async function receiveTraces(req: IncomingMessage, res: ServerResponse, store: TraceStore): Promise<AddResult | undefined> {
  const type = mediaType(req);
  if (type === 'application/x-protobuf' || type === 'application/protobuf') {
    sendError(res, 415, PROTOBUF_MESSAGE);
    return undefined;
  }
  if (type !== 'application/json') {
    sendError(res, 415, `send the spans as Content-Type: application/json (OTLP/HTTP JSON), not ${type === '' ? 'without a Content-Type' : type}`);
    return undefined;
  }
  const body = await read(req, res);
  if (body === undefined) return undefined;
  let decoded: DecodedTraces;
  try {
    decoded = decodeTraceRequest(JSON.parse(body.toString('utf8')));
  } catch (err) {
    if (err instanceof SyntaxError) sendError(res, 400, `the body is not valid JSON: ${err.message}`);
    else if (err instanceof OtlpShapeError) sendError(res, 400, `the body is not an OTLP trace export: ${err.message}`);
    else throw err;
    return undefined;
  }
  store.reject(decoded.rejected);
  const added = store.add(decoded.spans);
  const rejected = decoded.rejected + added.dropped;
  // OTLP's answer: `partialSuccess` empty when everything was kept, else how many spans were not and why.
  const partialSuccess =
    rejected === 0
      ? {}
      : {
          rejectedSpans: rejected,
          errorMessage:
            added.dropped > 0 ? 'spans past the limit of one trace were dropped' : 'spans without a valid traceId, spanId or start time were dropped',
        };
  sendJson(res, 200, { partialSuccess });
  return added;
}

/** Receives `POST /v1/metrics` or `/v1/logs`, in any encoding: only counted. */
export async function receiveOther(req: IncomingMessage, res: ServerResponse, store: TraceStore, kind: 'metrics' | 'logs'): Promise<void> {
  if ((await read(req, res)) === undefined) return;
  store.countExport(kind);
  sendJson(res, 200, { partialSuccess: {} });
}

/** The body, or undefined once a refusal has been sent. */
async function read(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
  try {
    return await readBody(req, MAX_BODY_BYTES);
  } catch (err) {
    if (!(err instanceof BodyError)) throw err;
    if (!res.headersSent && !res.destroyed) sendError(res, err.status, err.message);
    return undefined;
  }
}

/** `application/json` of `application/json; charset=utf-8`, lowercased; empty when there is none. */
function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}
