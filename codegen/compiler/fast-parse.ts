/**
 * The fast path of the load stage: js-yaml parses a definitions file about ten times faster than
 * the `yaml` package, but it is a different parser, so its result is only taken when it is
 * certain to be exactly what the `yaml` path (parseSource in load.ts) gives, with no problem.
 * Whenever that cannot be made sure of cheaply, {@link fastParse} declines and the caller parses
 * the file with `yaml`, which also reports the problems and their positions.
 *
 * How the two are kept identical:
 * - Plain scalars are resolved by the `yaml` package's own YAML 1.2 core tags (same tests, same
 *   order, same constructors), not by js-yaml's CORE_SCHEMA, which differs on purpose or by
 *   accident (`0b1`, `-0x1F`, `-.5`, `-0`, `1e400`...). Quoted and block scalars are strings in both.
 * - Anything whose meaning differs between the two, or that `yaml` reports, declines: any error
 *   or warning of js-yaml, a tag (even `!`), an anchor (aliases give shared objects here, copies
 *   with an alias budget there), a directive, a collection or null as a key, a `__proto__` key, a
 *   non-finite number (`yaml` reports it as not JSON), an implicit key over 1024 characters, and
 *   a root that is not a mapping or a sequence (an empty or scalar document).
 * - So do the texts js-yaml was found to read differently, by tests that compare the two parsers
 *   on generated and edited texts: checked on the text first, see the top of {@link fastParse}.
 * - A walk of the result checks that every collection js-yaml composed is reached exactly once
 *   (none was used as a key, none is shared) and that values are plain JSON data.
 *
 * While parsing, where every mapping key and every sequence item starts is recorded: that answers
 * `find(pointer, 'key')` (what the IR records for each entry) without the slow parse; see load.ts.
 */
import { load as loadYaml, Schema, Type, type State } from 'js-yaml';
import { isScalar, parseDocument, type ScalarTag } from 'yaml';
import { escapePointerSegment, unescapePointerSegment } from './problems.js';

/** The `yaml` options of the exact path (parseSource), shared so both read YAML the same way. */
export const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, merge: false, version: '1.2' } as const;

/** A file the fast path parsed: its value, and where its mapping keys are written. */
export interface FastParse {
  /** The document as plain JSON data, identical to what the `yaml` path gives. */
  value: unknown;
  /**
   * The source offset `find(pointer, 'key')` of the `yaml` path's index points at: where the key
   * is written for a mapping entry, where the item starts for a sequence item. Undefined when it
   * is not known here: the root, a pointer that does not exist, or a collection whose entries
   * could not all be matched to where they are written.
   */
  keyOffset(pointer: string): number | undefined;
}

/** Why the fast path declined a file (for tests and debugging; the caller only needs to know that it did). */
export interface Declined {
  declined: string;
}

/** Thrown inside js-yaml (from the listener or a resolver) to abandon the fast path. */
class Decline extends Error {}

/** The js-yaml loader state, with the fields this module reads that @types/js-yaml leaves out. */
interface LoaderState extends State {
  tag: string | null;
  anchorMap: Record<string, unknown>;
  tagMap: Record<string, string>;
}

/**
 * The scalar tags `yaml` tries, in order, on a plain scalar with no tag (its findScalarTagByTest):
 * taken from a document parsed with the same options, so they are the ones the exact path uses.
 */
const CORE_TAGS: readonly ScalarTag[] = (parseDocument('', YAML_OPTIONS).schema.tags as ScalarTag[]).filter(
  (tag) => (tag.default === true || tag.default === 'key') && tag.test !== undefined,
);

/**
 * Matches what any of CORE_TAGS matches, in one test: most plain scalars are strings that match
 * none, and one regular expression rejects them faster than each tag's in turn. (With a flag on a
 * tag's test the union cannot be written, and every scalar goes through the tags one by one.)
 */
const ANY_CORE_TAG = CORE_TAGS.every((tag) => tag.test!.flags === '') ? new RegExp(CORE_TAGS.map((tag) => `(?:${tag.test!.source})`).join('|')) : /(?:)/;

/** The `yaml` tag of the scalar js-yaml is resolving, from `resolve` to `construct`. */
let matched: ScalarTag | undefined;

/**
 * One js-yaml implicit type standing for every core tag of `yaml`: a plain scalar becomes what
 * `yaml` makes of it, or stays a string (js-yaml's own fallback) when no tag matches, as in `yaml`.
 */
