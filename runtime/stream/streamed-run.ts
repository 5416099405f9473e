/**
 * A streamed run (`agent.runStream`): the run goes forward as its streams are read, every model
 * request streamed. Read it one way: text (`textStream`), the output filling in (`outputStream`),
 * response snapshots (`responses`), or just the end (`output`); the ways cannot be mixed, since
 * each drives the same run. Leaving an iteration early (or the run's signal) cancels the request
 * in flight, and the history keeps what arrived as an interrupted response.
 *
 * The run stops at the first valid final output. Tool calls in the response that carries it are
 * not run, whatever the agent's end strategy: they are answered "Tool not executed - a final
 * result was already processed." (use `run` with an event handler, or `iter`, to run them).
 */
import { DeferredToolRequests } from '../agent/deferred.js';
import { UserError } from '../contract/errors.js';
import { messagesToJson } from '../contract/messages-json.js';
import type { ModelMessage, ModelResponse, ResponsePart } from '../contract/messages.js';
import { now } from '../contract/messages.js';
import type { OutputHandler } from '../agent/output.js';
import type { RunResult } from '../agent/result.js';
import { applyDeltaIfMatching } from '../contract/stream-events.js';
import type { AgentRun } from '../run/agent-run.js';
import type { UsageSnapshot } from '../agent/usage.js';
import { debounce } from './debounce.js';
import type { AgentStreamEvent, DeepPartial } from './events.js';
import { PartialOutputReader } from './partial-output.js';
import { NOTHING, RunReader, type StepSink } from './run-reader.js';

/** What {@link StreamedRun} needs of the run it reads. */
export interface StreamedRunSource<Output> {
  run: AgentRun<Output>;
  /** The agent's output handler, known once the run has started. */
  output(): Promise<OutputHandler>;
  /** The conversation and usage as they stand (the run may not have started). */
  messages(): readonly ModelMessage[];
  newFrom(): number;
  usage(): UsageSnapshot;
}

/** A run read as it streams. */
export class StreamedRun<Output> {
  private consumed = false;
  private finished: RunResult<Output> | undefined;

  constructor(private readonly source: StreamedRunSource<Output>) {}

  /** The model's text as it streams: deltas, or (default) the text of the current response so far. */
  textStream(options: { delta?: boolean; debounceMs?: number } = {}): AsyncIterable<string> {
    const delta = options.delta ?? false;
    let text = '';
    const add = (chunk: string): string | typeof NOTHING => {
      if (chunk === '') return NOTHING;
      text += chunk;
      return delta ? chunk : text;
    };
    const texts: StepSink<string> = {
      responseStart: () => void (text = ''),
      modelEvent: (event) =>
        event.kind === 'part-start' && event.part.kind === 'text'
          ? add(event.part.content)
          : event.kind === 'part-delta' && event.delta.kind === 'text'
            ? add(event.delta.content)
            : NOTHING,
      runEvent: () => NOTHING,
      end: () => NOTHING,
    };
    return debounce(this.read(texts), options.debounceMs ?? 0, delta ? (a, b) => a + b : undefined);
  }

  /**
   * The output as it fills in, typed as the deep partial of the output: properties appear as
   * they arrive, strings grow, numbers appear once complete. Values are live (the same objects,
   * updated in place: copy one with structuredClone to keep it); this keeps a long stream linear.
   * The last value is the final output, validated and passed through the output validators; it
   * may be the live value itself, completed (defaults filled in): leave the values unchanged.
   * A run that stops at deferred tool calls has no output: its stream ends without a last value
   * (read the requests from `result()`), so the values are the agent's own output's partials.
   */
  outputStream(options: { debounceMs?: number } = {}): AsyncIterable<DeepPartial<Exclude<Output, DeferredToolRequests>>> {
    let reader: PartialOutputReader;
    const partials: StepSink<DeepPartial<Output>> = {
      responseStart: () => reader.newResponse(),
      modelEvent: (event, request) => (reader.read(event, request) ? (reader.value as DeepPartial<Output>) : NOTHING),
      runEvent: () => NOTHING,
      end: (result) => (DeferredToolRequests.isInstance(result.output) ? NOTHING : (result.output as DeepPartial<Output>)),
    };
    // The output handler first: known once the run has started.
    const begin = async () => void (reader = new PartialOutputReader(await this.source.output()));
    return debounce(this.read(partials, begin), options.debounceMs ?? 0) as AsyncIterable<DeepPartial<Exclude<Output, DeferredToolRequests>>>;
  }

