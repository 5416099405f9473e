/**
 * Stage 3, resolve: gather every declared name, report duplicates, and rewrite every `$ref` into
 * one canonical form.
 *
 * Reference rules (documented in README):
 * - `other.yaml#/types/X` and `#/types/X` address a definitions file by path and JSON pointer;
 *   a fragment whose first segment is `types`, `tools`, `agents`, `mcp` or `graphs` always
 *   addresses the file.
 * - any other fragment (`#/$defs/Node`, `#/properties/a`) addresses the enclosing schema, as
 *   JSON Schema says.
 * After resolution a schema refers to named types only, as `{"$ref": "#/$defs/<type name>"}`;
 * `$defs` at the root of a schema are hoisted into named types (`<owner>_<def>`), and a reference
 * to any other location is replaced by a copy of what it points to (with cycle detection).
 * Draft-07 schemas are normalised to draft 2020-12 on the way.
 */
import path from 'node:path/posix';
import { problemAt } from './locate.js';
import { compareText, escapePointerSegment, fromPointer, type Problem } from './problems.js';
import { normalizeDraft07 } from './schema/draft07.js';
import { EMBEDDING_KEYWORD } from './schema/embedding.js';
import { mergeInline, withoutKeys } from './schema/edit.js';
import type { Draft } from './schema/meta.js';
import { valueAt } from './schema/pointer.js';
import { schemaSlots } from './schema/slots.js';
import { isObject, mapSubschemas, type SchemaObject } from './schema/walk.js';
import { didYouMean } from './suggest.js';
import type { LoadedFile } from './load.js';
import { createResolveCache, declarationsOf, entries, where, type FileResolution, type ResolveCache } from './resolve-cache.js';
import { entryKey } from './validate.js';
import type { Located, ResolvedCorpus, ResolvedEntry, ResolvedSlot, ResolvedType } from './resolved-corpus.js';

export type { Located, ResolvedCorpus, ResolvedEntry, ResolvedSlot, ResolvedType } from './resolved-corpus.js';

interface Context {
  file: LoadedFile;
  /** Pointer of the schema slot root, against which non-file fragments resolve. */
  root: string;
  draft: Draft;
  /** Locations being inlined, to detect cycles. */
  stack: string[];
}

const FILE_SECTIONS = new Set(['types', 'tools', 'agents', 'mcp', 'graphs']);

/** Resolves every valid entry of every file. */
export function resolve(files: readonly LoadedFile[], invalid: ReadonlySet<string>, cache?: ResolveCache): { corpus: ResolvedCorpus; problems: Problem[] } {
  return new Resolver(files, invalid, cache).run();
}

class Resolver {
  private readonly problems: Problem[] = [];
  private readonly byRel = new Map<string, LoadedFile>();
  private readonly declared = {
    types: new Map<string, Located>(),
    tools: new Map<string, Located>(),
    agents: new Map<string, Located>(),
    mcp: new Map<string, Located>(),
    graphs: new Map<string, Located>(),
  };
  /** Hoisted `$defs` entries: `rel#pointer` of the entry to the type name it becomes. */
  private readonly hoisted = new Map<string, string>();
  /** Slot roots by `rel#pointer`, with their draft. */
  private readonly slotRoots = new Map<string, { draft: Draft }>();

  /** The signature of the corpus's declarations (see {@link ResolveCache}). */
  private signature = '';
  /** Locations read in other files while resolving the current file. */
  private consulted: FileResolution['consulted'] = [];
  private resolving: LoadedFile | undefined;

  constructor(
    private readonly files: readonly LoadedFile[],
    private readonly invalid: ReadonlySet<string>,
    private readonly cache: ResolveCache = createResolveCache(),
  ) {
    for (const f of files) this.byRel.set(f.rel, f);
  }

  run(): { corpus: ResolvedCorpus; problems: Problem[] } {
    this.declare();
    const types: ResolvedType[] = [];
    const tools: ResolvedEntry[] = [];
    const agents: ResolvedEntry[] = [];
    const mcp: ResolvedEntry[] = [];
    const graphs: ResolvedEntry[] = [];
    for (const file of this.files) {
      if (!this.usable(file, '')) continue;
      const resolution = this.reusable(file) ?? this.resolveFile(file);
      this.cache.files.set(file.rel, resolution);
      types.push(...resolution.types);
      tools.push(...resolution.tools);
      agents.push(...resolution.agents);
      mcp.push(...resolution.mcp);
      graphs.push(...resolution.graphs);
      this.problems.push(...resolution.problems);
    }
    for (const rel of this.cache.files.keys()) if (!this.byRel.has(rel)) this.cache.files.delete(rel);
    types.sort((a, b) => compareText(a.name, b.name));
    return { corpus: { types, tools, agents, mcp, graphs, declared: this.declared }, problems: this.problems };
  }

