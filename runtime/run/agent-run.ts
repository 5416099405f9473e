/**
 * A run as a graph you can step through: user prompt -> model request -> call tools -> (model
 * request -> call tools)* -> end. `agent.run()` walks it to the end; `agent.iter()` hands it to
 * the caller, node by node.
 */
import { refreshDynamicSystemPrompts, systemPromptParts } from '../agent/instructions.js';
import { now, type ModelMessage, type ModelRequest, type ModelResponse, type RequestPart } from '../contract/messages.js';
import type { OutputHandler } from '../agent/output.js';
import { RunResult } from '../agent/result.js';
import { EventQueue } from '../stream/event-queue.js';
import type { AgentStreamEvent, EventHandler } from '../stream/events.js';
import { callTools, type StepOutcome } from './call-tools.js';
import { requestModel } from './model-request.js';
import { RequestStream, streamModelRequest } from './request-stream.js';
import { inRun, runContext, scoped, type RunSetup, type RunState, type UserPrompt } from './setup.js';
import { closeToolsets } from './toolsets.js';
import { resumeStep } from './resume-step.js';
import { pausedRunOf } from '../agent/paused-run.js';
import { agentContract } from '../agent/agent-contract.js';

/** The first node: the user's prompt, before anything is sent. */
export interface UserPromptNode {
  kind: 'user-prompt';
  prompt: UserPrompt;
}

/** A request about to be sent to the model. */
export interface ModelRequestNode {
  kind: 'model-request';
  request: ModelRequest;
}

/** A model response whose tool calls (or output) are about to be handled. */
export interface CallToolsNode {
  kind: 'call-tools';
  response: ModelResponse;
}

/** The end of the run, with its result. */
export interface EndNode<Output> {
  kind: 'end';
  result: RunResult<Output>;
}

/** A node of a run. */
export type AgentNode<Output> = UserPromptNode | ModelRequestNode | CallToolsNode | EndNode<Output>;

/** How {@link openRequestStream} reaches a run's private state (set by AgentRun's static block). */
let openRequest: (run: AgentRun<unknown>, node: ModelRequestNode) => Promise<RequestStream>;

/**
 * Runs a model-request node as {@link AgentRun.stream} does, as a RequestStream its reader pulls
 * and applies event by event (StreamedRun, which handles each chunk synchronously); the run goes
 * on to its tool step when the stream completes. Not part of AgentRun's public surface.
 */
export function openRequestStream<Output>(run: AgentRun<Output>, node: ModelRequestNode): Promise<RequestStream> {
  return openRequest(run as AgentRun<unknown>, node);
}

/** How {@link endRunTrace} reaches a run's private state (set by AgentRun's static block). */
let endTrace: (run: AgentRun<unknown>, error: unknown, left: boolean) => void;

/**
 * Ends the trace of a run read by StreamedRun, which drives the run's nodes itself: with the
 * error that stopped it, or (`left`) because its reader stopped reading.
 */
export function endRunTrace<Output>(run: AgentRun<Output>, error: unknown, left = false): void {
  endTrace(run as AgentRun<unknown>, error, left);
}

/** How {@link runOutputHandler} reaches a run's private state (set by AgentRun's static block). */
let outputOf: (run: AgentRun<unknown>) => OutputHandler | undefined;

/** How a run reads its output, once it has started (runStreamEvents' partial-output events). */
export function runOutputHandler<Output>(run: AgentRun<Output>): OutputHandler | undefined {
  return outputOf(run as AgentRun<unknown>);
}

/** One run of an agent, stepped node by node. */
export class AgentRun<Output> implements AsyncIterable<AgentNode<Output>> {
  static {
    openRequest = (run, node) => run.openRequest(node);
    endTrace = (run, error, left) => run.endTrace(error, left);
    outputOf = (run) => run.setupNow?.setup.output;
  }

  private current: AgentNode<Output>;
  private finished: RunResult<Output> | undefined;
  private ready: Promise<{ setup: RunSetup; state: RunState }> | undefined;
  /** What {@link ready} resolved to, once it did (read where no await is wanted). */
  private setupNow: { setup: RunSetup; state: RunState } | undefined;

  constructor(
    private readonly prepare: () => Promise<{ setup: RunSetup; state: RunState }>,
    prompt: UserPrompt,
    /** Receives the events of every node run with {@link next} (streaming the model requests). */
    private readonly handler?: EventHandler,
  ) {
    this.current = { kind: 'user-prompt', prompt };
  }

  /** The node the next call of {@link next} will run. */
  get nextNode(): AgentNode<Output> {
    return this.current;
  }

  /** The result, once the run reached its end node. */
  get result(): RunResult<Output> | undefined {
    return this.finished;
  }

