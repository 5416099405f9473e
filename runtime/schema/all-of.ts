/**
 * Schema nodes as keyword entries that remember where each came from in the input, and the merge
 * of a single-member `allOf` into its node: what the OpenAI strict transform works on, and what
 * optional-nulls.ts uses to see the same properties the transform saw.
 */
import { escapePointerSegment } from './json-pointer.js';
import type { JsonSchema } from '../contract/spec.js';
import { isSchemaObject, type SchemaObject } from './json-kinds.js';
import { NO_VALUE, type StrictProblem } from './strict-problems.js';

/** One keyword of a node, with the JSON pointer of its value in the input. */
export interface Entry {
  readonly key: string;
  readonly value: unknown;
  readonly pointer: string;
  /** For `properties` merged from an `allOf` member: where each property came from. */
  readonly propertyPointers?: ReadonlyMap<string, string>;
}

export function entriesOf(schema: SchemaObject, pointer: string): Entry[] {
  return Object.keys(schema).map((key) => ({ key, value: schema[key], pointer: `${pointer}/${escapePointerSegment(key)}` }));
}

export function propertyPointer(entry: Entry, name: string): string {
  return entry.propertyPointers?.get(name) ?? `${entry.pointer}/${escapePointerSegment(name)}`;
}

/**
 * The node with a single-member `allOf` merged in (recursively), the member's keywords taking the
 * place of `allOf`. The member wins on conflicts, except that the node's `description` stays and
 * `properties` and `required` are united (allOf is an intersection: dropping the node's own
 * properties would ask the model for objects the original schema rejects). An `allOf` that cannot
 * be merged is reported (when `problems` is given) and left in place.
 */
export function flattenAllOf(entries: Entry[], problems: StrictProblem[] | undefined): Entry[] {
  const at = entries.findIndex((e) => e.key === 'allOf');
  const allOf = entries[at];
  if (!allOf) return entries;
  const members = allOf.value;
  if (!Array.isArray(members) || members.length !== 1) {
    problems?.push({
      pointer: allOf.pointer,
      message: `allOf with ${Array.isArray(members) ? members.length : 'no'} members cannot be strict (only a single member can be merged)`,
    });
    return entries;
  }
  const member: unknown = members[0];
  const memberPointer = `${allOf.pointer}/0`;
  if (member === true) return entries.filter((e) => e !== allOf);
  if (!isSchemaObject(member)) {
    problems?.push({ pointer: memberPointer, message: member === false ? NO_VALUE : 'not a schema' });
    return entries;
  }
  const memberEntries = flattenAllOf(entriesOf(member, memberPointer), problems);
  const own = new Set(entries.filter((e) => e !== allOf).map((e) => e.key));
  const byKey = new Map(memberEntries.map((e) => [e.key, e]));
  return entries.flatMap((e) => {
    if (e === allOf) return memberEntries.filter((m) => !own.has(m.key));
    const m = byKey.get(e.key);
    return m ? [mergeEntry(e, m)] : [e];
  });
}

function mergeEntry(base: Entry, member: Entry): Entry {
  if (base.key === 'description') return base;
  if (base.key === 'properties' && isSchemaObject(base.value) && isSchemaObject(member.value)) {
    const pointers = new Map<string, string>();
    for (const name of Object.keys(base.value)) pointers.set(name, propertyPointer(base, name));
    for (const name of Object.keys(member.value)) pointers.set(name, propertyPointer(member, name));
    return { ...base, value: Object.fromEntries([...Object.entries(base.value), ...Object.entries(member.value)]), propertyPointers: pointers };
  }
  if (base.key === 'required' && Array.isArray(base.value) && Array.isArray(member.value)) {
    return { ...base, value: [...new Set([...(base.value as unknown[]), ...(member.value as unknown[])])] };
  }
  return member;
}

export function fromEntries(entries: readonly Entry[]): SchemaObject {
  return Object.fromEntries(entries.map((e) => [e.key, e.value]));
}

/**
 * The schema with a single-member `allOf` merged into it, exactly as `toOpenAIStrict` merges it
 * (the same object when there is nothing to merge). Shared with optional-nulls.ts, so both see
 * the same properties.
 */
export function mergeSingleAllOf(schema: JsonSchema): JsonSchema {
  if (!isSchemaObject(schema) || !('allOf' in schema)) return schema;
  const entries = entriesOf(schema, '');
  const merged = flattenAllOf(entries, undefined);
  return merged === entries ? schema : fromEntries(merged);
}
