/**
 * Span evaluators over spans really captured: startSpanCapture traces a real agent run (one tool
 * call, on FunctionModel) to memory, registering the tracing implementation itself (this file
 * does not import schemantic/telemetry), and hasMatchingSpan queries the tree it gives.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { agent } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { applyEvaluators, hasMatchingSpan, startSpanCapture, type EvaluatorContext, type SpanNode } from 'schemantic/evals';
import { evalContext } from './eval-context.js';

const model = new FunctionModel(
  (messages) =>
    messages.some((m) => m.kind === 'response') ? 'London it is.' : [{ kind: 'tool-call', toolName: 'get_city', args: { code: 'LON' }, toolCallId: 'call-1' }],
  { name: 'scripted' },
);
const cities = agent({
  name: 'cities',
  model,
  tools: [
    {
      name: 'get_city',
      description: 'A city by code.',
      parameters: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] },
      handler: async (_ctx: unknown, { code }: { code: string }) => (code === 'LON' ? 'London' : 'elsewhere'),
    },
  ],
});

let spans: SpanNode[];
let ctx: EvaluatorContext;

beforeAll(async () => {
  const capture = await startSpanCapture();
  const result = await cities.run('Which city is LON?', { instrument: capture.instrument });
  await capture.shutdown();
  spans = capture.spans();
  ctx = evalContext(result.output, { spans, messages: result.allMessages() });
});

const check = async (query: Parameters<typeof hasMatchingSpan>[0]) => (await applyEvaluators([hasMatchingSpan(query)], ctx))[0]!;

describe('startSpanCapture', () => {
  it('gives the run as a tree: the agent span, its requests and tool call, in start order', () => {
    const shape = (nodes: readonly SpanNode[]): unknown[] => nodes.flatMap((n) => (n.children.length > 0 ? [n.name, shape(n.children)] : [n.name]));
    expect(shape(spans)).toEqual(['invoke_agent cities', ['chat scripted', 'execute_tool get_city', 'chat scripted']]);
    const [root] = spans;
    expect(root!.startMs).toBe(0);
    expect(root!.status).toBe('unset');
    expect(root!.children.every((c) => c.startMs >= 0 && c.durationMs >= 0 && c.startMs + c.durationMs <= root!.durationMs + 1)).toBe(true);
    expect(root!.children[1]!.attributes['gen_ai.tool.name']).toBe('get_city');
  });

  it('keeps each run apart: a second capture sees only its own run', async () => {
    const other = await startSpanCapture();
    expect(other.spans()).toEqual([]);
    await cities.run('LON?', { instrument: other.instrument });
    expect(other.spans()[0]!.name).toBe('invoke_agent cities');
    expect(spans).toHaveLength(1);
    await other.shutdown();
    await other.shutdown();
  });
});

describe('hasMatchingSpan', () => {
  it('finds the tool span and the chat spans by name', async () => {
    expect(await check({ span: 'execute_tool get_city' })).toMatchObject({ name: 'hasMatchingSpan execute_tool get_city', kind: 'assertion', value: true });
    expect(await check({ spanPattern: '^chat ' })).toMatchObject({ name: 'hasMatchingSpan /^chat /', value: true });
  });

  it('matches attributes exactly', async () => {
    expect(
      await check({
        span: 'execute_tool get_city',
        attributes: { 'gen_ai.tool.name': 'get_city', 'gen_ai.tool.call.id': 'call-1', 'schemantic.tool.retry': 0 },
      }),
    ).toMatchObject({
      value: true,
    });
    expect(await check({ spanPattern: '^invoke_agent', attributes: { 'schemantic.run.requests': 2, 'gen_ai.agent.name': 'cities' } })).toMatchObject({
      value: true,
    });
    expect(await check({ span: 'execute_tool get_city', attributes: { 'schemantic.tool.retry': '0' } })).toEqual({
      name: 'hasMatchingSpan execute_tool get_city',
      source: 'hasMatchingSpan',
      kind: 'assertion',
      value: false,
      reason:
        'expected at least 1 span matching name "execute_tool get_city" with {"schemantic.tool.retry":"0"}, found 0 (spans: invoke_agent cities, chat scripted, execute_tool get_city)',
    });
  });

  it('bounds the count', async () => {
    expect(await check({ spanPattern: '^chat ', count: { min: 2, max: 2 } })).toMatchObject({ value: true });
    expect(await check({ spanPattern: '^chat ', count: { max: 1 } })).toMatchObject({
      value: false,
      reason: expect.stringMatching(/^expected exactly 1 span matching \/\^chat \/, found 2 \(/),
    });
    expect(await check({ spanPattern: '^chat ', count: { min: 0, max: 1 } })).toMatchObject({
      value: false,
      reason: expect.stringMatching(/^expected 0 to 1 spans matching \/\^chat \/, found 2 \(/),
    });
    expect(await check({ spanPattern: '^chat ', count: { min: 3 } })).toMatchObject({
      value: false,
      reason: expect.stringMatching(/^expected at least 3 spans matching \/\^chat \/, found 2/),
    });
  });

  it('asserts absence', async () => {
    expect(await check({ span: 'execute_tool refund', absent: true })).toMatchObject({ value: true });
    expect(await check({ spanPattern: '^execute_tool', absent: true })).toMatchObject({
      value: false,
      reason: expect.stringMatching(/^expected no span matching \/\^execute_tool\/, found 1/),
    });
  });

  it('bounds the duration', async () => {
    expect(await check({ span: 'execute_tool get_city', maxSeconds: 60 })).toMatchObject({ value: true });
    expect(await check({ span: 'execute_tool get_city', maxSeconds: 0 })).toMatchObject({ value: false });
  });

  it('is an error when the spans were not captured', async () => {
    const results = await applyEvaluators([hasMatchingSpan({ span: 'x' })], evalContext('x'));
    expect(results).toEqual([
      {
        name: 'hasMatchingSpan x',
        source: 'hasMatchingSpan',
        kind: 'error',
        reason: "the run's spans were not captured (the runner captures them for datasets with span evaluators)",
      },
    ]);
  });

  it('refuses contradictory counts and broken patterns when made', () => {
    expect(() => hasMatchingSpan({ span: 'x', absent: true, count: { min: 1 } })).toThrow('absent cannot go with count');
    expect(() => hasMatchingSpan({ spanPattern: '(' })).toThrow(/spanPattern/);
  });
});
