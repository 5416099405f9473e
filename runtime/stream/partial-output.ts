/**
 * Follows an agent's output as it streams, from the events of its responses: the arguments of an
 * output tool call (tool mode), the JSON of a text answer (native mode; prompted mode leniently,
 * past any words or fence around it), or the text itself when the output is text. Each read says
 * whether the partial output changed, so that a stream yields only when there is something new.
 *
 * Parsing is incremental (one PartialJsonParser per answer), so a whole stream costs time linear
 * in its size; the value is live, updated in place as more arrives.
 */
import type { OutputHandler } from '../agent/output.js';
import { changedArgs } from '../run/model-request.js';
import type { AgentStreamEvent } from './events.js';
import { PartialJsonParser } from './partial-json.js';

/** The output read so far from one run's responses. */
export class PartialOutputReader {
  /** The output tool call being read (tool mode), by part index. */
  private toolPart: { index: number; toolName: string; parser: PartialJsonParser | undefined; args: unknown } | undefined;
  /** The JSON of the text answer being read (native and prompted modes). */
  private textJson: PartialJsonParser | undefined;
  private text = '';
  private current: unknown;

  constructor(private readonly output: OutputHandler) {}

  /** A new response starts: what the last one held is not this one's output. */
  newResponse(): void {
    this.toolPart = undefined;
    this.textJson = undefined;
    this.text = '';
  }

  /** The partial output as it stands. */
  get value(): unknown {
    return this.current;
  }

  /** Reads one event; true when the partial output changed. */
  read(event: AgentStreamEvent): boolean {
    switch (event.kind) {
      case 'part-start': {
        const part = event.part;
        if (part.kind === 'tool-call' && this.output.isOutputTool(part.toolName)) {
          const parser = typeof part.args === 'string' ? new PartialJsonParser() : undefined;
          parser?.push(part.args as string);
          this.toolPart = { index: event.index, toolName: part.toolName, parser, args: parser ? parser.value : part.args };
          return this.update(this.output.partialOutput(this.toolPart.args, part.toolName));
        }
        if (part.kind === 'text') return this.readText(part.content);
        return false;
      }
      case 'part-delta': {
        const delta = event.delta;
        if (delta.kind === 'text') return this.readText(delta.content);
        if (delta.kind !== 'tool-call' || this.toolPart?.index !== event.index || !('partialArgs' in event)) return false;
        // The run already parses tool-call arguments as they arrive: use its parse.
        this.toolPart.args = event.partialArgs;
        return this.update(this.output.partialOutput(event.partialArgs, this.toolPart.toolName), changedArgs(event));
      }
      default:
        return false;
    }
  }

  private readText(chunk: string): boolean {
    if (chunk === '') return false;
    if (this.output.mode === 'text' || (this.output.mode === 'tool' && this.output.allowsText)) {
      this.text += chunk;
      return this.update(this.text);
    }
    if (this.output.mode === 'tool') return false;
    this.textJson ??= new PartialJsonParser({ lenient: this.output.mode === 'prompted' });
    if (!this.textJson.push(chunk)) return false;
    return this.update(this.output.partialOutput(this.textJson.value), true);
  }

  /** Records a new partial value; a live value that grew in place counts as changed when `grew`. */
  private update(value: unknown, grew = false): boolean {
    if (value === undefined) return false;
    const changed = grew || value !== this.current;
    this.current = value;
    return changed;
  }
}
