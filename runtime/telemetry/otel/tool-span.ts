/**
 * `execute_tool {tool}`: the span of one function tool call, a child of its run's. A call the
 * model must retry (arguments that fail the schema, a handler's ModelRetry) is marked an error
 * with the retry prompt's reason, not hidden; a delegate agent's run nests under it.
 */
import { context, SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import { toolCallArgsJson, type ToolCallPart } from '../../contract/messages.js';
import { redactText } from '../../contract/redact.js';
import type { ToolTrace } from '../trace-hooks.js';
import { redactedJson } from './genai-messages.js';
import type { RunParent } from './run-parent.js';
import { recordSafely } from './record-safely.js';
import { recordCancelled, recordError } from './span-errors.js';

/** The trace of one tool call, on OpenTelemetry. */
export class OtelToolTrace implements ToolTrace {
  readonly kind = 'tool';
  readonly context: Context;
  private readonly span: Span;
  private ended = false;

  constructor(
    private readonly run: RunParent,
    call: ToolCallPart,
    retry: number,
  ) {
    this.span = run.instruments.tracer.startSpan(
      `execute_tool ${call.toolName}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': call.toolName,
          'gen_ai.tool.call.id': call.toolCallId,
          'gen_ai.tool.type': 'function',
          'schemantic.tool.retry': retry,
        },
      },
      run.context,
    );
    this.context = trace.setSpan(run.context, this.span);
    // The arguments as the model sent them (malformed ones too: they are why a retry happened).
    if (this.captures()) recordSafely('tool arguments', () => this.span.setAttribute('gen_ai.tool.call.arguments', redactText(toolCallArgsJson(call))));
  }

  get settings() {
    return this.run.settings;
  }

  /** Content goes on this span (latest set only: the 1.36 set has no tool content attributes). */
  private captures(): boolean {
    return this.run.instruments.includeContent && this.run.instruments.semconv === 'latest' && this.span.isRecording();
  }

  enter<T>(fn: () => T): T {
    return context.with(this.context, fn);
  }

  end(outcome: { result: unknown } | { retry: string; cause?: unknown } | { error: unknown; cancelled?: boolean }): void {
    if (this.ended) return;
    this.ended = true;
    // recordSafely never throws: the span always ends.
    recordSafely('the end of a tool call', () => this.recordEnd(outcome));
    this.span.end();
  }

  private recordEnd(outcome: { result: unknown } | { retry: string; cause?: unknown } | { error: unknown; cancelled?: boolean }): void {
    const span = this.span;
    if ('result' in outcome) {
      span.setAttribute('schemantic.tool.outcome', 'success');
      if (this.captures()) span.setAttribute('gen_ai.tool.call.result', redactedJson(outcome.result));
    } else if ('retry' in outcome) {
      span.setAttribute('schemantic.tool.outcome', 'retry');
      // The reason the model is told; a ModelRetry keeps its class, invalid arguments are named so.
      recordError(span, new Error(outcome.retry), outcome.cause !== undefined ? errorName(outcome.cause) : 'InvalidArguments');
    } else if (outcome.cancelled) {
      span.setAttribute('schemantic.tool.outcome', 'cancelled');
      recordCancelled(span, outcome.error);
    } else {
      span.setAttribute('schemantic.tool.outcome', 'error');
      recordError(span, outcome.error);
    }
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.constructor.name || error.name : 'InvalidArguments';
}
