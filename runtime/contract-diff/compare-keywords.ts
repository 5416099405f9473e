/**
 * The keywords of a schema that compare on their own (no subschemas): annotations, type, allowed
 * values, bounds. Each says what changed through `emit`, at the keyword's path; the walk in
 * compare-schemas.ts places it and judges it.
 */
import type { SchemaObject } from '../schema/json-kinds.js';
import type { SchemaChange } from './schema-change.js';
import type { RuleId } from './rules.js';
import { canonical, list, short } from './schema-text.js';

/** Keywords that only annotate (documentation, defaults): a change is behavioural. */
export const ANNOTATIONS = new Set([
  'title',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
]);
/** Lower bounds: raising one narrows. */
export const MIN_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties', 'minContains'];
/** Upper bounds: lowering one narrows. */
export const MAX_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties', 'maxContains'];
const TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

/** Reports a change: its rule, its words, the keyword path it is at, and extra fields. */
export type Emit = (rule: RuleId, message: string, path?: (string | number)[], extra?: Pick<SchemaChange<unknown>, 'text'>) => void;

/** Compares `description` and the other annotations: behavioural changes. */
export function compareAnnotations(x: SchemaObject, y: SchemaObject, emit: Emit): void {
  const [p, q] = [x['description'], y['description']];
  if (p !== q && (typeof p === 'string' || typeof q === 'string')) {
    const text = { before: typeof p === 'string' ? p : '', after: typeof q === 'string' ? q : '' };
    emit('description-changed', p === undefined ? 'description added' : q === undefined ? 'description removed' : 'description changed', ['description'], {
      text,
    });
  }
  for (const keyword of ANNOTATIONS) {
    if (canonical(x[keyword]) === canonical(y[keyword])) continue;
    const verb = x[keyword] === undefined ? 'added' : y[keyword] === undefined ? 'removed' : 'changed';
    emit('annotation-changed', `${keyword} ${verb}${verb === 'changed' ? ` from ${short(x[keyword])} to ${short(y[keyword])}` : ''}`, [keyword]);
  }
}

/** The kinds of value a schema's `type` allows (undefined: any). */
function typeSet(schema: SchemaObject): Set<string> | undefined {
  const t = schema['type'];
  if (typeof t === 'string') return new Set([t]);
  if (Array.isArray(t)) return new Set(t.filter((v): v is string => typeof v === 'string'));
  return undefined;
}

function covers(set: Set<string> | undefined, type: string): boolean {
  return set === undefined || set.has(type) || (type === 'integer' && set.has('number'));
}

/** Compares `type`; false when the types are unrelated (then nothing deeper is worth comparing). */
export function compareTypes(x: SchemaObject, y: SchemaObject, emit: Emit): boolean {
  const p = typeSet(x);
  const q = typeSet(y);
  const lost = (p ? [...p] : TYPES).filter((t) => !covers(q, t));
  const gained = (q ? [...q] : TYPES).filter((t) => !covers(p, t));
  if (lost.length === 0 && gained.length === 0) return true;
  const show = (s: Set<string> | undefined) => (s ? [...s].sort().join(' | ') : 'any');
  // Unrelated when no value could satisfy both (integer and number overlap: every integer is a number).
  if (p && q && ![...p].some((t) => covers(q, t)) && ![...q].some((t) => covers(p, t))) {
    emit('type-changed', `type changed from ${show(p)} to ${show(q)}`, ['type']);
    return false;
  }
  if (lost.length > 0) emit('type-narrowed', `type narrowed from ${show(p)} to ${show(q)}`, ['type']);
  if (gained.length > 0) emit('type-widened', `type widened from ${show(p)} to ${show(q)}`, ['type']);
  return true;
}

/** The values an `enum` or `const` allows, by canonical JSON (undefined: no restriction). */
function allowed(schema: SchemaObject): Map<string, unknown> | undefined {
  if (schema['const'] !== undefined) return new Map([[canonical(schema['const']), schema['const']]]);
  if (Array.isArray(schema['enum'])) return new Map(schema['enum'].map((v: unknown) => [canonical(v), v]));
  return undefined;
}

/** Compares the values an `enum` or `const` allows. */
export function compareValues(x: SchemaObject, y: SchemaObject, emit: Emit): void {
  const p = allowed(x);
  const q = allowed(y);
  if (!p && !q) return;
  const key = (schema: SchemaObject) => [schema['const'] !== undefined ? 'const' : 'enum'];
  if (!p) return emit('values-restricted', `now restricted to ${list([...q!.values()])}`, key(y));
  if (!q) return emit('values-unrestricted', `no longer restricted to ${list([...p.values()])}`, key(x));
  const removed = [...p].filter(([k]) => !q.has(k)).map(([, v]) => v);
  const added = [...q].filter(([k]) => !p.has(k)).map(([, v]) => v);
  if (removed.length > 0) emit('enum-value-removed', `${removed.length === 1 ? 'value' : 'values'} ${list(removed)} no longer allowed`, key(y));
  if (added.length > 0) emit('enum-value-added', `${added.length === 1 ? 'value' : 'values'} ${list(added)} now allowed`, key(y));
}

/** Compares numeric bounds and `multipleOf`: a bound that lets fewer values through is tightened. */
export function compareBounds(x: SchemaObject, y: SchemaObject, emit: Emit): void {
  for (const [keywords, tighter] of [
    [MIN_BOUNDS, (p: number, q: number) => q > p],
    [MAX_BOUNDS, (p: number, q: number) => q < p],
  ] as const) {
    for (const keyword of keywords) {
      const p = x[keyword];
      const q = y[keyword];
      if (p === q || (p !== undefined && typeof p !== 'number') || (q !== undefined && typeof q !== 'number')) continue;
      if (p === undefined) emit('bound-tightened', `${keyword} ${String(q)} added`, [keyword]);
      else if (q === undefined) emit('bound-loosened', `${keyword} ${String(p)} removed`, [keyword]);
      else emit(tighter(p, q) ? 'bound-tightened' : 'bound-loosened', `${keyword} changed from ${p} to ${q}`, [keyword]);
    }
  }
  const p = x['multipleOf'];
  const q = y['multipleOf'];
  if (p === q) return;
  if (typeof q === 'number' && p === undefined) emit('bound-tightened', `multipleOf ${q} added`, ['multipleOf']);
  else if (typeof p === 'number' && q === undefined) emit('bound-loosened', `multipleOf ${p} removed`, ['multipleOf']);
  else if (typeof p === 'number' && typeof q === 'number') {
    const message = `multipleOf changed from ${p} to ${q}`;
    if (Number.isInteger(q / p)) emit('bound-tightened', message, ['multipleOf']);
    else if (Number.isInteger(p / q)) emit('bound-loosened', message, ['multipleOf']);
    else emit('constraint-changed', message, ['multipleOf']);
  }
}
