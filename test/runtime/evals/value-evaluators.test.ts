/**
 * The evaluators of the output's value: equality (exact and partial), JSON pointers, contains and
 * regex, each on a passing and a failing case, with the failure's reason.
 */
import { describe, expect, it } from 'vitest';
import { contains, equals, equalsExpected, partialEquals, pointer, regex, type Evaluator, type EvaluatorContext } from 'schemantic/evals';
import { UserError } from 'schemantic';
import { evalContext } from './eval-context.js';

const evaluate = async (e: Evaluator, ctx: EvaluatorContext) => e.evaluate(ctx);

describe('equalsExpected', () => {
  it('passes on a deep-equal output, whatever the key order', async () => {
    const ctx = evalContext({ risk: 3, advice: { block: true, note: 'x' } }, { expected: { advice: { note: 'x', block: true }, risk: 3 } });
    expect(await evaluate(equalsExpected(), ctx)).toEqual({ value: true });
  });

  it('fails naming where the output differs, what was expected and what was found', async () => {
    const ctx = evalContext({ risk: 1, advice: { block: false } }, { expected: { risk: 1, advice: { block: true } } });
    expect(await evaluate(equalsExpected(), ctx)).toEqual({ value: false, reason: 'at /advice/block: expected true, found false' });
  });

  it('fails on a property the expected output lacks, and on a missing one', async () => {
    expect(await evaluate(equalsExpected(), evalContext({ a: 1, b: 2 }, { expected: { a: 1 } }))).toEqual({
      value: false,
      reason: 'at /b: found 2, expected nothing',
    });
    expect(await evaluate(equalsExpected(), evalContext({ a: 1 }, { expected: { a: 1, b: 2 } }))).toEqual({
      value: false,
      reason: 'at /b: expected 2, found nothing',
    });
  });

  it('throws a UserError when the case has no expected output', async () => {
    await expect(evaluate(equalsExpected(), evalContext('x'))).rejects.toSatisfy(
      (e) => UserError.isInstance(e) && /case-1 has no expected output/.test(e.message),
    );
  });

  it('truncates big values in the reason', async () => {
    const long = 'a'.repeat(5000);
    const out = (await evaluate(equals(long), evalContext('b'.repeat(5000)))) as { value: boolean; reason: string };
    expect(out.value).toBe(false);
    expect(out.reason.length).toBeLessThan(300);
    expect(out.reason).toMatch(/^expected "a+…, found "b+…$/);
  });
});

describe('equals', () => {
  it('passes on an equal array and fails on a different length', async () => {
    expect(await evaluate(equals([1, { b: 2 }]), evalContext([1, { b: 2 }]))).toEqual({ value: true });
    expect(await evaluate(equals([1, 2]), evalContext([1, 2, 3]))).toEqual({ value: false, reason: 'expected [1,2], found [1,2,3]' });
  });

  it('tells 1 from "1"', async () => {
    expect(await evaluate(equals(1), evalContext('1'))).toEqual({ value: false, reason: 'expected 1, found "1"' });
  });
});

describe('partialEquals', () => {
  it('ignores properties beyond the value, at every depth', async () => {
    const ctx = evalContext({ risk: 2, advice: { block: true, note: 'x' }, extra: [1] });
    expect(await evaluate(partialEquals({ advice: { block: true } }), ctx)).toEqual({ value: true });
  });

  it('fails on a named property that differs', async () => {
    const ctx = evalContext({ risk: 2, advice: { block: true } });
    expect(await evaluate(partialEquals({ risk: 3 }), ctx)).toEqual({ value: false, reason: 'at /risk: expected 3, found 2' });
  });

  it('defaults to the expected output, and compares arrays by length', async () => {
    const ctx = evalContext({ items: [{ id: 1, x: 0 }, { id: 2 }] }, { expected: { items: [{ id: 1 }] } });
    expect(await evaluate(partialEquals(), ctx)).toEqual({ value: false, reason: 'at /items: expected [{"id":1}], found [{"id":1,"x":0},{"id":2}]' });
  });
});

