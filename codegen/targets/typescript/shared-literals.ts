/**
 * The schemas that recur in the data literals of the tool and agent modules: every bundled schema
 * carries the named types it uses in `$defs`, and its strict variant carries their strict forms,
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
    const defs = isObject(strict) ? strict['$defs'] : undefined;
    if (!isObject(defs)) return strict;
    for (const [name, def] of Object.entries(defs)) {
      const json = JSON.stringify(def);
      const first = this.strictDefs.get(name);
      if (first === undefined) {
        this.strictDefs.set(name, { json, schema: def });
        shareLiteral(def);
      } else if (first.json === json) {
        defineOwn(defs, name, first.schema);
      }
    }
    return strict;
  }
}
