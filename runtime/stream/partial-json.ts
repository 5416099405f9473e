/**
 * An incremental JSON parser for streamed model output: structured output and tool arguments
 * arrive as text deltas, and a UI wants the partial value (a growing string, the array elements so
 * far) at every delta, not only at the end.
 *
 * Re-parsing the accumulated text at each delta is quadratic over a stream, so this parser keeps
 * its whole state between chunks and touches each input character once: containers are updated
 * in place (the value is a live view), and a growing string is appended to and stored again in
 * its parent's slot. When the input is complete, the result equals `JSON.parse` of the same text.
 */
import { defineOwn } from '../schema/own.js';
import { ESCAPED, hexValue, isSpace } from './json-escapes.js';
import { MAX_JSON_DEPTH, tooDeep } from './json-depth.js';
import { NUMBER_CLASS, NUMBER_COMPLETE, NUMBER_NEXT, numberValue } from './json-number.js';

/** Options of PartialJsonParser. */
export interface PartialJsonOptions {
  /**
   * The deepest nesting of objects and arrays read (default {@link MAX_JSON_DEPTH}): an object or
   * array that opens deeper is a syntax error, and the value stays as it was before it.
   * `Infinity` for no limit (the parser itself has none: it keeps no call stack).
   */
  maxDepth?: number;
  /**
   * Skip any text before the first `{` or `[` (models in "prompted" mode often write a sentence or a
   * ```json fence first), and ignore any text after the top-level value is complete. Default false:
   * then leading whitespace only, and non-whitespace after the value is an error.
   */
  lenient?: boolean;
}

type Container = Record<string, unknown> | unknown[];

// The state machine. A state says what may come next; open containers live on an explicit stack
// (no recursion: the depth limit, maxDepth, is a choice, not the call stack's). Strings and
// numbers consume a whole run of characters per step, in their own tight loops.
//   Lead         lenient only: skipping prose until the first `{` or `[`
//   Value        a value must start (top level, after `:`, after `,` in an array)
//   ArrayFirst   a value or `]` (just after `[`)
//   ObjectFirst  a key or `}` (just after `{`)
//   Key          a key must start (after `,` in an object)
//   Colon        the `:` after a key
//   After        `,` or the closing bracket of the innermost container
//   InString     inside a string (a key or a value); Escape after `\`; Hex inside `\uXXXX`
//   InNumber     inside a number; `numState` follows its grammar (see NUMBER_NEXT)
//   InLiteral    inside true, false or null
//   Done         the top-level value is complete: only whitespace may follow (strict mode)
//   Trail        lenient: the top-level value is complete, the rest of the input is ignored
//   Failed       a syntax error was met: all further input is ignored
// (A const enum: its members are inlined as numbers, which keeps the hot switch fast.)
// The order matters: every state before Done means "incomplete", Trail and Failed stop scanning.
const enum State {
  Lead,
  Value,
  ArrayFirst,
  ObjectFirst,
  Key,
  Colon,
  After,
  InString,
  Escape,
  Hex,
  InNumber,
  InLiteral,
  Done,
  Trail,
  Failed,
}

/** What a state expects, for error messages. */
const EXPECTED: Partial<Record<State, string>> = {
  [State.Value]: 'a value',
  [State.ArrayFirst]: 'a value or "]"',
  [State.ObjectFirst]: 'a key or "}"',
  [State.Key]: 'a key',
  [State.Colon]: '":"',
  [State.After]: '"," or a closing bracket',
  [State.Escape]: 'an escape character',
  [State.Hex]: 'a hex digit',
  [State.InLiteral]: 'true, false or null',
  [State.Done]: 'the end of the input',
};

/** Parses JSON text that arrives in chunks, keeping the partial value up to date as it grows. */
export class PartialJsonParser {
  private readonly lenient: boolean;
  private readonly maxDepth: number;
  private state: State;
  private root: unknown = undefined;
  private done = false;
  private ended = false;
  private failure: SyntaxError | undefined = undefined;
  /** Characters in the chunks before the current one (error offsets are in the whole input). */
  private consumed = 0;
  /** Whether the value changed during the current push. */
  private changed = false;
  /** The open containers, outermost first; the innermost is also in `array` or `object`. */
  private readonly stack: Container[] = [];
  private array: unknown[] | undefined = undefined;
  private object: Record<string, unknown> | undefined = undefined;
  /** The key whose value is being read in `object`. Only the innermost one is ever needed: an
   *  outer container's value is already in its slot, and only strings are stored again later. */
  private key = '';
  /** The text of the current string (decoded so far, less `held`) or number. Never read or sliced
   *  while it grows: it is a rope of appended chunks, and reading it would flatten it at each push. */
  private text = '';
  /** A high surrogate at the end of the string so far ('' if none): out of the partial value,
   *  since its low half may be in the next chunk. */
  private held = '';
  private inKey = false;
  /** The length of the partial string last stored in the value, to tell whether it grew; -1 while
   *  not stored yet (a string that starts and ends in one chunk is stored once, complete). */
  private shownLength = -1;
  private hexLeft = 0;
  private hexCode = 0;
  private numState = 0;
  private literal = '';
  private literalPos = 0;
  private literalValue: boolean | null = null;

