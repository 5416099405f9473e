/**
 * A streamed model request, read event by event. Everything a run does with one event of the
 * model's stream happens here, synchronously: the event is applied to the response being
 * assembled, and a tool call's arguments are fed to its incremental parser. The one await per
 * event is the caller's, on {@link RequestStream.next}, so a reader that needs nothing more (the
 * readers of StreamedRun) handles each chunk without crossing another async generator, and builds
 * the run event (`runEvent`) only if it uses it.
 *
 * If the stream is cancelled or breaks off, what arrived is recorded as an interrupted response
 * without tool calls, so the history never holds a call without a result.
 */
import type { ModelRequest, ModelResponse, ToolCallPart } from '../contract/messages.js';
import type { ModelRequestParameters } from '../contract/model.js';
import { ResponseAssembler, type ModelStreamEvent } from '../contract/stream-events.js';
import type { AgentStreamEvent } from '../stream/events.js';
import { PartialJsonParser } from '../stream/partial-json.js';
import { beginRequest, endRequest } from './model-request.js';
import { UserError } from '../contract/errors.js';
import { keepParsedArgs } from './parsed-args.js';
import type { RunSetup, RunState } from './setup.js';
import { inTraceNode, outsideTrace } from '../telemetry/active-trace.js';
import type { RequestTrace } from '../telemetry/trace-hooks.js';

/** Options of {@link RequestStream.open}. */
export interface RequestStreamOptions {
  /** Called with the response once it is recorded (the run goes on to its tool step). */
  onResponse?: (response: ModelResponse) => void;
  /**
   * Keep the parsed arguments of output tool calls for the final validation (parsed-args.ts).
   * Not where run events are handed out: an event's `partialArgs` is that same live value, and
   * validators fill in defaults in place. (StreamedRun's `outputStream` hands it out too, as the
   * output filling in, which this value then becomes.)
   */
  keepOutputArgs?: boolean;
}

/** The incremental parser of a tool call's arguments. */
interface ArgsParser {
  parser: PartialJsonParser;
  /** Fed the whole text, from the part's start (its `args` started as a string). */
  whole: boolean;
}

/** One streamed model request: pull events with {@link next}, hand each to {@link apply}. */
export class RequestStream {
  /** Whether the last tool-call delta changed the arguments parsed so far (not whitespace, say). */
  argsChanged = false;
  private readonly assembler = new ResponseAssembler();
  private readonly parsers = new Map<number, ArgsParser>();
  /**
   * The model's stream, while it would need closing if the request stopped: set aside during a
   * pull (a pull that rejects means the stream failed, and a failed stream is not closed again,
   * as for-await does), gone once it ended.
   */
  private source: AsyncIterator<ModelStreamEvent> | undefined;
  private pulling: AsyncIterator<ModelStreamEvent> | undefined;
  /** A response, complete or interrupted, was recorded in the history. */
  private recorded = false;
  /** The request's trace, when the run is traced; `firstChunk` is reported once, then this is cleared of that duty. */
  private trace: RequestTrace | undefined;
  private awaitingFirst = false;

  private constructor(
    private readonly setup: RunSetup,
    private readonly state: RunState,
    private readonly options: RequestStreamOptions,
  ) {}

  /** Sends the request (limits checked, the request recorded) and opens the model's stream. */
  static async open(setup: RunSetup, state: RunState, request: ModelRequest, options: RequestStreamOptions = {}): Promise<RequestStream> {
    // A durable run records each response whole, as a step: there is nothing to stream on replay.
    if (setup.steps)
      throw new UserError(`agent ${setup.agentName}: a durable run's model requests are not streamed; use run() (its events come from the engine)`);
    const params = await beginRequest(setup, state, request);
    const stream = new RequestStream(setup, state, options);
    const trace = setup.trace?.request({ model: setup.model, settings: setup.settings, params, messages: state.messages, streamed: true });
    try {
      if (trace) {
        stream.trace = trace;
        stream.awaitingFirst = true;
        // Models read the request in effect when their stream is made (fallback attempts, HTTP attempts).
        stream.source = openInScope(trace, setup, state, params);
      } else stream.source = setup.detached ? openInScope(undefined, setup, state, params) : openModelStream(setup, state, params);
    } catch (err) {
      stream.interrupt(err);
      throw err;
    }
    return stream;
  }