  /** Snapshots of the response in progress (copies: debounce long responses). */
  responses(options: { debounceMs?: number } = {}): AsyncIterable<ModelResponse> {
    let parts: ResponsePart[] = [];
    const snapshot = (event: AgentStreamEvent | undefined): ModelResponse | typeof NOTHING => {
      if (event?.kind === 'part-start' || event?.kind === 'part-end') parts[event.index] = structuredClone(event.part);
      else if (event?.kind === 'part-delta') applyToCopy(parts, event);
      else return NOTHING;
      return {
        kind: 'response',
        parts: parts.filter((p) => p !== undefined).map((p) => structuredClone(p)),
        modelName: '',
        timestamp: now(),
        usage: { inputTokens: 0, outputTokens: 0 },
      };
    };
    const snapshots: StepSink<ModelResponse> = {
      responseStart: () => void (parts = []),
      modelEvent: (event, request) => snapshot(request.runEvent(event)),
      runEvent: () => NOTHING,
      end: () => NOTHING,
    };
    return debounce(this.read(snapshots), options.debounceMs ?? 0);
  }

  /** The final output, validated (the output validators run): reads the run to its end. */
  async output(): Promise<Output> {
    return (await this.result()).output;
  }

  /** The finished run: reads it to its end first, if no stream did. */
  async result(): Promise<RunResult<Output>> {
    if (!this.finished) for await (const _step of this.read(toTheEnd));
    return this.finished!;
  }

  /** Usage so far (complete once the run finished). */
  usage(): UsageSnapshot {
    return this.finished?.usage() ?? this.source.usage();
  }

  /** Every message so far: the history given, then this run's (an interrupted response included). */
  allMessages(): ModelMessage[] {
    return this.finished?.allMessages() ?? [...this.source.messages()];
  }

  /** This run's messages so far. */
  newMessages(): ModelMessage[] {
    return this.finished?.newMessages() ?? this.source.messages().slice(this.source.newFrom());
  }

  /** {@link allMessages} as versioned JSON (see parseMessages). */
  allMessagesJson(): string {
    return messagesToJson(this.allMessages());
  }

  /** Drives the run, once, handing its steps to `sink` (after `begin`). */
  private read<T>(sink: StepSink<T>, begin?: () => Promise<void>): AsyncIterableIterator<T> {
    const claim = () => {
      if (this.consumed) throw new UserError('this streamed run was already read: read it one way (textStream, outputStream, responses or output) once');
      this.consumed = true;
    };
    const start = begin ? async () => (await begin(), claim()) : claim;
    return new RunReader(this.source.run as AgentRun<unknown>, sink, start, (result) => (this.finished = result as RunResult<Output>));
  }
}

/** Reads a run to its end, yielding nothing. */
const toTheEnd: StepSink<never> = { responseStart: () => {}, modelEvent: () => NOTHING, runEvent: () => NOTHING, end: () => NOTHING };

/** Applies a delta to the copy of the parts `responses()` keeps (a delta for a part not started, or of another kind, is ignored). */
function applyToCopy(parts: ResponsePart[], event: Extract<AgentStreamEvent, { kind: 'part-delta' }>): void {
  const part = parts[event.index];
  if (part) applyDeltaIfMatching(part, event.delta);
}