  /** The conversation so far (the history given, then this run's messages), once the run started. */
  async messages(): Promise<readonly ModelMessage[]> {
    return (await this.started()).state.messages;
  }

  private started(): Promise<{ setup: RunSetup; state: RunState }> {
    this.ready ??= this.prepare();
    return this.ready;
  }

  /**
   * Runs one node (the next one by default; a caller may hand back a node it changed, such as a
   * request with an extra part) and returns the node that follows.
   */
  async next(node: AgentNode<Output> = this.current): Promise<AgentNode<Output>> {
    // One async function, as before tracing: an untraced run pays for no extra layer per node.
    try {
      if (this.handler) return await this.nextWithHandler(node, this.handler);
      const ready = (this.setupNow = await this.started());
      const { setup, state } = ready;
      setup.signal?.throwIfAborted();
      switch (node.kind) {
        case 'user-prompt':
          if (setup.resume) return this.advance(this.after(setup, state, await resumed(setup, state)));
          return this.advance({
            kind: 'model-request',
            request: await (scoped(setup) ? firstRequestInRun(setup, state) : firstRequest(setup, state)),
          });
        case 'model-request':
          return this.advance({ kind: 'call-tools', response: await requestModel(setup, state, node.request) });
        case 'call-tools':
          return this.advance(
            this.after(setup, state, await (scoped(setup) ? callToolsInRun(setup, state, node.response) : callTools(setup, state, node.response))),
          );
        case 'end':
          return node;
      }
    } catch (err) {
      this.endTrace(err);
      throw err;
    }
  }

  /** {@link next} with an event handler: the node streamed, each event handed to it. */
  private async nextWithHandler(node: AgentNode<Output>, handler: EventHandler): Promise<AgentNode<Output>> {
    const events = this.stream(node);
    let step: IteratorResult<AgentStreamEvent, AgentNode<Output>>;
    for (step = await events.next(); !step.done; step = await events.next()) {
      try {
        await handler(step.value);
      } catch (err) {
        // The node stops where the handler failed: thrown into it, it closes the model's stream.
        await events.throw(err).catch(() => undefined);
        throw err;
      }
    }
    return step.value;
  }

  /**
   * Runs one node as {@link next} does, yielding its events as they happen: a model request is
   * streamed (its parts as they grow), a tool step reports each tool call and result. Leaving the
   * iteration early cancels the model request in flight.
   */
  stream(node: AgentNode<Output> = this.current): AsyncGenerator<AgentStreamEvent, AgentNode<Output>> {
    // A run with nothing to end when a node fails or its reader leaves (no trace, no toolsets;
    // known once it started) streams its nodes without that layer: one generator less per event.
    const started = this.setupNow;
    return started !== undefined && !started.setup.trace && !started.setup.toolsets ? this.streamNode(node) : this.tracedStream(node);
  }

  /** {@link stream} for a run with a trace or toolsets (or not started yet): they end if the node fails or its reader leaves. */
  private async *tracedStream(node: AgentNode<Output>): AsyncGenerator<AgentStreamEvent, AgentNode<Output>> {
    let done = false;
    try {
      const following = yield* this.streamNode(node);
      done = true;
      return following;
    } catch (err) {
      done = true;
      this.endTrace(err);
      throw err;
    } finally {
      // A reader that left in the middle of a node cancelled the run.
      if (!done) this.endTrace(undefined, true);
    }
  }

  private async *streamNode(node: AgentNode<Output>): AsyncGenerator<AgentStreamEvent, AgentNode<Output>> {
    const ready = (this.setupNow = await this.started());
    const { setup, state } = ready;
    setup.signal?.throwIfAborted();
    switch (node.kind) {
      case 'user-prompt':
        if (setup.resume) {
          const queue = new EventQueue<AgentStreamEvent>();
          return this.advance(this.after(setup, state, yield* queue.until(resumed(setup, state, queue.push))));
        }
        return this.advance({
          kind: 'model-request',
          request: await (scoped(setup) ? firstRequestInRun(setup, state) : firstRequest(setup, state)),
        });
      case 'model-request':
        return this.advance({ kind: 'call-tools', response: yield* streamModelRequest(setup, state, node.request) });
      case 'call-tools': {
        const queue = new EventQueue<AgentStreamEvent>();
        const step = scoped(setup) ? callToolsInRun(setup, state, node.response, queue.push) : callTools(setup, state, node.response, queue.push);
        return this.advance(this.after(setup, state, yield* queue.until(step)));
      }
      case 'end':
        return node;
    }
  }