  constructor(options: PartialJsonOptions = {}) {
    this.lenient = options.lenient ?? false;
    this.maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
    this.state = this.lenient ? State.Lead : State.Value;
  }

  /**
   * The value so far, undefined before a value starts. A live view: later pushes update the same
   * objects and arrays in place (copy it, e.g. with structuredClone, to keep a snapshot). A string
   * shows the text received so far (escapes decoded, never half an escape or half a surrogate pair),
   * an object or array shows as soon as it opens, a number, true, false or null once complete, and
   * an object's key once its value starts.
   */
  get value(): unknown {
    return this.root;
  }

  /** True once the top-level value is complete: its closing bracket or quote arrived, or its last
   *  letter (true/false/null), or a character that ends a top-level number, or end(). */
  get complete(): boolean {
    return this.done;
  }

  /** The first syntax error met (with the character offset in the whole input), or undefined. */
  get error(): SyntaxError | undefined {
    return this.failure;
  }

  /**
   * Feeds the next chunk. Returns true when `value` changed (a new key/element/character/number
   * arrived), even if an error followed in the same chunk. Never throws: malformed input puts the
   * parser in an error state (see `error`), after which pushes do nothing and return false.
   */
  push(chunk: string): boolean {
    if (this.ended) this.fail('push() after end()', this.consumed);
    if (this.state >= State.Trail) return false;
    this.changed = false;
    this.scan(chunk);
    this.consumed += chunk.length;
    if (this.state >= State.InString && this.state <= State.Hex && !this.inKey) this.show(this.text);
    return this.changed;
  }

  /**
   * Ends the input: completes a trailing top-level number, and returns the final value. Throws a
   * SyntaxError (message with the offset) if the text is malformed or incomplete.
   */
  end(): unknown {
    if (!this.ended) {
      this.ended = true;
      if (this.state === State.InNumber && this.stack.length === 0) this.endNumber(this.consumed);
      if (this.state < State.Done)
        this.fail(this.state === State.Lead ? 'No JSON object or array in the input' : 'Unexpected end of JSON input', this.consumed);
    }
    if (this.failure) throw this.failure;
    return this.root;
  }

