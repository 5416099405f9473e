/**
 * Applying evaluators to a run: outputs normalised into named results, a thrown error kept as an
 * error result, names made unique, and whether the run passed.
 */
import { describe, expect, it } from 'vitest';
import { applyEvaluators, runPassed, type Evaluator, type EvaluatorOutput } from 'schemantic/evals';
import { evalContext } from './eval-context.js';

const returning = (name: string, output: unknown, kind = 'custom'): Evaluator => ({ name, kind, evaluate: () => output as EvaluatorOutput });

describe('applyEvaluators', () => {
  it('turns booleans into assertions, numbers into scores, strings into labels, keeping reasons', async () => {
    const results = await applyEvaluators(
      [
        returning('ok', true),
        returning('quality', 0.75),
        returning('tone', 'polite'),
        returning('why', { value: false, reason: 'too long' }),
        returning('async', Promise.resolve(1)),
      ],
      evalContext('x'),
    );
    expect(results).toEqual([
      { name: 'ok', source: 'custom', kind: 'assertion', value: true },
      { name: 'quality', source: 'custom', kind: 'score', value: 0.75 },
      { name: 'tone', source: 'custom', kind: 'label', value: 'polite' },
      { name: 'why', source: 'custom', kind: 'assertion', value: false, reason: 'too long' },
      { name: 'async', source: 'custom', kind: 'score', value: 1 },
    ]);
  });

  it('names the values of a record <evaluator>.<key>', async () => {
    const results = await applyEvaluators(
      [returning('judge', { pass: { value: true, reason: 'fine' }, score: 0.9, label: 'A' }, 'llmJudge')],
      evalContext('x'),
    );
    expect(results).toEqual([
      { name: 'judge.pass', source: 'llmJudge', kind: 'assertion', value: true, reason: 'fine' },
      { name: 'judge.score', source: 'llmJudge', kind: 'score', value: 0.9 },
      { name: 'judge.label', source: 'llmJudge', kind: 'label', value: 'A' },
    ]);
  });

  it('keeps a thrown error as an error result and goes on with the next evaluator', async () => {
    const throws: Evaluator = {
      name: 'boom',
      kind: 'custom',
      evaluate: () => {
        throw new Error('database down');
      },
    };
    const rejects: Evaluator = { name: 'later', kind: 'custom', evaluate: () => Promise.reject('plain string') };
    const results = await applyEvaluators([throws, rejects, returning('after', true)], evalContext('x'));
    expect(results).toEqual([
      { name: 'boom', source: 'custom', kind: 'error', reason: 'database down' },
      { name: 'later', source: 'custom', kind: 'error', reason: 'plain string' },
      { name: 'after', source: 'custom', kind: 'assertion', value: true },
    ]);
  });

  it('makes an error of an output it cannot read', async () => {
    const results = await applyEvaluators(
      [returning('nothing', undefined), returning('nan', Number.NaN), returning('nested', { a: { b: 1 } }), returning('list', [true])],
      evalContext('x'),
    );
    expect(results.map((r) => [r.name, r.kind])).toEqual([
      ['nothing', 'error'],
      ['nan', 'error'],
      ['nested', 'error'],
      ['list', 'error'],
    ]);
    expect(results[0]!.reason).toBe('returned undefined: expected a boolean, number, string, { value, reason } or a record of them');
    expect(results[2]!.reason).toBe('returned {"b":1} for a: expected a boolean, number, string or { value, reason }');
  });

  it('makes duplicate names unique: #2, #3, for every result of the evaluator', async () => {
    const results = await applyEvaluators(
      [
        returning('contains', true),
        returning('contains', false),
        returning('contains', true),
        returning('cost', { pass: true, cost: 1 }),
        returning('cost', { pass: true, cost: 2 }),
      ],
      evalContext('x'),
    );
    expect(results.map((r) => r.name)).toEqual(['contains', 'contains #2', 'contains #3', 'cost.pass', 'cost.cost', 'cost #2.pass', 'cost #2.cost']);
  });

  it('makes names unique across evaluators whose results meet', async () => {
    const results = await applyEvaluators([returning('a', { b: true }), returning('a.b', false)], evalContext('x'));
    expect(results.map((r) => r.name)).toEqual(['a.b', 'a.b #2']);
  });
});

describe('runPassed', () => {
  it('is true when no assertion failed and nothing threw; scores and labels do not count', () => {
    expect(runPassed([])).toBe(true);
    expect(
      runPassed([
        { name: 'a', source: 'x', kind: 'assertion', value: true },
        { name: 's', source: 'x', kind: 'score', value: 0 },
        { name: 'l', source: 'x', kind: 'label', value: 'false' },
      ]),
    ).toBe(true);
    expect(runPassed([{ name: 'a', source: 'x', kind: 'assertion', value: false }])).toBe(false);
    expect(runPassed([{ name: 'e', source: 'x', kind: 'error', reason: 'boom' }])).toBe(false);
  });
});