  /**
   * The model's next event: hand it to {@link apply}, or the end to {@link complete}. If it
   * rejects, the stream is over (a stream that threw is not closed again): call {@link close}.
   */
  next(): Promise<IteratorResult<ModelStreamEvent>> {
    const source = this.source!;
    this.pulling = source;
    this.source = undefined;
    // Traced: the model's stream runs on inside the request's span, wherever its reader pulls it
    // (a detached run's, outside any).
    return this.trace || this.setup.detached ? pullInScope(this.trace, source) : source.next();
  }

  /** Applies an event: the response grows, tool call arguments are parsed. Throws UnexpectedModelBehavior for an event out of place. */
  apply(event: ModelStreamEvent): void {
    this.source = this.pulling;
    this.pulling = undefined;
    if (this.awaitingFirst) {
      this.awaitingFirst = false;
      this.trace!.firstChunk();
    }
    this.assembler.apply(event);
    switch (event.kind) {
      case 'part-start':
        if (event.part.kind === 'tool-call') {
          const parser = new PartialJsonParser();
          const whole = typeof event.part.args === 'string';
          if (whole) parser.push(event.part.args as string);
          this.parsers.set(event.index, { parser, whole });
        }
        return;
      case 'part-delta': {
        const delta = event.delta;
        if (delta.kind !== 'tool-call') return;
        const args = this.parsers.get(event.index);
        this.argsChanged = delta.argsDelta !== undefined && args !== undefined && args.parser.push(delta.argsDelta);
        return;
      }
      case 'part-end':
        if (this.options.keepOutputArgs) this.keepArgs(event.index);
        this.parsers.delete(event.index);
        return;
      case 'finish':
        return;
    }
  }

  /** The arguments of the tool call at `index` parsed so far (live), while the call streams. */
  partialArgs(index: number): unknown {
    return this.parsers.get(index)?.parser.value;
  }

  /**
   * The run event of an event just applied (undefined for the finish event, or the end of a part
   * never started). Tool-call deltas carry the arguments parsed so far.
   */
  runEvent(event: ModelStreamEvent): AgentStreamEvent | undefined {
    switch (event.kind) {
      case 'part-start':
        return { kind: 'part-start', index: event.index, part: event.part };
      case 'part-delta': {
        const delta = event.delta;
        if (delta.kind !== 'tool-call') return { kind: 'part-delta', index: event.index, delta };
        const part = this.assembler.part(event.index);
        const toolName = part?.kind === 'tool-call' ? part.toolName : '';
        const toolCallId = part?.kind === 'tool-call' ? part.toolCallId : '';
        return { kind: 'part-delta', index: event.index, delta, toolName, toolCallId, partialArgs: this.partialArgs(event.index) as never };
      }
      case 'part-end': {
        const part = this.assembler.part(event.index);
        return part ? { kind: 'part-end', index: event.index, part } : undefined;
      }
      case 'finish':
        return undefined;
    }
  }

  /**
   * The stream ended: the response assembled and recorded (usage counted, token limits checked).
   * A stream that ended without its finish event, or inside a tool call, is an error, and what
   * arrived is recorded as interrupted.
   */
  complete(): ModelResponse {
    this.pulling = undefined;
    let response: ModelResponse;
    try {
      response = this.assembler.response();
    } catch (err) {
      this.interrupt(err);
      throw err;
    }
    this.recorded = true;
    this.trace?.end({ response });
    endRequest(this.setup, this.state, response);
    this.options.onResponse?.(response);
    return response;
  }

