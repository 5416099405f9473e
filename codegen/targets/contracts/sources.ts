/**
 * Which definitions files an exported document comes from, for its banner: the file of each tool
 * or agent it describes, of each named type it bundles, and of every entry whose content the
 * resolver copied into one of those schemas (a `$ref` to a property of another file's type).
 */
import type { IR, IRSchema, IRSource } from '../../compiler/ir/types.js';

/** Answers "which files does this come from" for the elements of one IR. */
export interface SourceIndex {
  /** Display paths of the files behind `owners` and `schemas` (with their named types), sorted. */
  files(owners: readonly IRSource[], schemas: readonly IRSchema[]): string[];
}

/** Builds the index of `ir`. */
export function sourceIndex(ir: IR): SourceIndex {
  const types = new Map(ir.types.map((t) => [t.name, t]));
  // `inlinedFrom` names entries as `rel#/pointer`, relative to the definitions folder; the banner
  // shows display paths, which every IR element carries beside its `rel`.
  const displayOf = new Map<string, string>();
  for (const element of [...ir.types, ...ir.tools, ...ir.agents]) displayOf.set(element.source.rel, element.source.file);
  // Longest first, so that `a.yaml#` never claims an entry of `a.yaml#b/c.yaml` (a folder named `a.yaml#b`).
  const rels = [...displayOf.keys()].sort((a, b) => b.length - a.length);
  const fileOfEntry = (key: string): string | undefined => {
    const rel = rels.find((r) => key.startsWith(`${r}#`));
    return rel === undefined ? undefined : displayOf.get(rel);
  };

  return {
    files(owners, schemas) {
      const out = new Set(owners.map((o) => o.file));
      const addInlined = (schema: IRSchema) => {
        for (const key of schema.inlinedFrom) {
          const file = fileOfEntry(key);
          if (file !== undefined) out.add(file);
        }
      };
      for (const schema of schemas) {
        addInlined(schema);
        for (const name of schema.closure) {
          const type = types.get(name);
          if (!type) continue;
          out.add(type.source.file);
          addInlined(type.schema);
        }
      }
      return [...out].sort();
    },
  };
}
