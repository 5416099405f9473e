/**
 * Usage counting and limits (checked before each request and after each response), and usage
 * across delegation and programmatic hand-off.
 */
import { describe, expect, it } from 'vitest';
import { agent, defineTool, Usage, UsageLimitExceeded, type ResponsePart } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';

const fixed = (inputTokens: number, outputTokens: number, parts: ResponsePart[] | string) =>
  new FunctionModel(() => ({
    parts: typeof parts === 'string' ? [{ kind: 'text' as const, content: parts }] : parts,
    usage: { inputTokens, outputTokens, details: { cacheReadTokens: 1 } },
  }));

const ping = defineTool({ name: 'ping', parameters: { type: 'object' }, handler: () => 'pong' });
const pingCall: ResponsePart[] = [{ kind: 'tool-call', toolName: 'ping', args: {}, toolCallId: 'p' }];

describe('usage', () => {
  it('counts requests, tokens, tool calls and details', async () => {
    let n = 0;
    const model = new FunctionModel(() => ({
      parts: n++ < 2 ? pingCall : [{ kind: 'text', content: 'ok' }],
      usage: { inputTokens: 10, outputTokens: 3, details: { reasoningTokens: 2 } },
    }));
    const result = await agent({ name: 'u', model, tools: [ping] }).run('go');
    expect(result.usage()).toEqual({ requests: 3, toolCalls: 2, inputTokens: 30, outputTokens: 9, totalTokens: 39, details: { reasoningTokens: 6 } });
  });

  it('stops before a request that would exceed the request limit, with the figure that broke', async () => {
    const run = agent({ name: 'u', model: fixed(1, 1, pingCall), tools: [ping], usageLimits: { requests: 3 } }).run('loop');
    await expect(run).rejects.toThrow(UsageLimitExceeded);
    await expect(run).rejects.toMatchObject({
      limit: 'requests',
      value: 4,
      max: 3,
      message: 'usage limit exceeded: requests would reach 4, over the limit of 3',
    });
  });

  it('stops after a response that exceeds a token limit', async () => {
    const a = agent({ name: 'u', model: fixed(40, 15, 'a long answer') });
    await expect(a.run('q', { usageLimits: { outputTokens: 10 } })).rejects.toMatchObject({ limit: 'outputTokens', value: 15, max: 10 });
    await expect(a.run('q', { usageLimits: { totalTokens: 50 } })).rejects.toMatchObject({ limit: 'totalTokens', value: 55, max: 50 });
    await expect(a.run('q', { usageLimits: { inputTokens: 39 } })).rejects.toMatchObject({ limit: 'inputTokens', value: 40, max: 39 });
    await expect(a.run('q', { usageLimits: { totalTokens: 55 } })).resolves.toBeDefined();
  });

  it('stops before tool calls that would exceed the tool call limit', async () => {
    const model = fixed(1, 1, [...pingCall, { kind: 'tool-call', toolName: 'ping', args: {}, toolCallId: 'q' }]);
    await expect(agent({ name: 'u', model, tools: [ping], usageLimits: { toolCalls: 1 } }).run('go')).rejects.toMatchObject({
      limit: 'toolCalls',
      value: 2,
      max: 1,
    });
  });

  it('adds a delegated run and a programmatic hand-off to the same usage', async () => {
    const child = agent({ name: 'child', description: 'Answers.', model: fixed(5, 5, 'child answer') });
    let n = 0;
    const parentModel = new FunctionModel(() => ({
      parts: n++ === 0 ? [{ kind: 'tool-call', toolName: 'child', args: { prompt: 'help' }, toolCallId: 'd' }] : [{ kind: 'text', content: 'done' }],
      usage: { inputTokens: 1, outputTokens: 1 },
    }));
    const parent = agent({ name: 'parent', model: parentModel, delegates: [child] });
    const usage = new Usage();
    const first = await parent.run('go', { usage });
    expect(first.usage()).toMatchObject({ requests: 3, inputTokens: 7, outputTokens: 7, toolCalls: 1 });
    // A second agent continues the conversation, adding to the same usage object.
    const next = agent({ name: 'next', model: fixed(2, 2, 'more') });
    const second = await next.run('and?', { usage, messageHistory: first.allMessages() });
    expect(second.usage()).toMatchObject({ requests: 4, inputTokens: 9, outputTokens: 9 });
    expect(second.allMessages()).toHaveLength(first.allMessages().length + 2);
  });

  it('applies the parent limits inside a delegated run, counted on the shared usage', async () => {
    let childRequests = 0;
    const childModel = new FunctionModel(() => (childRequests++ === 0 ? [{ kind: 'tool-call', toolName: 'ping', args: {}, toolCallId: 'p' }] : 'x'));
    const child = agent({ name: 'child', model: childModel, tools: [ping] });
    const parentModel = fixed(1, 1, [{ kind: 'tool-call', toolName: 'child', args: { prompt: 'go' }, toolCallId: 'd' }]);
    const parent = agent({ name: 'parent', model: parentModel, delegates: [child], usageLimits: { requests: 2 } });
    await expect(parent.run('go')).rejects.toMatchObject({ limit: 'requests', value: 3, max: 2 });
    // The parent made request 1, the child request 2; the child's second request broke the limit.
    expect(childRequests).toBe(1);
  });
});
