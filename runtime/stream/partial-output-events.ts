/**
 * The `partial-output` events of `runStreamEvents`: the structured output as it fills in, read
 * from the run's own events (so a server can stream it, a page draw it row by row).
 *
 * This reads what the events already carry, never the model's stream: an output tool call's
 * `partialArgs` (parsed by the request as they arrive) unwrapped as the output member holds it,
 * or, in native and prompted modes, the JSON of the text answer through one incremental parser.
 * A text output has no such events: its text parts are the output as it grows.
 */
import type { OutputHandler } from '../agent/output.js';
import type { AgentStreamEvent } from './events.js';
import { parseModelJson } from './json-depth.js';
import { PartialJsonParser } from './partial-json.js';

/** Follows one run's events, saying when its partial output changed. */
export class PartialOutputEvents {
  /** The output tool call being read, by part index, and how its arguments hold the output. */
  private toolPart: { index: number; partial: (json: unknown) => unknown } | undefined;
  private textJson: PartialJsonParser | undefined;
  /** Indexes of the parts of the response being read (indexes restart with each response). */
  private readonly seen = new Set<number>();
  /** Tool activity happened since the last part started: the next part is a new response's. */
  private toolPhase = false;
  private current: unknown;

  private constructor(private readonly output: OutputHandler) {}

  /** A reader for an output handler; undefined for a text output, which has no partial-output events. */
  static for(output: OutputHandler | undefined): PartialOutputEvents | undefined {
    return output && output.mode !== 'text' ? new PartialOutputEvents(output) : undefined;
  }

  /** Reads one event; returns the partial output (a live value) when it changed, else undefined. */
  read(event: AgentStreamEvent): unknown {
    switch (event.kind) {
      case 'part-start': {
        if (this.toolPhase || this.seen.has(event.index)) this.newResponse();
        this.seen.add(event.index);
        const part = event.part;
        if (part.kind === 'tool-call' && this.output.isOutputTool(part.toolName)) {
          this.toolPart = { index: event.index, partial: this.output.partialOutputOf(part.toolName) };
          // Arguments a model starts as a value (not text) are the output so far.
          return typeof part.args === 'string' ? undefined : this.update(this.toolPart.partial(part.args));
        }
        return part.kind === 'text' ? this.readText(part.content) : undefined;
      }
      case 'part-delta': {
        const delta = event.delta;
        if (delta.kind === 'text') return this.readText(delta.content);
        if (delta.kind !== 'tool-call' || this.toolPart?.index !== event.index || !('partialArgs' in event)) return undefined;
        return this.update(this.toolPart.partial(event.partialArgs), true);
      }
      case 'part-end': {
        // A call whose arguments came whole, with no deltas: read them once, complete.
        const part = event.part;
        if (part.kind !== 'tool-call' || this.toolPart?.index !== event.index || this.current !== undefined) return undefined;
        try {
          return this.update(this.toolPart.partial(typeof part.args === 'string' ? parseModelJson(part.args) : part.args));
        } catch {
          return undefined;
        }
      }
      case 'function-tool-call':
      case 'function-tool-result':
        this.toolPhase = true;
        return undefined;
      default:
        return undefined;
    }
  }

  private newResponse(): void {
    this.toolPart = undefined;
    this.textJson = undefined;
    this.seen.clear();
    this.toolPhase = false;
    this.current = undefined;
  }

  private readText(chunk: string): unknown {
    // Tool mode: text is either not the output, or (a union with text) its own text parts.
    if (chunk === '' || this.output.mode === 'tool') return undefined;
    this.textJson ??= new PartialJsonParser({ lenient: this.output.mode === 'prompted' });
    if (!this.textJson.push(chunk)) return undefined;
    return this.update(this.output.partialOutputOf()(this.textJson.value), true);
  }

  /** Records a new partial value: returned when it changed (a live value that grew counts when `grew`). */
  private update(value: unknown, grew = false): unknown {
    if (value === undefined || (!grew && value === this.current)) return undefined;
    this.current = value;
    return value;
  }
}
