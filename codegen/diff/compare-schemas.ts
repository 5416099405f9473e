/**
 * The structural comparison of two revisions' schemas, on the IR: the walk itself is the runtime's
 * (contract-diff/compare-schemas.ts, through `schemantic/internal`), shared with the runtime's check
 * of a resumed run; this adapter tells it where the IR's named types are and where each node was
 * written, so every change can be located in both revisions' files.
 */
import { compareSchemas as compareSchemaTrees, type SchemaAt as SchemaAtOf, type SchemaChange as SchemaChangeOf, type SchemaSide } from 'schemantic/internal';
import { childCursor, cursorOf, type Cursor, type Side } from './side.js';

/** A schema on one side, with where it was written in the definitions. */
export type SchemaAt = SchemaAtOf<Cursor>;

/** One change found in a schema, placed in both revisions' definitions. */
export type SchemaChange = SchemaChangeOf<Cursor>;

/** Compares `before` (old revision) with `after` (new); `pointer` is where they sit in the contract. */
export function compareSchemas(sides: { old: Side; new: Side }, before: SchemaAt, after: SchemaAt, pointer: string): SchemaChange[] {
  return compareSchemaTrees({ old: typesOf(sides.old), new: typesOf(sides.new), child: childCursor }, before, after, pointer);
}

/** The named types of a side: their canonical schemas, written where their definitions are. */
function typesOf(side: Side): SchemaSide<Cursor> {
  return {
    type: (name) => {
      const type = side.types.get(name);
      return type && { schema: type.schema.schema, cursor: cursorOf(type.source) };
    },
  };
}
