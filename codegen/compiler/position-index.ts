/**
 * Where each node of a parsed definitions document is written: JSON pointer -> `line:col` of its
 * key and of its value, and where the `{` of placeholders are written inside strings.
 *
 * An index is filled either at once (parseSource, which has the `yaml` document anyway) or on
 * first use (a file the fast path parsed: positions are only needed when something is reported
 * about the file, so the slow `yaml` parse that gives them is put off until then).
 */
import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import { escapePointerSegment, type SourcePos } from './problems.js';

/** How a lazily filled {@link PositionIndex} gets its positions. */
export interface LazyPositions {
  /** Fills the index (through {@link PositionIndex.set} and {@link PositionIndex.setBraces}); run at most once. */
  build(index: PositionIndex): void;
  /**
   * What `find(pointer, 'key')` gives (where the key is written, or where a sequence item starts),
   * when it is known without building, else undefined. Must be what the built index would give.
   */
  key?(pointer: string): SourcePos | undefined;
}

/** Key and value positions of every node of a document, by JSON pointer. */
export class PositionIndex {
  private readonly keys = new Map<string, SourcePos>();
  private readonly values = new Map<string, SourcePos>();
  /** For string values holding `{{`: where each `{` of the value is written in the source. */
  private readonly braces = new Map<string, SourcePos[]>();
  /** What fills the maps, until they are filled. */
  private pending: LazyPositions | undefined;
  private readonly quickKey: LazyPositions['key'];

  /** An index filled by calls to `set`, or, given `lazy`, one that fills itself when first needed. */
  constructor(lazy?: LazyPositions) {
    this.pending = lazy;
    this.quickKey = lazy?.key?.bind(lazy);
  }

  /** Whether the maps are filled: always for an eager index, after the first lookup that needed them for a lazy one. */
  get built(): boolean {
    return this.pending === undefined;
  }

  /** Records where each `{` of the string value at `pointer` is written. */
  setBraces(pointer: string, positions: SourcePos[]): void {
    this.braces.set(pointer, positions);
  }

  /**
   * The position of the character at `index` of the string `value` found at `pointer`, when it
   * is a `{` (a placeholder's start): where it is written, in a quoted scalar, a folded one or a
   * block. Falls back to the value's position when that is not known (an alias, an escape).
   */
  findBrace(pointer: string, value: string, index: number): SourcePos {
    this.fill();
    const positions = this.braces.get(pointer);
    if (positions && value[index] === '{') {
      let before = 0;
      for (let i = value.indexOf('{'); i >= 0 && i < index; i = value.indexOf('{', i + 1)) before++;
      const hit = positions[before];
      if (hit) return hit;
    }
    return this.find(pointer);
  }

  /** Records where the key and the value of `pointer` start. */
  set(pointer: string, value: SourcePos, key?: SourcePos): void {
    this.values.set(pointer, value);
    if (key) this.keys.set(pointer, key);
  }

  /**
   * The position of `pointer`: its key when `prefer` is `key` and it has one, else its value.
   * A pointer with no recorded node (inside an alias, or one that does not exist yet, such as a
   * missing key) resolves to its nearest recorded ancestor.
   */
  find(pointer: string, prefer: 'key' | 'value' = 'value'): SourcePos {
    if (prefer === 'key' && this.pending && this.quickKey) {
      // The key of every IR entry (and the item of each output member) is looked up on each run:
      // answering those without building keeps a clean run off the slow parse.
      const quick = this.quickKey(pointer);
      if (quick) return quick;
    }
    this.fill();
    let p = pointer;
    for (;;) {
      const hit = (prefer === 'key' ? this.keys.get(p) : undefined) ?? this.values.get(p);
      if (hit) return hit;
      if (p === '') return { line: 1, col: 1 };
      p = p.slice(0, p.lastIndexOf('/'));
    }
  }

  private fill(): void {
    const lazy = this.pending;
    if (!lazy) return;
    // Cleared first: building calls `set`, and a build that throws is not retried forever.
    this.pending = undefined;
    lazy.build(this);
  }
}

/**
 * Records in `positions` where every node under `node` (at `pointer`) is written: its value, its
 * key when it is a mapping value (`key`), and the `{` of string values holding a placeholder.
 * `at` turns a source offset into a position; `source` is the text the offsets are in.
 */
export function indexPositions(
  node: Node | null,
  pointer: string,
  positions: PositionIndex,
  at: (offset: number) => SourcePos,
  source: string,
  key?: SourcePos,
): void {
  if (!node) return;
  const range = node.range;
  if (range) positions.set(pointer, at(range[0]), key);
  if (isAlias(node)) return;
  if (isScalar(node) && typeof node.value === 'string' && node.value.includes('{{') && range) {
    const offsets = braceOffsets(source.slice(range[0], range[1]), node.type);
    const count = node.value.split('{').length - 1;
    if (offsets.length === count)
      positions.setBraces(
        pointer,
        offsets.map((o) => at(range[0] + o)),
      );
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      const name = isScalar(k) ? String(k.value) : String(k);
      const keyPos = k?.range ? at(k.range[0]) : undefined;
      const child = `${pointer}/${escapePointerSegment(name)}`;
      const v = pair.value as Node | null;
      if (v) indexPositions(v, child, positions, at, source, keyPos);
      else if (keyPos) positions.set(child, keyPos, keyPos);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => indexPositions(item as Node, `${pointer}/${i}`, positions, at, source));
  }
}

/**
 * Where the `{` characters of a string scalar's value are written in its source text (`raw`,
 * the scalar as written), in order. In a double-quoted scalar a `{` may be written as an escape
 * (`\x7b`), which counts at its backslash; a block scalar's header line is not part of the value.
 */
function braceOffsets(raw: string, type: string | undefined): number[] {
  const out: number[] = [];
  const start = type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED' ? raw.indexOf('\n') + 1 : 0;
  if (start === 0 && (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED')) return out;
  for (let i = start; i < raw.length; i++) {
    const c = raw[i];
    if (c === '{') {
      out.push(i);
    } else if (c === '\\' && type === 'QUOTE_DOUBLE') {
      const next = raw[i + 1];
      const digits = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : undefined;
      if (digits !== undefined && Number.parseInt(raw.slice(i + 2, i + 2 + digits), 16) === 0x7b) out.push(i);
      i += 1 + (digits ?? 0);
    }
  }
  return out;
}
