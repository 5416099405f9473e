/**
 * The evaluators of the run: which output member it produced, its duration, tokens and cost, and
 * the tools its model called, each on a passing and a failing case, with the failure's reason.
 */
import { describe, expect, it } from 'vitest';
import { agent, UserError, type Agent } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { isInstance, maxCost, maxDuration, maxTokens, toolCalled, toolNotCalled, type Evaluator, type EvaluatorContext } from 'schemantic/evals';
import { createSeatPreferenceAgent } from '../../../generated/agents/seat-preference.js';
import { createEvaluateAnswerAgent } from '../../../generated/agents/evaluate-answer.js';
import { evalContext, response } from './eval-context.js';

const evaluate = async (e: Evaluator, ctx: EvaluatorContext) => e.evaluate(ctx);
const asRan = (a: unknown) => a as Agent<never, unknown, never>;

describe('isInstance', () => {
  const seats = asRan(createSeatPreferenceAgent());

  it('passes when the output fits the member of a generated union', async () => {
    expect(await evaluate(isInstance('SeatPreference'), evalContext({ row: 3, seat: 'A' }, { agent: seats }))).toBe(true);
    expect(await evaluate(isInstance('Failed'), evalContext({ reason: 'no seat' }, { agent: seats }))).toBe(true);
  });

  it('fails naming the member the output is instead', async () => {
    const out = (await evaluate(isInstance('SeatPreference'), evalContext({ reason: 'no seat' }, { agent: seats }))) as { value: boolean; reason: string };
    expect(out.value).toBe(false);
    expect(out.reason).toMatch(/^expected SeatPreference, found Failed \(.*must have required property 'row'/);
  });

  it('fails when the output fits no member', async () => {
    const out = (await evaluate(isInstance('SeatPreference'), evalContext({ row: 99, seat: 'A' }, { agent: seats }))) as { value: boolean; reason: string };
    expect(out).toEqual({
      value: false,
      reason: expect.stringMatching(/^expected SeatPreference, the output fits no member: \{"row":99,"seat":"A"\} \(\/row must be <= 30/),
    });
  });

  it('throws naming the members when the member is unknown', async () => {
    await expect(evaluate(isInstance('Success'), evalContext({}, { agent: seats }))).rejects.toThrow(
      'isInstance Success: agent seat_preference has no output member Success (its members: SeatPreference, Failed)',
    );
  });

  it('names a single output after its schema', async () => {
    const judge = asRan(createEvaluateAnswerAgent());
    expect(await evaluate(isInstance('Evaluation'), evalContext({ correct: true, comment: 'ok' }, { agent: judge }))).toBe(true);
    expect(await evaluate(isInstance('Evaluation'), evalContext({ correct: 'yes' }, { agent: judge }))).toMatchObject({
      value: false,
      reason: /^expected Evaluation, the output fits no member/,
    });
  });

  it('reads a hand-written union, with text allowed, and a text agent', async () => {
    const union = asRan(
      agent({
        name: 'hand',
        output: {
          members: [
            { name: 'Success', schema: { type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] } },
            { name: 'Invalid', schema: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } },
          ],
          allowsText: true,
        },
      }),
    );
    expect(await evaluate(isInstance('Invalid'), evalContext({ error: 'no table' }, { agent: union }))).toBe(true);
    expect(await evaluate(isInstance('text'), evalContext('plain words', { agent: union }))).toBe(true);
    expect(await evaluate(isInstance('Success'), evalContext('plain words', { agent: union }))).toMatchObject({
      value: false,
      reason: /^expected Success, found text/,
    });
    const text = asRan(agent({ name: 'texty' }));
    expect(await evaluate(isInstance('text'), evalContext('hello', { agent: text }))).toBe(true);
    expect(await evaluate(isInstance('text'), evalContext({ a: 1 }, { agent: text }))).toEqual({
      value: false,
      reason: 'expected text, the output fits no member: {"a":1}',
    });
  });

  it('does not fill defaults into the output it checks', async () => {
    const withDefault = asRan(agent({ name: 'd', output: { type: 'object', title: 'Thing', properties: { n: { type: 'number', default: 1 } } } }));
    const output = {};
    expect(await evaluate(isInstance('Thing'), evalContext(output, { agent: withDefault }))).toBe(true);
    expect(output).toEqual({});
  });
});

