/**
 * The `partial-output` events of `runStreamEvents`: the structured output as it fills in, read
 * from the run's own events (so a server can stream it, a page draw it row by row).
 *
 * The reading is `outputStream()`'s own ({@link PartialOutputReader}), fed run events instead of
 * the model's stream: an output tool call's arguments come parsed, as the `partialArgs` of its
 * deltas; text is never the output here (text parts carry it), so a text output has no such
 * events. What run events do not mark, this adds: where a response starts (indexes restart with
 * each one), and arguments that came whole, with no deltas (read at the part's end).
 */
import type { OutputHandler } from '../agent/output.js';
import type { AgentStreamEvent } from './events.js';
import { parseModelJson } from './json-depth.js';
import { PartialOutputReader, type PartialArgsSource } from './partial-output.js';

/** Follows one run's events, saying when its partial output changed. */
export class PartialOutputEvents implements PartialArgsSource {
  private readonly reader: PartialOutputReader;
  /** Indexes of the parts of the response being read. */
  private readonly seen = new Set<number>();
  /** Tool activity happened since the last part started: the next part is a new response's. */
  private toolPhase = false;
  /** The `partialArgs` of the delta being read (what {@link partialArgs} answers). */
  private args: unknown;
  readonly argsChanged = true;

  private constructor(output: OutputHandler) {
    this.reader = new PartialOutputReader(output, { textIsOutput: false });
  }

  /** A reader for an output handler; undefined for a text output, which has no partial-output events. */
  static for(output: OutputHandler | undefined): PartialOutputEvents | undefined {
    return output && output.mode !== 'text' ? new PartialOutputEvents(output) : undefined;
  }

  /** The arguments of the delta being read (run events carry them parsed; a part's start does not). */
  partialArgs(): unknown {
    return this.args;
  }

  /** Reads one event; returns the partial output (a live value) when it changed, else undefined. */
  read(event: AgentStreamEvent): unknown {
    switch (event.kind) {
      case 'part-start':
        if (this.toolPhase || this.seen.has(event.index)) this.newResponse();
        this.seen.add(event.index);
        this.args = undefined;
        return this.changed(this.reader.read(event, this));
      case 'part-delta':
        this.args = 'partialArgs' in event ? event.partialArgs : undefined;
        return this.changed(this.reader.read(event, this));
      case 'part-end': {
        // A call whose arguments came whole, with no deltas: read them once, complete.
        const part = event.part;
        if (part.kind !== 'tool-call' || !this.reader.awaitsToolArgs(event.index)) return undefined;
        try {
          return this.changed(this.reader.readToolArgs(event.index, typeof part.args === 'string' ? parseModelJson(part.args) : part.args));
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
    this.reader.newResponse();
    this.seen.clear();
    this.toolPhase = false;
  }

  private changed(changed: boolean): unknown {
    return changed ? this.reader.value : undefined;
  }
}