  /** See {@link openRequestStream}. No run event hands the parsed arguments out here: they are kept for reading the output. */
  private async openRequest(node: ModelRequestNode): Promise<RequestStream> {
    const ready = (this.setupNow = await this.started());
    const { setup, state } = ready;
    setup.signal?.throwIfAborted();
    return RequestStream.open(setup, state, node.request, {
      onResponse: (response) => this.advance({ kind: 'call-tools', response }),
      keepOutputArgs: true,
    });
  }

  private advance(following: AgentNode<Output>): AgentNode<Output> {
    this.current = following;
    return following;
  }

  /** The node after a tool step: another request, or the end with the run's result. */
  private after(setup: RunSetup, state: RunState, outcome: StepOutcome): AgentNode<Output> {
    if (outcome.kind === 'continue') return { kind: 'model-request', request: { kind: 'request', parts: outcome.parts } };
    if (outcome.parts.length > 0) state.messages.push({ kind: 'request', parts: outcome.parts });
    if (outcome.kind === 'deferred') {
      // Paused: the history (with the answers so far) and the contract are the whole state.
      const paused = pausedRunOf(setup.agentName, agentContract(setup.tools, setup.output), state.messages, outcome.requests);
      this.finished = new RunResult(outcome.requests as Output, state.messages, state.newFrom, state.usage, undefined, paused);
    } else this.finished = new RunResult(outcome.output as Output, state.messages, state.newFrom, state.usage, outcome.outputToolCall?.toolCallId);
    setup.trace?.end({ kind: 'success', output: this.finished.output });
    if (setup.toolsets) void closeToolsets(setup);
    return { kind: 'end', result: this.finished };
  }

  /**
   * Ends a traced run that failed, or was cancelled (its signal aborted, or its reader left).
   * Nothing when the run is not traced, has not started, or its trace already ended.
   */
  private endTrace(error: unknown, left = false): void {
    const started = this.setupNow;
    if (started?.setup.toolsets) void closeToolsets(started.setup);
    const trace = started?.setup.trace;
    if (!trace || this.finished) return;
    if (left || started.setup.signal?.aborted) trace.end({ kind: 'cancelled', reason: left ? 'the reader stopped reading' : started.setup.signal!.reason });
    else trace.end({ kind: 'error', error });
  }

  /** Yields every node from the first to the end node. */
  async *[Symbol.asyncIterator](): AsyncIterator<AgentNode<Output>> {
    try {
      yield this.current;
      while (this.current.kind !== 'end') yield await this.next();
    } finally {
      // Left before the end (a `break` in for-await): the run is over, cancelled.
      if (this.current.kind !== 'end') this.endTrace(undefined, true);
    }
  }

  /** Runs to the end and returns the result. */
  async complete(): Promise<RunResult<Output>> {
    while (this.current.kind !== 'end') await this.next();
    return (this.current as EndNode<Output>).result;
  }
}

/**
 * The first request: system prompts (new conversations only; a continued one gets its dynamic
 * system prompts refreshed) and the user prompt. Instructions are added when it is sent.
 */
async function firstRequest(setup: RunSetup, state: RunState): Promise<ModelRequest> {
  const ctx = runContext(setup, state);
  const parts: RequestPart[] = [];
  if (state.newFrom === 0) {
    parts.push(...(await systemPromptParts(setup.systemPrompts, ctx)));
  } else {
    const refreshed = await refreshDynamicSystemPrompts(state.messages, setup.systemPrompts, ctx);
    state.messages.splice(0, state.messages.length, ...refreshed);
  }
  parts.push({ kind: 'user-prompt', content: typeof setup.prompt === 'string' ? setup.prompt : [...setup.prompt], timestamp: now() });
  return { kind: 'request', parts };
}

/** The first step of a resumed run (resume-step.ts), in the run's scope when it has one. */
function resumed(setup: RunSetup, state: RunState, emit?: (event: AgentStreamEvent) => void): Promise<StepOutcome> {
  const { results, prompt } = setup.resume!;
  return scoped(setup) ? inRun(setup, () => resumeStep(setup, state, results, prompt, emit)) : resumeStep(setup, state, results, prompt, emit);
}

// The scoped forms of a step, apart: a closure in the run loop's own functions would make each of
// their calls allocate its variables on the heap, traced or not.

/** {@link firstRequest} in the run's scope (see inRun). */
function firstRequestInRun(setup: RunSetup, state: RunState): Promise<ModelRequest> {
  return inRun(setup, () => firstRequest(setup, state));
}

/** callTools in the run's scope (see inRun). */
function callToolsInRun(setup: RunSetup, state: RunState, response: ModelResponse, emit?: (event: AgentStreamEvent) => void): Promise<StepOutcome> {
  return inRun(setup, () => callTools(setup, state, response, emit));
}