describe('limits', () => {
  const usage = { requests: 2, toolCalls: 1, inputTokens: 1200, outputTokens: 300, totalTokens: 1500, details: {} };

  it('maxDuration', async () => {
    expect(await evaluate(maxDuration(2), evalContext('x', { durationMs: 2000 }))).toBe(true);
    expect(await evaluate(maxDuration(2), evalContext('x', { durationMs: 2500 }))).toEqual({ value: false, reason: 'expected at most 2s, took 2.500s' });
  });

  it('maxTokens, each limit named when broken', async () => {
    expect(await evaluate(maxTokens({ total: 1500, output: 300 }), evalContext('x', { usage }))).toBe(true);
    expect(await evaluate(maxTokens({ total: 1000, input: 2000, output: 100 }), evalContext('x', { usage }))).toEqual({
      value: false,
      reason: 'expected at most 1000 total tokens, used 1500; expected at most 100 output tokens, used 300',
    });
    expect(() => maxTokens({})).toThrow(UserError);
  });

  it('maxCost gives the assertion and the cost', async () => {
    // 1200 / 1e6 * 2.5 + 300 / 1e6 * 10 = 0.003 + 0.003 = 0.006
    const prices = { inputPerMillion: 2.5, outputPerMillion: 10 };
    const ok = (await evaluate(maxCost({ usd: 0.01, ...prices }), evalContext('x', { usage }))) as Record<string, { value: unknown; reason?: string } | number>;
    expect(ok['pass']).toEqual({ value: true, reason: '$0.006000 for 1200 input and 300 output tokens' });
    expect(ok['cost']).toBeCloseTo(0.006, 12);
    const over = (await evaluate(maxCost({ usd: 0.005, ...prices }), evalContext('x', { usage }))) as Record<string, unknown>;
    expect(over['pass']).toEqual({ value: false, reason: 'expected at most $0.005, cost $0.006000 for 1200 input and 300 output tokens' });
  });
});

describe('tool calls', () => {
  const messages = [
    response({ kind: 'tool-call', toolName: 'customer_balance', args: '{"include_pending": true}', toolCallId: 'c1' }),
    response(
      { kind: 'tool-call', toolName: 'customer_balance', args: { include_pending: 'no' }, toolCallId: 'c2' },
      { kind: 'tool-call', toolName: 'lookup', args: '{oops', toolCallId: 'c3' },
    ),
    response({ kind: 'text', content: 'done' }),
  ];
  const args = { type: 'object', properties: { include_pending: { type: 'boolean' } }, required: ['include_pending'] };

  it('toolCalled counts the calls, and reads arguments sent as JSON text or objects', async () => {
    expect(await evaluate(toolCalled('customer_balance'), evalContext('x', { messages }))).toBe(true);
    expect(await evaluate(toolCalled('customer_balance', { args, times: { min: 2, max: 2 } }), evalContext('x', { messages }))).toBe(true);
    expect(await evaluate(toolCalled('customer_balance', { times: { min: 3, max: 5 } }), evalContext('x', { messages }))).toMatchObject({
      reason: 'expected customer_balance called 3 to 5 times, called 2 times',
    });
    expect(await evaluate(toolCalled('customer_balance', { times: { max: 1 } }), evalContext('x', { messages }))).toEqual({
      value: false,
      reason: 'expected customer_balance called exactly once, called 2 times',
    });
  });

  it('toolCalled fails naming what was called instead', async () => {
    expect(await evaluate(toolCalled('refund'), evalContext('x', { messages }))).toEqual({
      value: false,
      reason: 'expected refund called at least once, called 0 times (called: customer_balance x2, lookup)',
    });
  });

  it('toolCalled with args needs one call whose arguments fit, strictly', async () => {
    const strictNo = { type: 'object', properties: { include_pending: { const: false } }, required: ['include_pending'] };
    expect(await evaluate(toolCalled('customer_balance', { args: strictNo }), evalContext('x', { messages }))).toEqual({
      value: false,
      reason:
        'expected a call of customer_balance with arguments fitting the schema, none of 2 did (last: {"include_pending":"no"}: /include_pending must be equal to constant)',
    });
    expect(await evaluate(toolCalled('lookup', { args: { type: 'object' } }), evalContext('x', { messages }))).toMatchObject({
      value: false,
      reason: /last: malformed JSON "\{oops"/,
    });
  });

  it('toolCalled reads the messages of a real run', async () => {
    const model = new FunctionModel((ms) =>
      ms.some((m) => m.kind === 'response') ? 'ok' : [{ kind: 'tool-call', toolName: 'get_city', args: { code: 'LON' }, toolCallId: 'x' }],
    );
    const cities = agent({
      name: 'cities',
      model,
      tools: [{ name: 'get_city', parameters: { type: 'object', properties: { code: { type: 'string' } } }, handler: async () => 'London' }],
    });
    const result = await cities.run('LON?');
    const ctx = evalContext(result.output, { messages: result.allMessages() });
    expect(await evaluate(toolCalled('get_city', { args: { type: 'object', properties: { code: { const: 'LON' } }, required: ['code'] } }), ctx)).toBe(true);
    expect(await evaluate(toolNotCalled('get_city'), ctx)).toEqual({
      value: false,
      reason: 'expected no call of get_city, called once (first with {"code":"LON"})',
    });
  });

  it('toolNotCalled', async () => {
    expect(await evaluate(toolNotCalled('refund'), evalContext('x', { messages }))).toBe(true);
    expect(await evaluate(toolNotCalled('customer_balance'), evalContext('x', { messages }))).toEqual({
      value: false,
      reason: 'expected no call of customer_balance, called 2 times (first with "{\\"include_pending\\": true}")',
    });
  });

  it('are named after their tool', () => {
    expect(toolCalled('customer_balance').name).toBe('toolCalled customer_balance');
    expect(toolNotCalled('x', { name: 'never x' }).name).toBe('never x');
  });
});