const coreScalar = new Type('tag:schemantic.dev,2025:yaml-core-scalar', {
  kind: 'scalar',
  // js-yaml passes the tag as a second argument only for an explicit tag naming this type.
  resolve(this: void, data: string, explicitTag?: string) {
    if (explicitTag !== undefined) throw new Decline('explicit tag');
    if (!ANY_CORE_TAG.test(data)) return false;
    matched = CORE_TAGS.find((tag) => tag.test!.test(data));
    // A tag `yaml` applies to keys only (merge keys, when on): whether this scalar is a key is not
    // known here.
    if (matched?.default === 'key') throw new Decline('key-only tag');
    return matched !== undefined;
  },
  construct(data: string) {
    const fail = (message: string) => {
      throw new Decline(message);
    };
    const resolved: unknown = matched!.resolve(data, fail, { intAsBigInt: false } as never);
    return isScalar(resolved) ? resolved.value : resolved;
  },
});

/**
 * No tag of js-yaml's own: an explicit tag (`!!str`, `!foo`) is unknown, so js-yaml throws and the
 * fast path declines; untagged collections and quoted or block scalars need no type.
 */
const SCHEMA = new Schema({ implicit: [coreScalar], explicit: [] });

/**
 * The keys recorded for one mapping, in source order, and where each starts (two arrays: a map
 * per mapping, for every mapping of every file, costs more than the few lookups made of them).
 */
interface KeyRecord {
  names: string[];
  starts: number[];
  /** By name, built on the first lookup. */
  byName?: Map<string, number>;
}

/**
 * Parses `source` (without its byte-order mark) with js-yaml, or declines when the result could
 * differ from the `yaml` path's or that path would report a problem.
 */
