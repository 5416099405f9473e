/**
 * Bundling: a canonical schema plus the named types it reaches, as one self-contained JSON Schema
 * document (`$defs` holds the named types). This is what validators compile and what models see.
 */
import type { IRSchema, IRType } from './types.js';
import { defineOwn, isObject, type SchemaObject } from '../schema/walk.js';

/** The self-contained form of `schema`. */
export function bundle(schema: IRSchema, types: ReadonlyMap<string, IRType>): unknown {
  if (schema.closure.length === 0 || !isObject(schema.schema)) return schema.schema;
  const defs: SchemaObject = {};
  for (const name of schema.closure) {
    const type = types.get(name);
    if (type) defineOwn(defs, name, type.schema.schema);
  }
  return { ...schema.schema, $defs: defs };
}
