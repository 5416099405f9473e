/**
 * What the run loop tells a trace, as plain calls on neutral data: the seam between the runtime
 * and a tracing implementation (`schemantic/telemetry` implements it with OpenTelemetry). The run
 * loop calls these only when a run is traced, so an untraced run makes none of them.
 */
import type { ModelMessage, ModelResponse, ToolCallPart, UserContent } from '../contract/messages.js';
import type { Model, ModelRequestParameters } from '../contract/model.js';
import type { ModelSettings } from '../contract/spec.js';
import type { InstrumentationSettings } from './settings.js';

/** What a trace knows of a run when it starts. */
export interface RunTraceInfo {
  agentName: string;
  /** A fresh id per run (`gen_ai.agent.call.id`... see the implementation). */
  runId: string;
  /** The conversation this run belongs to, when the caller said. */
  conversationId?: string;
  model: Model;
  prompt: string | readonly UserContent[];
  /** A W3C trace context carrier (`traceparent`, `tracestate`) the run continues, e.g. from an incoming HTTP request. */
  traceContext?: Readonly<Record<string, string>>;
}

/** How a run ended. */
export type RunOutcome = { kind: 'success'; output: unknown } | { kind: 'error'; error: unknown } | { kind: 'cancelled'; reason: unknown };

/** A span a run can be inside: what nested runs, fallback attempts and HTTP attempts hang under. */
export interface TraceNode {
  readonly kind: 'run' | 'request' | 'tool';
  /** The settings of the run this span belongs to (a delegate inherits them). */
  readonly settings: InstrumentationSettings;
  /** Runs `fn` with this span as the tracing library's current one (user code inside nests under it). */
  enter<T>(fn: () => T): T;
}

/** The trace of one run. */
export interface RunTrace extends TraceNode {
  readonly kind: 'run';
  /** A model request starts (after its parameters are prepared). */
  request(info: {
    model: Model;
    settings: ModelSettings | undefined;
    params: ModelRequestParameters;
    messages: readonly ModelMessage[];
    streamed: boolean;
  }): RequestTrace;
  /** A function tool call starts. */
  tool(call: ToolCallPart, retry: number): ToolTrace;
  /** The model's output was rejected and the model is asked again (validation failure or ModelRetry). */
  outputRetry(message: string, toolName: string | undefined): void;
  /** The run ended (once; later calls are ignored). */
  end(outcome: RunOutcome): void;
}

/** The trace of one model request. */
export interface RequestTrace extends TraceNode {
  readonly kind: 'request';
  /** The first event of a streamed response arrived. */
  firstChunk(): void;
  /** The server the request goes to (a base URL), when known. */
  server(baseUrl: string): void;
  /** One model tried by a FallbackModel: returns what ends that attempt. */
  attempt(model: Model): { end(error?: unknown): void };
  /** One HTTP attempt of the SDK call (a retry is another): returns what ends it. */
  http(method: string, url: string): { end(status: number | undefined, error?: unknown): void };
  /** The request ended: with its response, or with an error (or cancelled). */
  end(outcome: { response: ModelResponse } | { error: unknown; cancelled?: boolean }): void;
}

/** The trace of one function tool call. */
export interface ToolTrace extends TraceNode {
  readonly kind: 'tool';
  /** The call ended: its result, a retry prompt for the model (bad arguments, ModelRetry), or an error that ends the run. */
  end(outcome: { result: unknown } | { retry: string; cause?: unknown } | { error: unknown; cancelled?: boolean }): void;
}

/** What a tracing implementation provides: a trace for a run that starts (none when nothing would record it). */
export interface Tracing {
  startRun(settings: InstrumentationSettings, info: RunTraceInfo, parent: TraceNode | undefined): RunTrace | undefined;
}
