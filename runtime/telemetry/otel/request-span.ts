/**
 * `chat {model}`: the span of one model request, a child of its run's. It carries the request
 * (provider, model, settings, output type), the response (model, id, finish reason, tokens), the
 * server, for a streamed request the time to its first chunk, and as children each model a
 * FallbackModel tried and each HTTP attempt (the SDK's retries included). It feeds the metrics.
 */
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { ModelResponse } from '../../contract/messages.js';
import type { Model } from '../../contract/model.js';
import type { RequestTrace, RunTrace } from '../trace-hooks.js';
import { errorType, finishReason, providerAttributes, serverAttributes, settingsAttributes, usageAttributes } from './genai-attributes.js';
import { inputMessagesJson, instructionsJson, legacyChoiceEvent, legacyInputEvents, outputMessagesJson } from './genai-messages.js';
import type { RunParent } from './run-parent.js';
import { recordSafely } from './record-safely.js';
import { recordCancelled, recordError } from './span-errors.js';
import { redactText } from '../../contract/redact.js';

/** Seconds since a `performance.now()` reading. */
function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

/** The trace of one model request, on OpenTelemetry. */
export class OtelRequestTrace implements RequestTrace {
  readonly kind = 'request';
  readonly context: Context;
  private readonly span: Span;
  private readonly started = performance.now();
  /** The dimensions of this request's metrics (the response model and server are added as they are known). */
  private readonly metricAttributes: Attributes;
  private serverKnown = false;
  private httpAttempts = 0;
  private ended = false;

  constructor(
    private readonly run: RunParent,
    info: Parameters<RunTrace['request']>[0],
  ) {
    const { semconv, includeContent } = run.instruments;
    const provider = providerAttributes(semconv, info.model.system);
    this.metricAttributes = { 'gen_ai.operation.name': 'chat', ...provider, 'gen_ai.request.model': info.model.name };
    this.span = run.instruments.tracer.startSpan(
      `chat ${info.model.name}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          ...this.metricAttributes,
          ...settingsAttributes(info.settings),
          'gen_ai.output.type': info.params.outputMode === 'text' ? 'text' : 'json',
          'schemantic.request.streamed': info.streamed,
        },
      },
      run.context,
    );
    this.context = trace.setSpan(run.context, this.span);
    if (includeContent && this.span.isRecording()) recordSafely('the request messages', () => this.recordInput(info));
  }

  /** Content capture: the messages sent, as attributes (latest) or events (1.36). */
  private recordInput(info: Parameters<RunTrace['request']>[0]): void {
    const { semconv, includeBinaryContent } = this.run.instruments;
    const last = info.messages[info.messages.length - 1];
    const instructions = last?.kind === 'request' ? last.instructions : undefined;
    if (semconv === 'latest') {
      this.span.setAttribute('gen_ai.input.messages', inputMessagesJson(info.messages, includeBinaryContent));
      if (instructions !== undefined) this.span.setAttribute('gen_ai.system_instructions', instructionsJson(instructions));
    } else {
      const system = info.model.system;
      if (instructions !== undefined) this.span.addEvent('gen_ai.system.message', { 'gen_ai.system': system, content: redactText(instructions) });
      for (const event of legacyInputEvents(info.messages, system)) this.span.addEvent(event.name, event.attributes);
    }
  }

  get settings() {
    return this.run.settings;
  }

  enter<T>(fn: () => T): T {
    return context.with(this.context, fn);
  }

  firstChunk(): void {
    const seconds = secondsSince(this.started);
    if (this.run.instruments.semconv !== 'latest') return;
    this.span.setAttribute('gen_ai.response.time_to_first_chunk', seconds);
    // A copy: the SDK keeps the object it is given, and this one grows (server, response model).
    this.run.instruments.metrics.recordFirstChunk(seconds, { ...this.metricAttributes });
  }

  server(baseUrl: string): void {
    if (this.serverKnown) return;
    this.serverKnown = true;
    const attributes = serverAttributes(baseUrl);
    this.span.setAttributes(attributes);
    Object.assign(this.metricAttributes, attributes);
  }

  attempt(model: Model): { end(error?: unknown): void } {
    const span = this.run.instruments.tracer.startSpan(
      `chat ${model.name}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'chat',
          ...providerAttributes(this.run.instruments.semconv, model.system),
          'gen_ai.request.model': model.name,
          'schemantic.fallback.attempt': true,
        },
      },
      this.context,
    );
    let ended = false;
    return {
      end(error?: unknown) {
        if (ended) return;
        ended = true;
        if (error !== undefined) recordError(span, error);
        span.end();
      },
    };
  }

  http(method: string, url: string): { end(status: number | undefined, error?: unknown): void } {
    const resend = this.httpAttempts++;
    const where = serverAttributes(url);
    let path = '';
    try {
      const parsed = new URL(url);
      // Only where it went: never the query (some providers put keys there) nor credentials.
      path = redactText(`${parsed.protocol}//${parsed.host}${parsed.pathname}`);
    } catch {
      path = '';
    }
    if (!this.serverKnown && where['server.address'] !== undefined) this.server(url);
    const span = this.run.instruments.tracer.startSpan(
      method.toUpperCase(),
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': method.toUpperCase(),
          ...where,
          ...(path !== '' ? { 'url.full': path } : {}),
          ...(resend > 0 ? { 'http.request.resend_count': resend } : {}),
        },
      },
      this.context,
    );
    return {
      end(status: number | undefined, error?: unknown) {
        if (status !== undefined) span.setAttribute('http.response.status_code', status);
        if (error !== undefined) recordError(span, error);
        else if (status !== undefined && status >= 400) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.setAttribute('error.type', String(status));
        }
        span.end();
      },
    };
  }

  end(outcome: { response: ModelResponse } | { error: unknown; cancelled?: boolean }): void {
    if (this.ended) return;
    this.ended = true;
    // recordSafely never throws: the span always ends.
    recordSafely('the end of a model request', () => this.recordEnd(outcome));
    this.span.end();
  }

  private recordEnd(outcome: { response: ModelResponse } | { error: unknown; cancelled?: boolean }): void {
    const { semconv, metrics, includeContent } = this.run.instruments;
    const span = this.span;
    const seconds = secondsSince(this.started);
    if ('response' in outcome) {
      const response = outcome.response;
      this.run.addUsage(response.usage);
      this.metricAttributes['gen_ai.response.model'] = response.modelName;
      span.setAttributes({ 'gen_ai.response.model': response.modelName, ...usageAttributes(semconv, response.usage) });
      if (response.providerResponseId !== undefined) span.setAttribute('gen_ai.response.id', response.providerResponseId);
      if (response.finishReason !== undefined) span.setAttribute('gen_ai.response.finish_reasons', [finishReason(response.finishReason)]);
      if (includeContent && span.isRecording()) {
        if (semconv === 'latest') span.setAttribute('gen_ai.output.messages', outputMessagesJson(response));
        else {
          const choice = legacyChoiceEvent(response, String(this.metricAttributes['gen_ai.system']));
          span.addEvent(choice.name, choice.attributes);
        }
      }
      metrics.recordUsage(response.usage, this.metricAttributes);
      metrics.recordDuration(seconds, { ...this.metricAttributes });
    } else {
      if (outcome.cancelled) recordCancelled(span, outcome.error);
      else recordError(span, outcome.error);
      metrics.recordDuration(seconds, { ...this.metricAttributes, 'error.type': outcome.cancelled ? 'cancelled' : errorType(outcome.error) });
    }
  }
}