  /** The last resolution of `file`, if nothing it depends on has changed since. */
  private reusable(file: LoadedFile): FileResolution | undefined {
    const last = this.cache.files.get(file.rel);
    if (!last || last.file !== file || last.signature !== this.signature) return undefined;
    for (const c of last.consulted) {
      const now = this.byRel.get(c.rel);
      if (now === c.file) continue;
      if (!now || JSON.stringify(valueAt(now.value, c.pointer)) !== JSON.stringify(c.value)) return undefined;
    }
    return last;
  }

  /** Resolves the entries of one file, recording what they read elsewhere. */
  private resolveFile(file: LoadedFile): FileResolution {
    const problemsBefore = this.problems.length;
    this.resolving = file;
    this.consulted = [];
    const out: FileResolution = {
      file,
      signature: this.signature,
      consulted: this.consulted,
      types: [],
      tools: [],
      agents: [],
      mcp: [],
      graphs: [],
      problems: [],
    };
    const doc = file.value as SchemaObject;
    for (const [name, schema] of entries(doc['types'])) {
      const pointer = `/types/${escapePointerSegment(name)}`;
      if (!this.usable(file, pointer) || this.declared.types.get(name)?.file !== file) continue;
      out.types.push({ name, ...this.tracked(file, pointer, () => this.resolveSlot(file, pointer, schema)), source: { file, pointer } });
      out.types.push(...this.hoistedTypes(file, pointer, schema, name));
    }
    for (const [section, list] of [
      ['tools', out.tools],
      ['agents', out.agents],
      ['mcp', out.mcp],
      ['graphs', out.graphs],
    ] as const) {
      for (const [name, raw] of entries(doc[section])) {
        const pointer = `/${section}/${escapePointerSegment(name)}`;
        if (!this.usable(file, pointer) || !isObject(raw) || this.declared[section].get(name)?.file !== file) continue;
        const slots: ResolvedSlot[] = [];
        for (const slot of schemaSlots({ [section]: { [name]: raw } })) {
          const slotPointer = slot.pointer;
          slots.push({
            kind: slot.kind,
            ...this.tracked(file, slotPointer, () => this.resolveSlot(file, slotPointer, slot.schema)),
            source: { file, pointer: slotPointer },
          });
          out.types.push(...this.hoistedTypes(file, slotPointer, slot.schema, slot.owner));
        }
        list.push({ name, raw, source: { file, pointer }, slots });
      }
    }
    // The file's problems move from the run's list to its resolution (run() adds them back).
    out.problems = this.problems.splice(problemsBefore);
    this.resolving = undefined;
    return out;
  }

  private usable(file: LoadedFile, pointer: string): boolean {
    if (!isObject(file.value) || this.invalid.has(`${file.rel}#`)) return false;
    return pointer === '' || !this.invalid.has(entryKey(file.rel, pointer));
  }

  /** Records every name, reports duplicates, and indexes slot roots and hoistable `$defs`. */
  private declare(): void {
    const signatures: string[] = [];
    for (const file of this.files) {
      if (!isObject(file.value)) continue;
      const decl = declarationsOf(file, this.invalid, this.cache);
      signatures.push(`${file.rel}\n${decl.signature}`);
      for (const { section, name, pointer } of decl.names) {
        // Tools and agents share a namespace (an agent lists both in `tools`); types, MCP servers and graphs have their own.
        const namespace = section === 'tools' || section === 'agents' ? [this.declared.tools, this.declared.agents] : [this.declared[section]];
        const first = namespace.map((m) => m.get(name)).find((x) => x !== undefined);
        if (first) {
          const what = section === 'types' ? 'type' : section === 'mcp' ? 'MCP server' : section === 'graphs' ? 'graph' : 'tool or agent';
          this.problems.push(problemAt(file, pointer, 'duplicate-name', `${what} "${name}" is already defined at ${where(first)}`, { anchor: 'key' }));
          continue;
        }
        this.declared[section].set(name, { file, pointer });
      }
      for (const [key, root] of decl.slotRoots) this.slotRoots.set(key, root);
      for (const [key, name] of decl.hoisted) this.hoisted.set(key, name);
      this.problems.push(...decl.problems);
    }
    signatures.push([...this.invalid].sort().join('\n'));
    this.signature = signatures.join('\n\n');
  }