  /**
   * The stream stops before its end (an error, an abort, a reader that left): the model's stream
   * is closed, unless it ended or failed itself, and what arrived is recorded as interrupted.
   * `failed`: stopping for an error, which a failure to close does not replace (as in for-await).
   */
  async close(failed: boolean, cause?: unknown): Promise<void> {
    const source = this.source;
    this.source = undefined;
    this.pulling = undefined;
    try {
      if (source) await source.return?.();
    } catch (err) {
      if (!failed) throw err;
    } finally {
      this.interrupt(cause, !failed);
    }
  }

  /**
   * Records what arrived as an interrupted response, once, unless the response was recorded.
   * `cause`: the error that stopped the stream; `left`: its reader stopped reading.
   */
  private interrupt(cause?: unknown, left = false): void {
    if (this.recorded) return;
    this.recorded = true;
    this.trace?.end({ error: cause, cancelled: left || this.setup.signal?.aborted === true });
    const interrupted = this.assembler.interrupted(this.setup.model.name);
    interrupted.parts = interrupted.parts.filter((p) => p.kind !== 'tool-call');
    this.state.usage.addResponse(interrupted.usage);
    this.state.messages.push(interrupted);
  }

  /** At the end of an output tool call: keeps its parsed arguments, when they are exactly JSON.parse's. */
  private keepArgs(index: number): void {
    const args = this.parsers.get(index);
    const part = this.assembler.part(index);
    if (!args?.whole || part?.kind !== 'tool-call' || typeof part.args !== 'string' || !this.setup.output.isOutputTool(part.toolName)) return;
    let value: unknown;
    try {
      // Completes a top-level number; throws for text malformed, too deep or incomplete.
      value = args.parser.end();
    } catch {
      return;
    }
    keepParsedArgs(part as ToolCallPart & { args: string }, value);
  }
}

/**
 * Sends a request and streams the response, yielding its run events; returns the response (for
 * `AgentRun.stream`: runStreamEvents, event handlers, `iter`).
 */
export async function* streamModelRequest(setup: RunSetup, state: RunState, request: ModelRequest): AsyncGenerator<AgentStreamEvent, ModelResponse> {
  const stream = await RequestStream.open(setup, state, request);
  let completed = false;
  try {
    for (let step = await stream.next(); !step.done; step = await stream.next()) {
      stream.apply(step.value);
      const event = stream.runEvent(step.value);
      if (event) yield event;
    }
    completed = true;
    return stream.complete();
  } catch (err) {
    if (!completed) await stream.close(true, err);
    throw err;
  } finally {
    // Cancelled: a consumer that stopped (the generator returned at a yield).
    if (!completed) await stream.close(false);
  }
}

/** The model's stream for a request. */
function openModelStream(setup: RunSetup, state: RunState, params: ModelRequestParameters): AsyncIterator<ModelStreamEvent> {
  return setup.model.requestStream(state.messages, setup.settings, params, setup.signal)[Symbol.asyncIterator]();
}

// The scoped forms, apart: a closure in `open` or `next` would cost every call (every chunk).

/** Opens the model's stream inside the request's span, or (no span: a detached run) outside any. */
function openInScope(trace: RequestTrace | undefined, setup: RunSetup, state: RunState, params: ModelRequestParameters): AsyncIterator<ModelStreamEvent> {
  return trace ? inTraceNode(trace, () => openModelStream(setup, state, params)) : outsideTrace(() => openModelStream(setup, state, params));
}

/** Pulls the model's next event inside the request's span, or (a detached run) outside any. */
function pullInScope(trace: RequestTrace | undefined, source: AsyncIterator<ModelStreamEvent>): Promise<IteratorResult<ModelStreamEvent>> {
  return trace ? inTraceNode(trace, () => source.next()) : outsideTrace(() => source.next());
}
