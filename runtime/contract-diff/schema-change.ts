/**
 * One change the schema walk finds: the record compare-schemas.ts and compare-keywords.ts both make.
 */
import type { RuleId } from './rules.js';

/** One change found in a schema; `C` is the caller's cursor (compare-schemas.ts, `SchemaSides`). */
export interface SchemaChange<C> {
  rule: RuleId;
  /** Where, relative to the contract (the caller's base pointer, then keywords). */
  pointer: string;
  message: string;
  /** The node in the old revision (for an addition: where it is missing). */
  before: C;
  /** The node in the new revision (for a removal: where it is missing). */
  after: C;
  /** The named type the change is in. */
  inType?: string;
  /** Old and new text, for a changed description. */
  text?: { before: string; after: string };
}
