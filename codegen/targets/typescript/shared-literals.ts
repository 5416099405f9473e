/**
 * The schemas that recur in the data literals of the tool and agent modules: every bundled schema
 * carries the named types it uses in `$defs`, and its strict and Gemini variants carry their forms,
 * so a type used by many tools and agents is written into many modules. Marked here, each is
 * encoded once (per indentation) and its text reused (see `withSharedLiterals` in escape.ts).
 */
import type { IRType } from '../../compiler/ir/types.js';
import { defineOwn, isObject } from '../../compiler/schema/walk.js';
import { shareLiteral } from '../escape.js';

/** The shared schemas of one `emitModules` run (create it inside `withSharedLiterals`). */
export class SharedSchemas {
  /** The first strict form met of each named type, with its JSON text. */
  private readonly strictDefs = new Map<string, { json: string; schema: unknown }>();
  /** The first Gemini form met of each named type, with its JSON text. */
  private readonly geminiDefs = new Map<string, { json: string; schema: unknown }>();

  /** Marks the named types' schemas, which `bundle` puts in `$defs` as they are (same objects). */
  constructor(types: Iterable<IRType>) {
    for (const type of types) shareLiteral(type.schema.schema);
  }

  /**
   * A strict variant (as `strictVariant` returns it, a fresh object) with each `$defs` entry
   * replaced by the first equal strict form of that type, which is marked shared: the strict form
   * of a type does not depend on the schema it is bundled with, but is made anew for each.
   * Entries that differ from the first (should that ever change) are left alone. Returns `strict`.
   */
  strict<T>(strict: T): T {
    return shareDefs(strict, this.strictDefs);
  }

  /** A Gemini variant (as `geminiVariant` returns it), its `$defs` entries shared as {@link strict}'s. */
  gemini<T>(gemini: T): T {
    return shareDefs(gemini, this.geminiDefs);
  }
}

/** Replaces each `$defs` entry of `variant` by the first equal one met (marked shared). */
function shareDefs<T>(variant: T, first: Map<string, { json: string; schema: unknown }>): T {
  const defs = isObject(variant) ? variant['$defs'] : undefined;
  if (!isObject(defs)) return variant;
  for (const [name, def] of Object.entries(defs)) {
    const json = JSON.stringify(def);
    const met = first.get(name);
    if (met === undefined) {
      first.set(name, { json, schema: def });
      shareLiteral(def);
    } else if (met.json === json) {
      defineOwn(defs, name, met.schema);
    }
  }
  return variant;
}
