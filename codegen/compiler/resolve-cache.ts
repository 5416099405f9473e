/**
 * What resolve keeps between runs (watch mode), and what each file declares: names, schema slot
 * roots and hoistable `$defs`, computed once per parse.
 */
import { problemAt } from './locate.js';
import { escapePointerSegment, type Problem } from './problems.js';
import { draftOf, type Draft } from './schema/meta.js';
import { schemaSlots } from './schema/slots.js';
import { isObject, type SchemaObject } from './schema/walk.js';
import type { LoadedFile } from './load.js';
import type { Located, ResolvedEntry, ResolvedType } from './resolved-corpus.js';

/**
 * What resolve keeps between runs (watch mode). A file's resolution is reused while the file is
 * the same parse, every file declares the same names, slot roots and `$defs` as before, and every
 * location the file's references read in other files still holds the same value; so an edit of
 * one file re-resolves that file and the files that read what changed.
 */
export interface ResolveCache {
  declarations: WeakMap<LoadedFile, FileDeclarations>;
  files: Map<string, FileResolution>;
}

/** A fresh, empty resolve cache. */
export function createResolveCache(): ResolveCache {
  return { declarations: new WeakMap(), files: new Map() };
}

/** The sections of a file whose keys declare names. */
export type DeclaredSection = 'types' | 'tools' | 'agents' | 'mcp' | 'graphs';

/** The sections of a file whose keys declare names, in the order they are read. */
export const DECLARED_SECTIONS: readonly DeclaredSection[] = ['types', 'tools', 'agents', 'mcp', 'graphs'];

/** What one file declares: names, schema slot roots and hoistable `$defs`. */
export interface FileDeclarations {
  /** Whether the whole file was invalid when this was computed. */
  invalidFile: boolean;
  names: { section: DeclaredSection; name: string; pointer: string }[];
  slotRoots: [key: string, root: { draft: Draft }][];
  hoisted: [key: string, name: string][];
  problems: Problem[];
  /** All of the above but problems, as one string, to tell whether declarations changed. */
  signature: string;
}

/** One file's resolved entries, with what they were resolved against. */
export interface FileResolution {
  file: LoadedFile;
  /** The corpus signature (every file's declarations) at the time. */
  signature: string;
  /** Locations in other files that references read (value undefined: nothing there). */
  consulted: { rel: string; file: LoadedFile; pointer: string; value: unknown }[];
  types: ResolvedType[];
  tools: ResolvedEntry[];
  agents: ResolvedEntry[];
  mcp: ResolvedEntry[];
  graphs: ResolvedEntry[];
  problems: Problem[];
}

/** What one file declares; computed once per parse (and per whole-file validity). */
export function declarationsOf(file: LoadedFile, invalid: ReadonlySet<string>, cache: ResolveCache): FileDeclarations {
  const invalidFile = invalid.has(`${file.rel}#`);
  const known = cache.declarations.get(file);
  if (known && known.invalidFile === invalidFile) return known;
  const doc = file.value as SchemaObject;
  const decl: FileDeclarations = { invalidFile, names: [], slotRoots: [], hoisted: [], problems: [], signature: '' };
  for (const section of DECLARED_SECTIONS) {
    for (const [name] of entries(doc[section])) decl.names.push({ section, name, pointer: `/${section}/${escapePointerSegment(name)}` });
  }
  if (!invalidFile) {
    for (const slot of schemaSlots(doc)) {
      decl.slotRoots.push([`${file.rel}#${slot.pointer}`, { draft: draftOf(slot.schema) }]);
      if (!isObject(slot.schema)) continue;
      for (const container of ['$defs', 'definitions']) {
        for (const [def] of entries(slot.schema[container])) {
          const at = `${slot.pointer}/${container}/${escapePointerSegment(def)}`;
          // The hoisted name becomes a `$defs` key in bundled schemas and a TypeScript name.
          if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(def)) {
            decl.problems.push(
              problemAt(file, at, 'invalid-name', `invalid ${container} name ${JSON.stringify(def)}: use letters, digits, _ and -, starting with a letter`, {
                anchor: 'key',
              }),
            );
            continue;
          }
          decl.hoisted.push([`${file.rel}#${at}`, `${slot.owner}_${def}`]);
        }
      }
    }
  }
  decl.signature = JSON.stringify([invalidFile, decl.names.map((n) => n.pointer), decl.slotRoots, decl.hoisted]);
  cache.declarations.set(file, decl);
  return decl;
}

/** The entries of an object (none for anything else). */
export function entries(value: unknown): [string, unknown][] {
  return isObject(value) ? Object.entries(value) : [];
}

/** A location as `file:line:col`, for messages. */
export function where(loc: Located): string {
  const pos = loc.file.positions.find(loc.pointer, 'key');
  return `${loc.file.display}:${pos.line}:${pos.col}`;
}