describe('pointer', () => {
  const output = { risk: 3, advice: 'call us', tags: ['a', 'b'], 'a/b': { '~x': null } };

  it('asserts a value exists, and fails naming the pointer', async () => {
    expect(await evaluate(pointer('/advice'), evalContext(output))).toBe(true);
    expect(await evaluate(pointer('/a~1b/~0x'), evalContext(output))).toBe(true);
    expect(await evaluate(pointer('/missing'), evalContext(output))).toEqual({ value: false, reason: 'nothing at /missing' });
    expect(await evaluate(pointer('/tags/2'), evalContext(output))).toEqual({ value: false, reason: 'nothing at /tags/2 (the array at /tags has 2 items)' });
    expect(await evaluate(pointer('/risk/level'), evalContext(output))).toEqual({ value: false, reason: 'nothing at /risk/level (/risk is 3)' });
  });

  it('asserts the value equals', async () => {
    expect(await evaluate(pointer('/tags', { equals: ['a', 'b'] }), evalContext(output))).toBe(true);
    expect(await evaluate(pointer('/risk', { equals: 1 }), evalContext(output))).toEqual({ value: false, reason: '/risk: expected 1, found 3' });
  });

  it('asserts the value fits a schema, strictly', async () => {
    const schema = { type: 'integer', minimum: 1, maximum: 5 };
    expect(await evaluate(pointer('/risk', { schema }), evalContext(output))).toBe(true);
    expect(await evaluate(pointer('/risk', { schema: { type: 'integer', maximum: 2 } }), evalContext(output))).toEqual({
      value: false,
      reason: '/risk = 3 does not fit the schema: (root) must be <= 2',
    });
    // A lax validator would read "3" as 3.
    expect(await evaluate(pointer('/risk', { schema }), evalContext({ risk: '3' }))).toEqual({
      value: false,
      reason: '/risk = "3" does not fit the schema: (root) must be integer',
    });
  });

  it('does not change the output when the schema has defaults', async () => {
    const out = { a: {} };
    expect(await evaluate(pointer('/a', { schema: { type: 'object', properties: { d: { type: 'number', default: 1 } } } }), evalContext(out))).toBe(true);
    expect(out).toEqual({ a: {} });
  });

  it('asserts absence with exists: false', async () => {
    expect(await evaluate(pointer('/error', { exists: false }), evalContext(output))).toBe(true);
    expect(await evaluate(pointer('/risk', { exists: false }), evalContext(output))).toEqual({ value: false, reason: 'expected nothing at /risk, found 3' });
  });

  it('is named after its pointer, and refuses a malformed one', () => {
    expect(pointer('/risk').name).toBe('pointer /risk');
    expect(pointer('/risk', { name: 'risk level' }).name).toBe('risk level');
    expect(() => pointer('risk')).toThrow(/starts with "\/"/);
  });
});

describe('contains', () => {
  it('finds a substring of a text output, case-sensitively by default', async () => {
    expect(await evaluate(contains('refund'), evalContext('We will refund you.'))).toBe(true);
    expect(await evaluate(contains('Refund'), evalContext('We will refund you.'))).toEqual({
      value: false,
      reason: 'expected "Refund" in the output, found "We will refund you."',
    });
    expect(await evaluate(contains('REFUND', { caseSensitive: false }), evalContext('We will refund you.'))).toBe(true);
    expect(await evaluate(contains('chargeback', { caseSensitive: false }), evalContext('We will refund you.'))).toEqual({
      value: false,
      reason: 'expected "chargeback" (any case) in the output, found "We will refund you."',
    });
  });

  it('reads a structured output as its JSON', async () => {
    expect(await evaluate(contains('"block":true'), evalContext({ block: true }))).toBe(true);
    expect(await evaluate(contains(42), evalContext({ n: 41 }))).toEqual({ value: false, reason: 'expected "42" in the output, found "{\\"n\\":41}"' });
  });

  it('takes an object as a subset of an object output', async () => {
    expect(await evaluate(contains({ risk: 2 }), evalContext({ risk: 2, advice: 'x' }))).toBe(true);
    expect(await evaluate(contains({ risk: 2 }), evalContext({ risk: 4 }))).toEqual({ value: false, reason: 'at /risk: expected 2, found 4' });
    expect(await evaluate(contains({ risk: 2 }), evalContext('risk: 2'))).toEqual({
      value: false,
      reason: 'expected an object containing {"risk":2}, found "risk: 2"',
    });
  });

  it('takes an array as items found in an array output', async () => {
    expect(await evaluate(contains([{ id: 2 }]), evalContext([{ id: 1 }, { id: 2, name: 'b' }]))).toBe(true);
    expect(await evaluate(contains([{ id: 3 }]), evalContext([{ id: 1 }]))).toEqual({
      value: false,
      reason: 'expected an item matching {"id":3}, found none in [{"id":1}]',
    });
  });
});

describe('regex', () => {
  it('matches a text output, with flags', async () => {
    expect(await evaluate(regex('^SELECT .* FROM users', { flags: 'i' }), evalContext('select id from users'))).toBe(true);
    expect(await evaluate(regex('^SELECT'), evalContext('DROP TABLE users'))).toEqual({
      value: false,
      reason: 'expected a match of /^SELECT/, found "DROP TABLE users"',
    });
  });

  it('gives the same answer twice with a g flag (no state kept between runs)', async () => {
    const e = regex('a', { flags: 'g' });
    expect(await evaluate(e, evalContext('a'))).toBe(true);
    expect(await evaluate(e, evalContext('a'))).toBe(true);
  });

  it('refuses a broken pattern when made', () => {
    expect(() => regex('(')).toThrow(UserError);
  });
});
