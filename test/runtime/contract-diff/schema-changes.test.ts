/**
 * The runtime's comparison of two self-contained schemas (what a resumed run checks its pending
 * calls' tools with): the rules, pointers and messages of `schemantic diff`, judged by direction,
 * through references into each schema's own `$defs`, a root reference included.
 */
import { describe, expect, it } from 'vitest';
import { schemaChanges, type SchemaChangeFinding } from '../../../runtime/contract-diff/schema-changes.js';

/** The parameters of a payment tool, as a generated spec writes them (named types under `$defs`). */
function parameters(): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      amount: { type: 'integer', minimum: 1 },
      mode: { enum: ['instant', 'standard'] },
      payee: { $ref: '#/$defs/Payee' },
    },
    required: ['amount', 'payee'],
    additionalProperties: false,
    $defs: {
      Payee: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    },
  };
}

/** A finding as `severity rule pointer`, for compact assertions. */
const brief = (f: SchemaChangeFinding) => `${f.severity} ${f.rule} ${f.pointer || '/'}`;

type Schema = Record<string, any>;

/** `parameters()` with `edit` applied to a copy. */
function edited(edit: (s: Schema) => void): Schema {
  const s: Schema = structuredClone(parameters());
  edit(s);
  return s;
}

describe('schemaChanges', () => {
  it('gives nothing for identical schemas, and for equal ones written in another key order', () => {
    expect(schemaChanges(parameters(), parameters(), 'input')).toEqual([]);
    expect(schemaChanges(parameters(), parameters(), 'output')).toEqual([]);
    const reordered = Object.fromEntries(Object.entries(parameters()).reverse());
    expect(schemaChanges(parameters(), reordered, 'input')).toEqual([]);
  });

  it('judges a required property added to parameters as breaking', () => {
    const after = edited((s) => {
      s['properties'].currency = { type: 'string' };
      s['required'].push('currency');
    });
    expect(schemaChanges(parameters(), after, 'input')).toEqual([
      { rule: 'property-added-required', pointer: '/properties/currency', severity: 'breaking', message: 'required property "currency" added' },
    ]);
  });

  it('judges an optional property added to parameters as safe', () => {
    const after = edited((s) => (s['properties'].memo = { type: 'string' }));
    expect(schemaChanges(parameters(), after, 'input')).toEqual([
      { rule: 'property-added-optional', pointer: '/properties/memo', severity: 'safe', message: 'optional property "memo" added' },
    ]);
  });

  it('judges an enum value removed from parameters as breaking', () => {
    const after = edited((s) => (s['properties'].mode.enum = ['standard']));
    expect(schemaChanges(parameters(), after, 'input')).toEqual([
      { rule: 'enum-value-removed', pointer: '/properties/mode/enum', severity: 'breaking', message: 'value "instant" no longer allowed' },
    ]);
  });

  it('judges a widened enum by direction: breaking in returns, safe in parameters', () => {
    const before = { type: 'object', properties: { status: { enum: ['paid', 'pending'] } }, required: ['status'] };
    const after = { type: 'object', properties: { status: { enum: ['paid', 'pending', 'refunded'] } }, required: ['status'] };
    expect(schemaChanges(before, after, 'output')).toEqual([
      { rule: 'enum-value-added', pointer: '/properties/status/enum', severity: 'breaking', message: 'value "refunded" now allowed' },
    ]);
    expect(schemaChanges(before, after, 'input').map(brief)).toEqual(['safe enum-value-added /properties/status/enum']);
  });

  it('finds a change inside a $defs type through its $ref, at the place that refers to it', () => {
    const after = edited((s) => {
      s['$defs'].Payee.properties.iban = { type: 'string' };
      s['$defs'].Payee.required.push('iban');
    });
    expect(schemaChanges(parameters(), after, 'input')).toEqual([
      { rule: 'property-added-required', pointer: '/properties/payee/properties/iban', severity: 'breaking', message: 'required property "iban" added' },
    ]);
  });

  it('follows a root $ref into its own $defs, and ignores $defs nothing refers to', () => {
    const wrap = (schema: Schema, extra: Schema = {}) => {
      const { $defs, ...rest } = schema;
      return { $ref: '#/$defs/Payment', $defs: { ...$defs, Payment: rest, ...extra } };
    };
    // The same type written in place, or as a root reference: no change.
    expect(schemaChanges(parameters(), wrap(parameters()), 'input')).toEqual([]);
    expect(schemaChanges(wrap(parameters()), wrap(parameters(), { Unused: { type: 'string' } }), 'input')).toEqual([]);
    const after = wrap(edited((s) => (s['properties'].amount.maximum = 1000)));
    expect(schemaChanges(wrap(parameters()), after, 'input')).toEqual([
      { rule: 'bound-tightened', pointer: '/properties/amount/maximum', severity: 'breaking', message: 'maximum 1000 added' },
    ]);
  });

  it('says when a reference now names another type, and how the shape changed', () => {
    const after = edited((s) => {
      s['properties'].payee = { $ref: '#/$defs/Company' };
      s['$defs'].Company = { type: 'object', properties: { name: { type: 'string' }, vat: { type: 'string' } }, required: ['name', 'vat'] };
    });
    expect(schemaChanges(parameters(), after, 'input').map(brief)).toEqual([
      'potentially-breaking ref-retargeted /properties/payee',
      'breaking property-added-required /properties/payee/properties/vat',
    ]);
    expect(schemaChanges(parameters(), after, 'input')[0]!.message).toBe('now refers to Company instead of Payee');
  });

  it('compares recursive types once, and resolves only own $defs entries', () => {
    const tree = (label: unknown) => ({
      $ref: '#/$defs/Node',
      $defs: { Node: { type: 'object', properties: { label, children: { type: 'array', items: { $ref: '#/$defs/Node' } } } } },
    });
    expect(schemaChanges(tree({ type: 'string' }), tree({ type: 'string' }), 'output')).toEqual([]);
    expect(schemaChanges(tree({ type: 'string' }), tree({ type: ['string', 'null'] }), 'output')).toEqual([
      { rule: 'type-widened', pointer: '/properties/label/type', severity: 'breaking', message: 'type widened from string to null | string' },
    ]);
    // `constructor` is not an entry of these $defs (Object.prototype's does not count): the reference stays as written.
    const odd = (x: Schema) => ({ type: 'object', properties: { x }, $defs: {} });
    expect(schemaChanges(odd({ $ref: '#/$defs/constructor' }), odd({ $ref: '#/$defs/constructor' }), 'input')).toEqual([]);
    expect(schemaChanges(odd({ $ref: '#/$defs/constructor' }), odd({ $ref: '#/$defs/constructor', type: 'string' }), 'input').map(brief)).toEqual([
      'breaking type-narrowed /properties/x/type',
    ]);
  });

  it('decodes escaped $defs names and escapes property names in pointers', () => {
    const doc = (max: number) => ({
      type: 'object',
      properties: { 'rate/day': { $ref: '#/$defs/Per~0Cent' } },
      $defs: { 'Per~Cent': { type: 'number', maximum: max } },
    });
    expect(schemaChanges(doc(100), doc(50), 'input')).toEqual([
      { rule: 'bound-tightened', pointer: '/properties/rate~1day/maximum', severity: 'breaking', message: 'maximum changed from 100 to 50' },
    ]);
  });

  it('judges a narrowed output as potentially breaking and a loosened one as breaking', () => {
    const before = { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] };
    const narrowed = { type: 'object', properties: { total: { type: 'integer' } }, required: ['total'] };
    expect(schemaChanges(before, narrowed, 'output').map(brief)).toEqual(['potentially-breaking type-narrowed /properties/total/type']);
    expect(schemaChanges(narrowed, before, 'output').map(brief)).toEqual(['breaking type-widened /properties/total/type']);
    expect(schemaChanges(before, { ...before, required: [] }, 'output').map(brief)).toEqual(['breaking property-made-optional /properties/total']);
  });

  it('reports annotations as behavioural, never breaking', () => {
    const after = edited((s) => (s['properties'].amount.description = 'In cents.'));
    expect(schemaChanges(parameters(), after, 'input')).toEqual([
      { rule: 'description-changed', pointer: '/properties/amount/description', severity: 'behavioural', message: 'description added' },
    ]);
  });
});
