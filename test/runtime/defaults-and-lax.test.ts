/**
 * Schema defaults are filled in before a handler or the caller sees a value, and lax scalars
 * (numeric and boolean strings) are coerced as PydanticAI's lax mode does, unless turned off.
 */
import { describe, expect, it } from 'vitest';
import { agent, defineTool, type ResponsePart } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';

function scripted(...answers: (string | ResponsePart[])[]): FunctionModel {
  let i = 0;
  return new FunctionModel(() => answers[Math.min(i++, answers.length - 1)]!);
}
const call = (args: Record<string, unknown>, id = 'c1'): ResponsePart[] => [{ kind: 'tool-call', toolName: 'explain', args, toolCallId: id }];

function explainTool(seen: unknown[], lax?: boolean) {
  return defineTool<{ amount: number; urgent: boolean; explanation: string }, string>({
    name: 'explain',
    parameters: {
      type: 'object',
      properties: { amount: { type: 'number' }, urgent: { type: 'boolean' }, explanation: { type: 'string', default: 'none given' } },
      required: ['amount', 'urgent'],
      additionalProperties: false,
      ...(lax === undefined ? {} : { 'x-schemantic-lax': lax }),
    },
    handler: (_ctx, args) => {
      seen.push(args);
      return 'ok';
    },
  });
}

describe('defaults', () => {
  it('fill in an omitted property, and one the model sends as null', async () => {
    const seen: unknown[] = [];
    const a = agent({
      name: 'd',
      model: scripted(call({ amount: 1, urgent: false }), call({ amount: 2, urgent: true, explanation: null }, 'c2'), 'done'),
      tools: [explainTool(seen)],
    });
    const result = await a.run('go');
    expect(seen).toEqual([
      { amount: 1, urgent: false, explanation: 'none given' },
      { amount: 2, urgent: true, explanation: 'none given' },
    ]);
    // The history keeps the arguments as the model sent them: defaults fill a copy.
    const sent = result.allMessages().flatMap((m) => (m.kind === 'response' ? m.parts.filter((p) => p.kind === 'tool-call').map((p) => p.args) : []));
    expect(sent).toEqual([
      { amount: 1, urgent: false },
      { amount: 2, urgent: true, explanation: null },
    ]);
  });

  it('fill in outputs', async () => {
    const a = agent<undefined, { n: number; unit: string }>({
      name: 'o',
      model: scripted([{ kind: 'tool-call', toolName: 'final_result', args: { n: 3, unit: null }, toolCallId: 'o1' }]),
      output: { type: 'object', properties: { n: { type: 'number' }, unit: { type: 'string', default: 'kg' } }, required: ['n'] },
    });
    expect((await a.run('?')).output).toEqual({ n: 3, unit: 'kg' });
  });
});

describe('lax scalars', () => {
  it('coerce numeric and boolean strings in tool arguments by default', async () => {
    const seen: unknown[] = [];
    const a = agent({ name: 'l', model: scripted(call({ amount: '51.5', urgent: 'true' }), 'done'), tools: [explainTool(seen)] });
    await a.run('go');
    expect(seen).toEqual([{ amount: 51.5, urgent: true, explanation: 'none given' }]);
  });

  it('are off with "x-schemantic-lax": false, and a non-numeric string always fails with a retry prompt', async () => {
    const seen: unknown[] = [];
    const strict = agent({
      name: 's',
      model: scripted(call({ amount: '51.5', urgent: 'true' }), call({ amount: 5, urgent: true }, 'c2'), 'done'),
      tools: [explainTool(seen, false)],
    });
    const result = await strict.run('go');
    expect(seen).toEqual([{ amount: 5, urgent: true, explanation: 'none given' }]);
    expect(JSON.stringify(result.allMessages()[2])).toContain('must be number');

    const seen2: unknown[] = [];
    const lax = agent({
      name: 'l2',
      model: scripted(call({ amount: 'fifty', urgent: 'maybe' }), call({ amount: 5, urgent: 'no' }, 'c2'), 'done'),
      tools: [explainTool(seen2)],
    });
    const result2 = await lax.run('go');
    expect(seen2).toEqual([{ amount: 5, urgent: false, explanation: 'none given' }]);
    const retry = JSON.stringify(result2.allMessages()[2]);
    expect(retry).toContain('retry-prompt');
    expect(retry).toContain('/amount');
    expect(retry).toContain('must be number');
    expect(retry).toContain('must be boolean');
  });

  it('coerce outputs, unless turned off', async () => {
    const schema = { type: 'object', properties: { price: { type: 'number' }, count: { type: 'integer' } }, required: ['price', 'count'] };
    const answer = (): ResponsePart[] => [{ kind: 'tool-call', toolName: 'final_result', args: { price: '51.5', count: '3' }, toolCallId: 'o1' }];
    const on = agent<undefined, { price: number }>({ name: 'on', model: scripted(answer()), output: schema });
    expect((await on.run('?')).output).toEqual({ price: 51.5, count: 3 });
    const off = agent<undefined, { price: number }>({
      name: 'off',
      model: scripted(answer(), [{ kind: 'tool-call', toolName: 'final_result', args: { price: 1, count: 2 }, toolCallId: 'o2' }]),
      output: { ...schema, 'x-schemantic-lax': false },
    });
    const result = await off.run('?');
    expect(result.output).toEqual({ price: 1, count: 2 });
    expect(JSON.stringify(result.allMessages())).toContain('must be number');
  });

  it('leave the branches of a union as sent: a value valid for a later branch is not changed by an earlier one', async () => {
    const seen: unknown[] = [];
    const union = defineTool<{ v: { kind: string; a: unknown } }, string>({
      name: 'pick',
      parameters: {
        type: 'object',
        required: ['v'],
        properties: {
          v: {
            anyOf: [
              { type: 'object', properties: { kind: { const: 'n' }, a: { type: 'number' } }, required: ['kind', 'a'] },
              { type: 'object', properties: { kind: { const: 's' }, a: { type: 'string' } }, required: ['kind', 'a'] },
            ],
          },
        },
      },
      handler: (_ctx, args) => {
        seen.push(args);
        return 'ok';
      },
    });
    const model = scripted([{ kind: 'tool-call', toolName: 'pick', args: { v: { kind: 's', a: '5' } }, toolCallId: 'u1' }], 'done');
    await agent({ name: 'u', model, tools: [union] }).run('go');
    expect(seen).toEqual([{ v: { kind: 's', a: '5' } }]);
  });
});
