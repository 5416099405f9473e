/**
 * Follows an agent's output as it streams, from the events of its responses: the arguments of an
 * output tool call (tool mode), the JSON of a text answer (native mode; prompted mode leniently,
 * past any words or fence around it), or the text itself when the output is text. Each read says
 * whether the partial output changed, so that a stream yields only when there is something new.
 *
 * Parsing is incremental, so a whole stream costs time linear in its size; the value is live,
 * updated in place as more arrives. An output tool call's arguments are parsed once, by whoever
 * streams them (a RequestStream, which parses every tool call's arguments as they arrive; or the
 * `partialArgs` of run events): the reader asks its {@link PartialArgsSource}. A text answer gets
 * one PartialJsonParser here.
 */
import type { OutputHandler } from '../agent/output.js';
import type { ModelStreamEvent } from '../contract/stream-events.js';
import { PartialJsonParser } from './partial-json.js';

/** Where the reader finds a tool call's arguments as parsed so far (a RequestStream is one). */
export interface PartialArgsSource {
  /** The arguments of the tool call at part `index`, parsed so far (live). */
  partialArgs(index: number): unknown;
  /** Whether the last delta changed them. */
  readonly argsChanged: boolean;
}

/** Options of a {@link PartialOutputReader}. */
export interface PartialOutputReaderOptions {
  /**
   * Whether text the model writes counts as the output when the output is text (a text output,
   * or a tool-mode union that allows text). Default true; false when the text is shown on its own
   * (run events, whose text parts already carry it).
   */
  textIsOutput?: boolean;
}

/** The output read so far from one run's responses. */
export class PartialOutputReader {
  /** The output tool call being read (tool mode), by part index, and how its arguments hold the output. */
  private toolPart: { index: number; partial: (json: unknown) => unknown } | undefined;
  /** The JSON of the text answer being read (native and prompted modes). */
  private textJson: PartialJsonParser | undefined;
  private text = '';
  private current: unknown;
  /** How the JSON of a text answer holds the output. */
  private readonly textPartial: (json: unknown) => unknown;

  private readonly textIsOutput: boolean;

  constructor(
    private readonly output: OutputHandler,
    options: PartialOutputReaderOptions = {},
  ) {
    this.textPartial = output.partialOutputOf();
    this.textIsOutput = options.textIsOutput ?? true;
  }

  /** A new response starts: what the last one held is not this one's output. */
  newResponse(): void {
    this.toolPart = undefined;
    this.textJson = undefined;
    this.text = '';
    this.current = undefined;
  }

  /** Whether the output tool call at part `index` is being read, and has given no value yet. */
  awaitsToolArgs(index: number): boolean {
    return this.toolPart?.index === index && this.current === undefined;
  }

  /** Reads the whole arguments of the output tool call at part `index` (they came with no deltas). */
  readToolArgs(index: number, args: unknown): boolean {
    return this.toolPart?.index === index && this.update(this.toolPart.partial(args));
  }

  /** The partial output as it stands. */
  get value(): unknown {
    return this.current;
  }

  /** Reads one event of the model's stream, its arguments parsed by `request`; true when the partial output changed. */
  read(event: ModelStreamEvent, request: PartialArgsSource): boolean {
    switch (event.kind) {
      case 'part-start': {
        const part = event.part;
        if (part.kind === 'tool-call' && this.output.isOutputTool(part.toolName)) {
          this.toolPart = { index: event.index, partial: this.output.partialOutputOf(part.toolName) };
          // Arguments that start as text are parsed; a model may also start them as a value.
          const args = typeof part.args === 'string' ? request.partialArgs(event.index) : part.args;
          return this.update(this.toolPart.partial(args));
        }
        if (part.kind === 'text') return this.readText(part.content);
        return false;
      }
      case 'part-delta': {
        const delta = event.delta;
        if (delta.kind === 'text') return this.readText(delta.content);
        if (delta.kind !== 'tool-call' || this.toolPart?.index !== event.index) return false;
        return this.update(this.toolPart.partial(request.partialArgs(event.index)), request.argsChanged);
      }
      default:
        return false;
    }
  }

  private readText(chunk: string): boolean {
    if (chunk === '') return false;
    if (this.output.mode === 'text' || (this.output.mode === 'tool' && this.output.allowsText)) {
      if (!this.textIsOutput) return false;
      this.text += chunk;
      return this.update(this.text);
    }
    if (this.output.mode === 'tool') return false;
    this.textJson ??= new PartialJsonParser({ lenient: this.output.mode === 'prompted' });
    if (!this.textJson.push(chunk)) return false;
    return this.update(this.textPartial(this.textJson.value), true);
  }

  /** Records a new partial value; a live value that grew in place counts as changed when `grew`. */
  private update(value: unknown, grew = false): boolean {
    if (value === undefined) return false;
    const changed = grew || value !== this.current;
    this.current = value;
    return changed;
  }
}