  private hoistedTypes(file: LoadedFile, slotPointer: string, schema: unknown, owner: string): ResolvedType[] {
    if (!isObject(schema)) return [];
    const out: ResolvedType[] = [];
    const draft = this.slotRoots.get(`${file.rel}#${slotPointer}`)?.draft ?? '2020-12';
    for (const container of ['$defs', 'definitions']) {
      for (const [def, sub] of entries(schema[container])) {
        const pointer = `${slotPointer}/${container}/${escapePointerSegment(def)}`;
        const name = this.hoisted.get(`${file.rel}#${pointer}`);
        if (name === undefined) continue;
        const ctx: Context = { file, root: slotPointer, draft, stack: [`${file.rel}#${pointer}`] };
        out.push({ name, ...this.tracked(file, pointer, () => this.resolveIn(sub, pointer, ctx)), source: { file, pointer }, hoistedFrom: owner });
      }
    }
    return out;
  }

  /** Entries whose content the resolution in progress has copied (see {@link tracked}). */
  private touched = new Set<string>();

  /**
   * Runs one resolution of the entry holding `pointer`, recording the other entries (in any
   * file) it copied content from: watch mode must re-emit it when one of them changes.
   */
  private tracked(file: LoadedFile, pointer: string, run: () => unknown): { schema: unknown; inlinedFrom: string[] } {
    this.touched = new Set();
    const schema = run();
    this.touched.delete(entryKey(file.rel, pointer));
    return { schema, inlinedFrom: [...this.touched].sort() };
  }

  /** Resolves a slot's schema, leaving out its root `$defs` (hoisted into named types). */
  private resolveSlot(file: LoadedFile, pointer: string, schema: unknown): unknown {
    const draft = this.slotRoots.get(`${file.rel}#${pointer}`)?.draft ?? '2020-12';
    const body = isObject(schema) ? withoutKeys(schema, isDefs) : schema;
    return this.resolveIn(body, pointer, { file, root: pointer, draft, stack: [`${file.rel}#${pointer}`] });
  }

  /** Resolves every `$ref` in `schema`, which sits at `pointer` in the context's file. */
  private resolveIn(schema: unknown, pointer: string, ctx: Context): unknown {
    const normalized = ctx.draft === 'draft-07' ? normalizeDraft07(schema) : schema;
    return mapSubschemas(
      normalized,
      (node, relative) => {
        const stripped = withoutKeys(node, isExtension);
        const ref = stripped['$ref'];
        if (typeof ref !== 'string') return stripped;
        return this.replaceRef(stripped, ref, pointer + relative, ctx);
      },
      '',
    );
  }

  private replaceRef(node: SchemaObject, ref: string, at: string, ctx: Context): unknown {
    const refPointer = `${at}/$ref`;
    const target = this.locate(ref, refPointer, ctx);
    if (!target) return withoutKeys(node, isRef);
    const key = `${target.file.rel}#${target.pointer}`;
    const named = this.namedTypeAt(target.file, target.pointer) ?? this.hoisted.get(key);
    if (named !== undefined) return { ...node, $ref: `#/$defs/${named}` };
    const slot = this.enclosingSlot(target.file, target.pointer);
    if (!slot || !(isObject(target.value) || typeof target.value === 'boolean')) {
      this.problems.push(problemAt(ctx.file, refPointer, 'dangling-ref', `$ref ${JSON.stringify(ref)} does not point to a schema`));
      return withoutKeys(node, isRef);
    }
    if (ctx.stack.includes(key)) {
      this.problems.push(
        problemAt(
          ctx.file,
          refPointer,
          'ref-cycle',
          `$ref ${JSON.stringify(ref)} is part of a cycle through an unnamed schema; move the recursive part into a named type`,
        ),
      );
      return withoutKeys(node, isRef);
    }
    // A whole slot inlined elsewhere brings its body, not its $defs (those are named types now).
    const body = target.pointer === slot.root && isObject(target.value) ? withoutKeys(target.value, isDefs) : target.value;
    this.touched.add(entryKey(target.file.rel, target.pointer));
    const copy = this.resolveIn(body, target.pointer, {
      file: target.file,
      root: slot.root,
      draft: slot.draft,
      stack: [...ctx.stack, key],
    });
    return mergeInline(withoutKeys(node, isRef), copy);
  }

