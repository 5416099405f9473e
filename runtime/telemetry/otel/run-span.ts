/**
 * `invoke_agent {agent}`: the span of one run. Its model requests and tool calls are its
 * children; it ends with the run's own token totals (a delegate's tokens are on the delegate's
 * span), the outcome, and with content capture on, the prompt and the output.
 */
import { context, SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import type { RequestUsage, ToolCallPart } from '../../contract/messages.js';
import { redactText } from '../../contract/redact.js';
import type { RequestTrace, RunOutcome, RunTrace, RunTraceInfo, ToolTrace } from '../trace-hooks.js';
import { providerAttributes } from './genai-attributes.js';
import { chatMessages, instructionsJson, redactedJson } from './genai-messages.js';
import type { Instruments } from './instruments.js';
import { OtelRequestTrace } from './request-span.js';
import type { RunParent } from './run-parent.js';
import { recordSafely } from './record-safely.js';
import { recordCancelled, recordError } from './span-errors.js';
import { OtelToolTrace } from './tool-span.js';

/** The trace of one run, on OpenTelemetry. */
export class OtelRunTrace implements RunTrace, RunParent {
  readonly kind = 'run';
  readonly context: Context;
  private readonly span: Span;
  private ended = false;
  private inputTokens = 0;
  private outputTokens = 0;
  private requests = 0;
  private instructions: string | undefined;

  constructor(
    readonly instruments: Instruments,
    info: RunTraceInfo,
    parent: Context,
  ) {
    this.span = instruments.tracer.startSpan(
      `invoke_agent ${info.agentName}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.name': info.agentName,
          'schemantic.run.id': info.runId,
          'gen_ai.request.model': info.model.name,
          ...providerAttributes(instruments.semconv, info.model.system),
          ...(info.conversationId !== undefined ? { 'gen_ai.conversation.id': info.conversationId } : {}),
        },
      },
      parent,
    );
    this.context = trace.setSpan(parent, this.span);
    if (instruments.includeContent && instruments.semconv === 'latest' && this.span.isRecording())
      recordSafely('the prompt', () => {
        const prompt = chatMessages(
          [{ kind: 'request', parts: [{ kind: 'user-prompt', content: typeof info.prompt === 'string' ? info.prompt : [...info.prompt], timestamp: '' }] }],
          instruments.includeBinaryContent,
        );
        this.span.setAttribute('gen_ai.input.messages', redactedJson(prompt));
      });
  }

  get settings() {
    return this.instruments.settings;
  }

  enter<T>(fn: () => T): T {
    return context.with(this.context, fn);
  }

  request(info: Parameters<RunTrace['request']>[0]): RequestTrace {
    this.requests += 1;
    const last = info.messages[info.messages.length - 1];
    if (last?.kind === 'request' && last.instructions !== undefined) this.instructions = last.instructions;
    return new OtelRequestTrace(this, info);
  }

  tool(call: ToolCallPart, retry: number): ToolTrace {
    return new OtelToolTrace(this, call, retry);
  }

  /** A request of this run answered: its tokens count towards the run's. */
  addUsage(usage: RequestUsage): void {
    this.inputTokens += usage.inputTokens;
    this.outputTokens += usage.outputTokens;
  }

  outputRetry(message: string, toolName: string | undefined): void {
    this.span.addEvent('schemantic.output.retry', { message: redactText(message), ...(toolName !== undefined ? { 'gen_ai.tool.name': toolName } : {}) });
  }

  end(outcome: RunOutcome): void {
    if (this.ended) return;
    this.ended = true;
    // recordSafely never throws: the span always ends.
    recordSafely('the end of a run', () => this.recordEnd(outcome));
    this.span.end();
  }

  private recordEnd(outcome: RunOutcome): void {
    const span = this.span;
    span.setAttributes({
      'gen_ai.usage.input_tokens': this.inputTokens,
      'gen_ai.usage.output_tokens': this.outputTokens,
      'schemantic.run.requests': this.requests,
      'schemantic.run.outcome': outcome.kind,
    });
    if (outcome.kind === 'success') {
      span.setAttribute('gen_ai.output.type', typeof outcome.output === 'string' ? 'text' : 'json');
      if (this.instruments.includeContent && this.instruments.semconv === 'latest' && span.isRecording()) {
        const content = typeof outcome.output === 'string' ? outcome.output : redactedJson(outcome.output ?? null);
        span.setAttribute('gen_ai.output.messages', redactedJson([{ role: 'assistant', parts: [{ type: 'text', content }], finish_reason: 'stop' }]));
        if (this.instructions !== undefined) span.setAttribute('gen_ai.system_instructions', instructionsJson(this.instructions));
      }
    } else if (outcome.kind === 'error') recordError(span, outcome.error);
    else recordCancelled(span, outcome.reason);
  }
}
