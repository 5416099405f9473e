/**
 * Bundling: a canonical schema plus the named types it reaches, as one self-contained JSON Schema
 * document (`$defs` holds the named types). This is what validators compile and what models see.
 */
import type { IRSchema, IRType } from './types.js';
import { defineOwn, isObject, type SchemaObject } from '../schema/walk.js';

/** The self-contained form of `schema`. */
export function bundle(schema: IRSchema, types: ReadonlyMap<string, IRType>): unknown {
  if (!isObject(schema.schema)) return schema.schema;
  return withDefs(schema.schema, schema.closure, types);
}

/** `root` with `$defs` holding `names` (in that order), or `root` alone when there are none. */
export function withDefs(root: SchemaObject, names: readonly string[], types: ReadonlyMap<string, IRType>): SchemaObject {
  if (names.length === 0) return root;
  const defs: SchemaObject = {};
  for (const name of names) {
    const type = types.get(name);
    if (type) defineOwn(defs, name, type.schema.schema);
  }
  return { ...root, $defs: defs };
}