  /** The hot loop: one step per structural character, one run per string or number. */
  private scan(s: string): void {
    const n = s.length;
    let i = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      switch (this.state) {
        case State.InString:
          i = this.readString(s, i);
          break;
        case State.InNumber:
          i = this.readNumber(s, i);
          break;
        case State.After:
          if (c === 0x2c) this.state = this.array ? State.Value : State.Key;
          else if (c === 0x5d || c === 0x7d) this.close(c, i);
          else if (!isSpace(c)) this.unexpected(c, i);
          i++;
          break;
        case State.Value:
        case State.ArrayFirst:
          // A number or literal is read from its first character, in its own state.
          if (c === 0x2d || (c >= 0x30 && c <= 0x39)) this.startNumber();
          else if (c === 0x74 || c === 0x66 || c === 0x6e) this.startLiteral(c);
          else {
            if (c === 0x7b) this.open({}, State.ObjectFirst, i);
            else if (c === 0x5b) this.open([], State.ArrayFirst, i);
            else if (c === 0x22) this.startString(false);
            else if (c === 0x5d && this.state === State.ArrayFirst) this.close(c, i);
            else if (!isSpace(c)) this.unexpected(c, i);
            i++;
          }
          break;
        case State.ObjectFirst:
        case State.Key:
          if (c === 0x22) this.startString(true);
          else if (c === 0x7d && this.state === State.ObjectFirst) this.close(c, i);
          else if (!isSpace(c)) this.unexpected(c, i);
          i++;
          break;
        case State.Colon:
          if (c === 0x3a) this.state = State.Value;
          else if (!isSpace(c)) this.unexpected(c, i);
          i++;
          break;
        case State.Escape: {
          const decoded = ESCAPED[c];
          if (decoded !== undefined) {
            this.addText(decoded);
            this.state = State.InString;
          } else if (c === 0x75) {
            this.state = State.Hex;
            this.hexLeft = 4;
            this.hexCode = 0;
          } else this.unexpected(c, i);
          i++;
          break;
        }
        case State.Hex: {
          const digit = hexValue(c);
          if (digit < 0) this.unexpected(c, i);
          else this.addHexDigit(digit);
          i++;
          break;
        }
        case State.InLiteral:
          if (c !== this.literal.charCodeAt(this.literalPos)) this.unexpected(c, i);
          else if (++this.literalPos === this.literal.length) this.endValue(this.literalValue);
          i++;
          break;
        case State.Lead:
          if (c === 0x7b) this.open({}, State.ObjectFirst, i);
          else if (c === 0x5b) this.open([], State.ArrayFirst, i);
          i++;
          break;
        case State.Done:
          if (!isSpace(c)) this.unexpected(c, i);
          i++;
          break;
        default: // Trail, Failed
          return;
      }
    }
  }

  /** Reads string characters from `i` up to the closing quote, a backslash or the chunk's end. */
  private readString(s: string, i: number): number {
    const n = s.length;
    const start = i;
    let c = 0;
    while (i < n && (c = s.charCodeAt(i)) !== 0x22 && c !== 0x5c && c >= 0x20) i++;
    if (i > start) this.addText(s.slice(start, i));
    if (i === n) return n;
    if (c === 0x5c) this.state = State.Escape;
    else if (c !== 0x22) this.fail('Unescaped control character in string', this.consumed + i);
    else if (this.inKey) {
      this.key = this.text + this.held;
      this.state = State.Colon;
    } else {
      // A held high surrogate turned out to be a lone one: it stays, as in JSON.parse.
      this.show(this.text + this.held);
      this.afterValue();
    }
    return i + 1;
  }

  /** Reads number characters from `i`; the character that ends the number is left for `scan`. */
  private readNumber(s: string, i: number): number {
    const n = s.length;
    const start = i;
    let state = this.numState;
    for (; i < n; i++) {
      const cls = NUMBER_CLASS[s.charCodeAt(i)] ?? -1;
      if (cls < 0) break;
      state = NUMBER_NEXT[state * 6 + cls] ?? -1;
      if (state < 0) {
        this.fail('Invalid number', this.consumed + i);
        return n;
      }
    }
    if (i > start) this.text += s.slice(start, i);
    this.numState = state;
    if (i < n) this.endNumber(this.consumed + i);
    return i;
  }

  private addHexDigit(digit: number): void {
    this.hexCode = this.hexCode * 16 + digit;
    if (--this.hexLeft > 0) return;
    // A surrogate half is added as it is, paired or not (JSON.parse keeps lone ones too).
    this.addText(String.fromCharCode(this.hexCode));
    this.state = State.InString;
  }

  private endNumber(offset: number): void {
    if (((NUMBER_COMPLETE >> this.numState) & 1) === 0) this.fail('Invalid number', offset);
    else this.endValue(numberValue(this.text));
  }

  private startNumber(): void {
    this.state = State.InNumber;
    this.numState = 0;
    this.text = '';
  }

  private startLiteral(c: number): void {
    this.state = State.InLiteral;
    this.literalPos = 0;
    this.literal = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
    this.literalValue = c === 0x74 ? true : c === 0x66 ? false : null;
  }

  /** A string value appears at the end of the push that starts it, as the text so far ('' at least). */
  private startString(isKey: boolean): void {
    this.state = State.InString;
    this.inKey = isKey;
    this.text = '';
    this.held = '';
    this.shownLength = -1;
  }

  /** Appends decoded text (at most a chunk) to the current string, holding back a final high surrogate. */
  private addText(piece: string): void {
    if (this.held) {
      piece = this.held + piece;
      this.held = '';
    }
    const last = piece.charCodeAt(piece.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.held = piece.slice(-1);
      piece = piece.slice(0, -1);
    }
    this.text += piece;
  }

  /** Stores a string value (so far) in its slot, unless it is unchanged since the last push. */
  private show(text: string): void {
    if (text.length === this.shownLength) return;
    this.put(text, this.shownLength >= 0);
    this.shownLength = text.length;
  }

  /** Stores a value in its slot: the root, the key being read, or a new array element (or the
   *  last one again, with `again`: a growing string). */
  private put(value: unknown, again = false): void {
    if (this.array) this.array[again ? this.array.length - 1 : this.array.length] = value;
    else if (this.object) defineOwn(this.object, this.key, value);
    else this.root = value;
    this.changed = true;
  }

  private endValue(value: unknown): void {
    this.put(value);
    this.afterValue();
  }

  private afterValue(): void {
    if (this.stack.length > 0) this.state = State.After;
    else {
      this.done = true;
      this.state = this.lenient ? State.Trail : State.Done;
    }
  }

  /** Opens a container (`i`: where its bracket is in the chunk), unless it would be too deep. */
  private open(container: Container, state: State, i: number): void {
    if (this.stack.length >= this.maxDepth) return this.fail(tooDeep(this.maxDepth), this.consumed + i);
    this.put(container);
    this.stack.push(container);
    this.setInnermost(container);
    this.state = state;
  }

  /** Closes the innermost container with `]` or `}`, which must be the matching bracket. */
  private close(c: number, i: number): void {
    if (c === 0x5d ? !this.array : !this.object) return this.unexpected(c, i);
    this.stack.pop();
    this.setInnermost(this.stack[this.stack.length - 1]);
    this.afterValue();
  }

  private setInnermost(container: Container | undefined): void {
    this.array = Array.isArray(container) ? container : undefined;
    this.object = Array.isArray(container) ? undefined : container;
  }

  private unexpected(c: number, i: number): void {
    const expected = EXPECTED[this.state];
    this.fail(`Unexpected character ${JSON.stringify(String.fromCharCode(c))}${expected ? ` (expected ${expected})` : ''}`, this.consumed + i);
  }

  /** Records the first error; the parser then ignores all further input. */
  private fail(message: string, offset: number): void {
    this.failure ??= new SyntaxError(`${message} at offset ${offset}`);
    this.state = State.Failed;
  }
}