  /** Finds what a `$ref` points to, reporting why when it points nowhere. */
  private locate(ref: string, refPointer: string, ctx: Context): { file: LoadedFile; pointer: string; value: unknown } | undefined {
    const fail = (code: 'dangling-ref' | 'unsupported-keyword', message: string) => {
      this.problems.push(problemAt(ctx.file, refPointer, code, message));
      return undefined;
    };
    const hash = ref.indexOf('#');
    const filePart = hash < 0 ? ref : ref.slice(0, hash);
    let fragment: string;
    try {
      fragment = decodeURIComponent(hash < 0 ? '' : ref.slice(hash + 1));
    } catch {
      return fail('dangling-ref', `$ref ${JSON.stringify(ref)} has a malformed fragment`);
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(filePart)) {
      return fail('unsupported-keyword', `remote $ref ${JSON.stringify(ref)} is not supported: copy the schema into a definitions file and $ref it by path`);
    }
    if (fragment !== '' && !fragment.startsWith('/')) {
      return fail('unsupported-keyword', `$ref ${JSON.stringify(ref)} uses an anchor; $ref schemas by JSON pointer`);
    }
    let file = ctx.file;
    if (filePart !== '') {
      const rel = path.normalize(path.join(path.dirname(ctx.file.rel), filePart));
      const found = this.byRel.get(rel);
      if (!found) return fail('dangling-ref', `$ref ${JSON.stringify(ref)}: no definitions file ${rel}${didYouMean(rel, this.byRel.keys())}`);
      file = found;
    }
    const segments = fromPointer(fragment);
    const fileRelative = filePart !== '' || (segments[0] !== undefined && FILE_SECTIONS.has(segments[0]));
    const pointer = fileRelative ? fragment : ctx.root + fragment;
    if (fileRelative && fragment === '') return fail('dangling-ref', `$ref ${JSON.stringify(ref)} points at a whole file; add #/types/<name>`);
    let missing: { segment: string; siblings: string[] } | undefined;
    const value = valueAt(file.value, pointer, (segment, parent) => (missing = { segment, siblings: isObject(parent) ? Object.keys(parent) : [] }));
    if (missing) {
      this.consult(file, pointer, undefined);
      return fail('dangling-ref', `$ref ${JSON.stringify(ref)}: nothing at ${pointer}${didYouMean(missing.segment, missing.siblings)}`);
    }
    this.consult(file, pointer, value);
    return { file, pointer, value };
  }

  /** Records a location read in another file than the one being resolved. */
  private consult(file: LoadedFile, pointer: string, value: unknown): void {
    if (this.resolving !== undefined && file !== this.resolving) this.consulted.push({ rel: file.rel, file, pointer, value });
  }

  private namedTypeAt(file: LoadedFile, pointer: string): string | undefined {
    const segments = fromPointer(pointer);
    if (segments.length !== 2 || segments[0] !== 'types') return undefined;
    const name = segments[1]!;
    return this.declared.types.get(name)?.file === file ? name : undefined;
  }

  private enclosingSlot(file: LoadedFile, pointer: string): { root: string; draft: Draft } | undefined {
    let p = pointer;
    while (p !== '') {
      const slot = this.slotRoots.get(`${file.rel}#${p}`);
      if (slot) return { root: p, draft: slot.draft };
      p = p.slice(0, p.lastIndexOf('/'));
    }
    return undefined;
  }
}

const isRef = (keyword: string): boolean => keyword === '$ref';
const isDefs = (keyword: string): boolean => keyword === '$defs' || keyword === 'definitions';
/** Extension keywords are left out of canonical schemas, but for the embedding marker, which the emitters read. */
const isExtension = (keyword: string): boolean => keyword.startsWith('x-') && keyword !== EMBEDDING_KEYWORD;
