/**
 * Evaluators from their data form: every spec kind gives the evaluator of its factory (kind,
 * name, behaviour), an Evaluator object passes through, a custom spec finds its function.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { applyEvaluators, evaluatorFromSpec, type CustomEvaluator, type Evaluator, type EvaluatorSpec } from 'schemantic/evals';
import { evalContext, response } from './eval-context.js';

const judgeModel = new FunctionModel((_m, info) => [
  { kind: 'tool-call', toolName: info.outputTools[0]!.name, args: { reason: 'fine', pass: true }, toolCallId: 'j' },
]);

/** Each spec, its expected kind and name, and the assertion it gives on the context below. */
const SPECS: [EvaluatorSpec, string, boolean | undefined][] = [
  [{ evaluator: 'equalsExpected' }, 'equalsExpected', true],
  [{ evaluator: 'equals', value: { risk: 2 } }, 'equals', false],
  [{ evaluator: 'partialEquals', value: { risk: 3 } }, 'partialEquals', true],
  [{ evaluator: 'pointer', pointer: '/risk', equals: 3 }, 'pointer /risk', true],
  [{ evaluator: 'pointer', pointer: '/risk', schema: { type: 'string' } }, 'pointer /risk', false],
  [{ evaluator: 'pointer', pointer: '/gone', exists: false }, 'pointer /gone', true],
  [{ evaluator: 'isInstance', member: 'text' }, 'isInstance text', false],
  [{ evaluator: 'contains', value: 'CALL', caseSensitive: false }, 'contains', true],
  [{ evaluator: 'regex', pattern: '^\\{"advice"' }, 'regex', true],
  [{ evaluator: 'maxDuration', seconds: 1 }, 'maxDuration', false],
  [{ evaluator: 'maxTokens', total: 100 }, 'maxTokens', true],
  [{ evaluator: 'maxCost', usd: 1, inputPerMillion: 1, outputPerMillion: 1 }, 'maxCost', true],
  [{ evaluator: 'toolCalled', tool: 'lookup', args: { type: 'object', required: ['id'] }, times: { max: 1 } }, 'toolCalled lookup', true],
  [{ evaluator: 'toolNotCalled', tool: 'lookup' }, 'toolNotCalled lookup', false],
  [{ evaluator: 'llmJudge', rubric: 'Is it helpful?' }, 'llmJudge', true],
  [{ evaluator: 'hasMatchingSpan', span: 'chat m' }, 'hasMatchingSpan chat m', true],
  [{ evaluator: 'hasMatchingSpan', spanPattern: '^execute_tool ', absent: true }, 'hasMatchingSpan /^execute_tool /', true],
  [{ evaluator: 'custom', custom: 'isPolite', args: { word: 'call' } }, 'isPolite', true],
];

const customs: Record<string, CustomEvaluator> = {
  isPolite: (ctx, args) => JSON.stringify(ctx.output).includes((args as { word: string }).word),
};

const ctx = evalContext(
  { advice: 'call us', risk: 3 },
  {
    expected: { risk: 3, advice: 'call us' },
    durationMs: 1500,
    usage: { requests: 1, toolCalls: 1, inputTokens: 10, outputTokens: 5, totalTokens: 15, details: {} },
    messages: [response({ kind: 'tool-call', toolName: 'lookup', args: { id: 1 }, toolCallId: 'a' })],
    spans: [{ name: 'chat m', attributes: {}, startMs: 0, durationMs: 1, status: 'unset', children: [] }],
    judgeModel,
  },
);

describe('evaluatorFromSpec', () => {
  it.each(SPECS)('%j', async (spec, name, passes) => {
    const evaluator = evaluatorFromSpec(spec, customs);
    expect(evaluator.kind).toBe(spec.evaluator);
    expect(evaluator.name).toBe(name);
    const results = await applyEvaluators([evaluator], ctx);
    const assertion = results.find((r) => r.kind === 'assertion');
    expect(results.filter((r) => r.kind === 'error')).toEqual([]);
    expect(assertion?.value).toBe(passes);
  });

  it('covers every kind of spec', () => {
    const kinds = new Set(SPECS.map(([spec]) => spec.evaluator));
    expect([...kinds].sort()).toEqual(
      [
        'equalsExpected',
        'equals',
        'partialEquals',
        'pointer',
        'isInstance',
        'contains',
        'regex',
        'maxDuration',
        'maxTokens',
        'maxCost',
        'toolCalled',
        'toolNotCalled',
        'llmJudge',
        'hasMatchingSpan',
        'custom',
      ].sort(),
    );
  });

  it("takes a spec's name for its results", () => {
    expect(evaluatorFromSpec({ evaluator: 'pointer', pointer: '/risk', name: 'risk present' }).name).toBe('risk present');
    expect(evaluatorFromSpec({ evaluator: 'custom', custom: 'isPolite', name: 'polite' }, customs).name).toBe('polite');
  });

  it('passes an Evaluator object through', () => {
    const own: Evaluator = { name: 'mine', kind: 'custom', evaluate: () => true };
    expect(evaluatorFromSpec(own)).toBe(own);
  });

  it('gives the custom function its args', async () => {
    const seen: unknown[] = [];
    const evaluator = evaluatorFromSpec({ evaluator: 'custom', custom: 'spy', args: { n: 1 } }, { spy: (_c, args) => (seen.push(args), 'ok') });
    expect(await evaluator.evaluate(ctx)).toBe('ok');
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('throws a UserError naming a missing custom evaluator and the known ones', () => {
    expect(() => evaluatorFromSpec({ evaluator: 'custom', custom: 'isRude' }, customs)).toThrow(
      new UserError('no custom evaluator "isRude": the binding\'s `evaluators` has isPolite'),
    );
    expect(() => evaluatorFromSpec({ evaluator: 'custom', custom: 'toString' }, {})).toThrow(
      'no custom evaluator "toString": the binding\'s `evaluators` has none',
    );
    expect(() => evaluatorFromSpec({ evaluator: 'custom', custom: 'isRude' }, customs, 'dataset bank case c1')).toThrow(
      /^dataset bank case c1: no custom evaluator "isRude"/,
    );
  });

  it('fails when made on a broken spec', () => {
    expect(() => evaluatorFromSpec({ evaluator: 'pointer', pointer: '/a', schema: { type: 'nope' } })).toThrow(UserError);
    expect(() => evaluatorFromSpec({ evaluator: 'regex', pattern: '[' })).toThrow(UserError);
    expect(() => evaluatorFromSpec({ evaluator: 'nope' } as unknown as EvaluatorSpec)).toThrow('unknown evaluator "nope"');
  });
});
