/**
 * Reasoning written inline in the content, `<think>…</think>` (Groq's `reasoning_format: "raw"`,
 * open models served as they are), split from the text around it.
 */
import type { TextPart, ThinkingPart } from '../../contract/messages.js';

const START = '<think>';
const END = '</think>';

/**
 * The content as text and thinking parts, in order; a `<think>` never closed (the length ran out)
 * leaves the rest as text, so that nothing the model wrote is lost. The text is kept exactly,
 * whitespace included: it is what goes back to the model in the history.
 */
export function splitThinkTags(content: string, provider: string): (TextPart | ThinkingPart)[] {
  const parts: (TextPart | ThinkingPart)[] = [];
  let rest = content;
  for (let start = rest.indexOf(START); start >= 0; start = rest.indexOf(START)) {
    if (start > 0) parts.push({ kind: 'text', content: rest.slice(0, start) });
    rest = rest.slice(start + START.length);
    const end = rest.indexOf(END);
    if (end < 0) {
      parts.push({ kind: 'text', content: rest });
      return parts;
    }
    // An empty block (`<think>\n\n</think>`, reasoning switched off) is no thinking.
    const thinking = rest.slice(0, end);
    if (thinking.trim() !== '') parts.push({ kind: 'thinking', content: thinking, provider });
    rest = rest.slice(end + END.length);
  }
  if (rest !== '') parts.push({ kind: 'text', content: rest });
  return parts;
}

/** A piece of streamed content, told apart by the tags around it. */
export interface ThinkTagPiece {
  kind: 'text' | 'thinking';
  content: string;
}

/**
 * `splitThinkTags` for a stream: content arrives in deltas, and a tag can be split across two of
 * them (`<th` then `ink>`), so what may be the start of a tag is held back until the next delta
 * tells. As in `splitThinkTags`, a block of only whitespace is no thinking; unlike it, a `<think>`
 * never closed stays thinking, since its pieces were already streamed as such.
 */
export class ThinkTagStream {
  #thinking = false;
  /** The end of the content so far that may be the start of the next tag. */
  #held = '';
  /** The current thinking block while it is only whitespace (dropped if it ends so). */
  #blank = '';
  #seen = false;

  /** The pieces `delta` completes, in order. */
  push(delta: string): ThinkTagPiece[] {
    const pieces: ThinkTagPiece[] = [];
    let rest = this.#held + delta;
    for (;;) {
      const tag = this.#thinking ? END : START;
      const at = rest.indexOf(tag);
      if (at < 0) {
        const held = partialTagLength(rest, tag);
        this.#piece(rest.slice(0, rest.length - held), pieces);
        this.#held = rest.slice(rest.length - held);
        return pieces;
      }
      this.#piece(rest.slice(0, at), pieces);
      rest = rest.slice(at + tag.length);
      this.#thinking = !this.#thinking;
      this.#blank = '';
      this.#seen = false;
    }
  }

  /** What was held back, at the end of the stream. */
  end(): ThinkTagPiece[] {
    const pieces: ThinkTagPiece[] = [];
    this.#piece(this.#held, pieces);
    this.#held = '';
    return pieces;
  }

  #piece(content: string, pieces: ThinkTagPiece[]): void {
    if (content === '') return;
    if (!this.#thinking) {
      pieces.push({ kind: 'text', content });
      return;
    }
    if (!this.#seen && content.trim() === '') {
      this.#blank += content;
      return;
    }
    pieces.push({ kind: 'thinking', content: this.#seen ? content : this.#blank + content });
    this.#seen = true;
    this.#blank = '';
  }
}

/** How many characters at the end of `text` are the start of `tag` (0 to its length - 1). */
function partialTagLength(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) if (tag.startsWith(text.slice(text.length - n))) return n;
  return 0;
}