export function fastParse(source: string): FastParse | Declined {
  // `!<?>` (a verbatim tag) asks js-yaml to resolve a quoted scalar as if it were plain: not seen
  // by the resolver, and `yaml` keeps the string, so any verbatim tag declines.
  if (source.includes('!<')) return { declined: 'verbatim tag' };
  // A byte-order mark left in the text (a second one, or one at a line start) is skipped by
  // `yaml`, read as content or dropped by js-yaml.
  if (source.includes('\uFEFF')) return { declined: 'byte-order mark' };
  // A carriage return not before a line feed ends a line for js-yaml, not for `yaml`.
  if (source.includes('\r') && /\r(?!\n)/.test(source)) return { declined: 'lone carriage return' };
  // js-yaml misreads some tabs among indentation and block indicators (`-\t{a: 1}` can join the
  // sequence above it); `yaml` rejects most of them. A line whose tab comes before any content
  // declines, tabs elsewhere (inside a line's content) are read alike.
  if (source.includes('\t') && /^[ ?:-]*\t/m.test(source)) return { declined: 'tab before the content of a line' };
  // js-yaml takes `#` right after these indicators for a comment; `yaml` requires a space first.
  if (/[,[{:]#/.test(source)) return { declined: 'comment not separated by a space' };
  if (emptyItemBeforeOuterItem(source)) return { declined: 'empty sequence item' };
  // js-yaml ends the text with a line feed, which a kept (`|+`) block scalar ending in a last line
  // of spaces would get.
  if (/^[ \t]+$/.test(source.slice(source.lastIndexOf('\n') + 1))) return { declined: 'last line of spaces' };
  // Content on the line of a document marker: `---{}` is a scalar for `yaml`, `--- a: 1` an error.
  if (/^(?:---|\.\.\.)(?![ \t]*(?:#[^\n]*)?\r?$)/m.test(source)) return { declined: 'content after a document marker' };
  // An escaped line break (`\` ending a line in a double-quoted scalar) before an empty line:
  // the two parsers fold the empty lines differently.
  if (/\\[ \t]*\r?\n[ \t]*\r?\n/.test(source)) return { declined: 'escaped line break before an empty line' };
  if (unusualBlockScalar(source)) return { declined: 'block scalar with an indentation indicator or a more indented blank line' };
  // The nodes js-yaml is composing, innermost last: where each starts, and the keys recorded
  // among its children (two arrays rather than an object per node: this runs for every node).
  const starts: number[] = [];
  const keysOf: (KeyRecord | undefined)[] = [];
  // And the other nodes among its children, as start, value, start, value... (the items, if it
  // turns out to be a sequence).
  const itemsOf: (unknown[] | undefined)[] = [];
  const keyRecords = new Map<object, KeyRecord>();
  // For each sequence whose items all were matched to a node: the same list, start then value.
  const itemRecords = new Map<unknown[], unknown[]>();
  // Every collection js-yaml composed: each must be reached exactly once in the result.
  const composed = new Set<object>();
  let loaderState: LoaderState | undefined;
  const listener = (event: 'open' | 'close', raw: State): void => {
    const state = raw as LoaderState;
    if (event === 'open') {
      starts.push(state.position);
      keysOf.push(undefined);
      itemsOf.push(undefined);
      return;
    }
    loaderState = state;
    const start = starts.pop()!;
    const ownKeys = keysOf.pop();
    const ownItems = itemsOf.pop();
    // `!` (the non-specific tag) is the one tag js-yaml accepts without looking it up.
    if (state.tag === '!') throw new Decline('non-specific tag');
    const collection = state.kind === 'mapping' || state.kind === 'sequence';
    if (collection) {
      // (A flow collection where a block one may start closes twice: once as itself, once as the
      // node that tried to read a block mapping there and kept it instead. The set has it once.)
      composed.add(state.result as object);
      if (state.kind === 'mapping' && ownKeys) keyRecords.set(state.result as object, ownKeys);
      // An empty item (`-` alone) is composed by no node: then items and nodes cannot be matched.
      if (state.kind === 'sequence' && ownItems && !itemRecords.has(state.result as unknown[]) && sameItems(state.result as unknown[], ownItems))
        itemRecords.set(state.result as unknown[], ownItems);
    }
    // A node followed on its line by `:` is a key (anywhere else js-yaml rejects the `:`): record
    // where it starts, in the mapping being composed around it.
    const input = state.input;
    let p = state.position;
    let c = input.charCodeAt(p);
    // After a quoted scalar or a flow collection js-yaml reads `#` as a comment; `yaml` wants a
    // space first. (A plain scalar ends before ` #`, where the `#` is separated.)
    if (c === 0x23 && !isSpace(input.charCodeAt(p - 1))) throw new Decline('comment not separated by a space');
    while (c === 0x20 || c === 0x09) c = input.charCodeAt(++p);
    if (c !== 0x3a) {
      if (itemsOf.length > 0) (itemsOf[itemsOf.length - 1] ??= []).push(start, state.result);
      return;
    }
    if (collection) throw new Decline('collection as a key');
    // `yaml` rejects an implicit key whose `:` is more than 1024 characters after its start.
    if (p - start > 1024) throw new Decline('long implicit key');
    const parent = keysOf.length - 1;
    if (parent < 0) return;
    const keys = (keysOf[parent] ??= { names: [], starts: [] });
    keys.names.push(String(state.result));
    keys.starts.push(start);
  };
  let value: unknown;
  try {
    value = loadYaml(source, {
      schema: SCHEMA,
      listener,
      onWarning: () => {
        throw new Decline('warning');
      },
    });
  } catch (err) {
    // A syntax error, a duplicate key, an unknown tag, or one of the reasons above.
    return { declined: err instanceof Decline ? err.message : `js-yaml: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    matched = undefined;
  }
  if (!loaderState || typeof value !== 'object' || value === null) return { declined: 'not a mapping or a sequence' };
  // Anchors (hence aliases) and directives (`%YAML 1.1` changes the schema in `yaml`) decline.
  if (hasKeys(loaderState.anchorMap)) return { declined: 'anchor' };
  if (hasKeys(loaderState.tagMap) || loaderState.version !== null) return { declined: 'directive' };
  const plain = (node: unknown): boolean => {
    if (node === null) return true;
    switch (typeof node) {
      case 'string':
      case 'boolean':
        return true;
      case 'number':
        return Number.isFinite(node);
      case 'object':
        break;
      default:
        return false;
    }
    // Not composed as a collection (a pair of a flow sequence), or reached before (shared).
    if (!composed.delete(node)) return false;
    if (Array.isArray(node)) return node.every(plain);
    if (Object.getPrototypeOf(node) !== Object.prototype) return false;
    const record = keyRecords.get(node);
    const keys = Object.keys(node);
    // Key offsets are trusted only when they match the mapping's keys one to one.
    if (record && !sameKeys(record.names, keys)) keyRecords.delete(node);
    for (const key of keys) {
      // js-yaml turns a null key into "null" where `yaml` makes it "": any "null" key declines.
      if (key === '__proto__' || key === 'null') return false;
      if (!plain((node as Record<string, unknown>)[key])) return false;
    }
    return true;
  };
  if (!plain(value)) return { declined: 'not plain JSON data, a __proto__ or null key, or a collection shared or not composed' };
  // A collection composed but not in the result was a key (js-yaml made it a string).
  if (composed.size > 0) return { declined: 'a collection used as a key' };
  const root = value;
  return { value, keyOffset: (pointer) => keyOffsetOf(root, keyRecords, itemRecords, pointer) };
}

/** Whether the nodes recorded as `[start, value, ...]` are the items of `sequence`, in order. */
function sameItems(sequence: readonly unknown[], nodes: readonly unknown[]): boolean {
  if (nodes.length !== 2 * sequence.length) return false;
  for (let i = 0; i < sequence.length; i++) if (sequence[i] !== nodes[2 * i + 1]) return false;
  return true;
}

/** Whether `names` (recorded, in source order) are exactly `keys` (Object.keys, integer-like keys first). */
function sameKeys(names: readonly string[], keys: readonly string[]): boolean {
  if (names.length !== keys.length) return false;
  if (names.every((name, i) => name === keys[i])) return true;
  const set = new Set(names);
  return set.size === names.length && keys.every((k) => set.has(k));
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Whether an empty block sequence item (a `-` ending its line) is followed by a `-` item that is
 * less indented: js-yaml adds that item to the inner sequence, `yaml` (rightly) to the outer one.
 */
function emptyItemBeforeOuterItem(source: string): boolean {
  const content = /^([ ]*)([^ \r\n#])/gm;
  for (const m of source.matchAll(/^([ ]*(?:-[ \t]+)*)-[ \t\r]*(?:#[^\n]*)?$/gm)) {
    const column = m[1]!.length;
    // The next line with content: its indentation and first character.
    content.lastIndex = m.index + m[0].length;
    const next = content.exec(source);
    if (next && next[2] === '-' && next[1]!.length < column) return true;
  }
  return false;
}

/**
 * Whether a block scalar has an indentation indicator (`|2`), or starts with a line of spaces
 * longer than the indentation of its first line of text: the two parsers read their lines
 * differently (`yaml` reports the second case, js-yaml may end the scalar there).
 */
function unusualBlockScalar(source: string): boolean {
  const line = /^( *)(\r?)$|^( *)\S/gm;
  for (const header of source.matchAll(/(?:^|[ \t])[|>]([0-9+-]*)[ \t]*(?:#[^\n]*)?\r?$/gm)) {
    if (/[0-9]/.test(header[1]!)) return true;
    // The lines of spaces before its first line of text.
    let widest = -1;
    line.lastIndex = header.index + header[0].length + 1;
    for (let m = line.exec(source); m; m = line.exec(source)) {
      if (m[1] === undefined) {
        if (widest > m[3]!.length) return true;
        break;
      }
      widest = Math.max(widest, m[1].length);
      if (line.lastIndex >= source.length) break;
      line.lastIndex++;
    }
  }
  return false;
}

function hasKeys(record: Record<string, unknown>): boolean {
  for (const _ in record) return true;
  return false;
}

/** The recorded offset of the key or item at `pointer`, found by walking the value along the pointer. */
function keyOffsetOf(
  root: unknown,
  keyRecords: ReadonlyMap<object, KeyRecord>,
  itemRecords: ReadonlyMap<unknown[], unknown[]>,
  pointer: string,
): number | undefined {
  if (pointer === '') return undefined;
  const segments = pointer.split('/');
  let node = root;
  for (let i = 1; i < segments.length; i++) {
    const raw = segments[i]!;
    const segment = unescapePointerSegment(raw);
    // A pointer written another way than the index writes it is not in the index either.
    if (escapePointerSegment(segment) !== raw) return undefined;
    if (typeof node !== 'object' || node === null) return undefined;
    if (Array.isArray(node)) {
      if (!/^(?:0|[1-9][0-9]*)$/.test(segment) || Number(segment) >= node.length) return undefined;
      if (i === segments.length - 1) return itemRecords.get(node)?.[2 * Number(segment)] as number | undefined;
      node = node[Number(segment)];
      continue;
    }
    if (!Object.hasOwn(node, segment)) return undefined;
    if (i === segments.length - 1) {
      const record = keyRecords.get(node);
      if (!record) return undefined;
      record.byName ??= new Map(record.names.map((name, k) => [name, record.starts[k]!]));
      return record.byName.get(segment);
    }
    node = (node as Record<string, unknown>)[segment];
  }
  return undefined;
}
