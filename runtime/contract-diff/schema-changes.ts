/**
 * The runtime's view of a changed contract: the changes between two self-contained JSON Schemas
 * (named types under the root `$defs`), judged by the rules of `schemantic diff`. A paused run
 * resumed under new tool definitions uses it to refuse a resume that would hand a pending call
 * arguments, or its caller results, the new contract breaks.
 *
 * The core loads this module lazily (a dynamic `import()`), only when a run resumes: it imports
 * nothing but the comparison itself and the JSON Schema helpers that comparison needs.
 */
import { isSchemaObject } from '../schema/json-kinds.js';
import { compareSchemas, type SchemaSide } from './compare-schemas.js';
import { judge, type DiffSeverity, type Direction, type RuleId } from './rules.js';

// What the generator's `schemantic diff` uses of the comparison, re-exported by schemantic/internal
// from here: that entry then imports this module's chunk instead of bundling a second copy.
export { compareSchemas, type SchemaAt, type SchemaSide, type SchemaSides } from './compare-schemas.js';
export { atLeast, isRuleId, judge, RULES, SEVERITIES, type DiffSeverity, type Direction, type Rule, type RuleId } from './rules.js';
export type { SchemaChange } from './schema-change.js';
export { canonical } from './schema-text.js';

/** One change between two schemas, judged for the direction of the place the schema sits. */
export interface SchemaChangeFinding {
  /** The rule's stable id (`property-added-required`, `enum-value-removed`, ...), as `schemantic diff` reports it. */
  rule: RuleId;
  /** Where, relative to the schema root (`''` for the root, `/properties/amount`), through `$ref`s as if the types were written in place. */
  pointer: string;
  /** How bad the change is at a place of the direction asked for (`breaking` stops a resume). */
  severity: DiffSeverity;
  /** What changed, in words. */
  message: string;
}

/**
 * Changes from `before` to `after`, self-contained schemas, at a place of the given direction:
 * `input` for what others write and the runtime reads (tool parameters), `output` for what the
 * runtime writes and others read (tool returns). `pointer` is relative to the schema root ('' for
 * the root, '/properties/amount'). `$ref: '#/$defs/X'` is resolved inside each schema's own root
 * `$defs`, a root `$ref` included (how generated specs write a named type); other references are
 * not followed. Identical schemas give [].
 */
export function schemaChanges(before: unknown, after: unknown, direction: Direction): SchemaChangeFinding[] {
  const old = sideOf(before);
  const neu = sideOf(after);
  // No positions to report: the cursor is always undefined.
  const changes = compareSchemas(
    { old: old.side, new: neu.side, child: () => undefined },
    { schema: old.root, cursor: undefined },
    { schema: neu.root, cursor: undefined },
    '',
  );
  return changes.map((c) => ({ rule: c.rule, pointer: c.pointer, severity: judge(c.rule, direction).severity, message: c.message }));
}

/**
 * A schema's named types (its root `$defs`) and the schema without them: the `$defs` hold the
 * types references point to, not constraints of the root, so they are compared only where
 * something refers to them (and an unused type that changed changes nothing).
 */
function sideOf(schema: unknown): { root: unknown; side: SchemaSide<undefined> } {
  if (!isSchemaObject(schema) || !Object.hasOwn(schema, '$defs')) return { root: schema, side: { type: () => undefined } };
  const { $defs: defs, ...root } = schema;
  return {
    root,
    side: {
      // Own entries only: a reference to `#/$defs/constructor` must not find Object.prototype's.
      type: (name) => (isSchemaObject(defs) && Object.hasOwn(defs, name) ? { schema: defs[name], cursor: undefined } : undefined),
    },
  };
}
