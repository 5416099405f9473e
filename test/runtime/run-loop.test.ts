/**
 * The run loop through the public API: nodes, the run context, tools running concurrently with
 * returns in call order, prepare hooks, continued conversations and their instructions.
 */
import { describe, expect, it } from 'vitest';
import { agent, defineTool, type AgentNode, type ModelMessage, type RunContext } from 'schemantic';
import { FunctionModel, TestModel, type AgentInfo } from 'schemantic/testing';
import { masked } from '../helpers/messages.js';

const echo = defineTool<{ text: string }, string, { prefix: string }>({
  name: 'echo',
  description: 'Echo text.',
  parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
  returns: { type: 'string' },
  handler: (ctx, { text }) => `${ctx.deps.prefix}${text}`,
});

describe('a run', () => {
  it('goes user prompt -> model request -> call tools -> ... -> end, and can be stepped', async () => {
    const model = new FunctionModel((messages) =>
      messages.length === 1 ? [{ kind: 'tool-call', toolName: 'echo', args: { text: 'hi' }, toolCallId: 'c1' }] : 'done',
    );
    const a = agent<{ prefix: string }>({ name: 'stepper', model, instructions: 'Be brief.', tools: [echo] });
    const run = a.iter('Say hi', { deps: { prefix: '> ' } });
    const kinds: string[] = [];
    for await (const node of run) kinds.push(node.kind);
    expect(kinds).toEqual(['user-prompt', 'model-request', 'call-tools', 'model-request', 'call-tools', 'end']);
    expect(run.result!.output).toBe('done');

    // Manual stepping, changing a node on the way: the caller adds a part to the first request.
    const manual = a.iter('Say hi', { deps: { prefix: '> ' } });
    let node: AgentNode<string> = await manual.next();
    expect(node.kind).toBe('model-request');
    if (node.kind === 'model-request') node.request.parts.push({ kind: 'user-prompt', content: 'And be polite.', timestamp: new Date().toISOString() });
    while (node.kind !== 'end') node = await manual.next(node);
    const firstRequest = node.result.allMessages()[0]!;
    expect(firstRequest.kind === 'request' && firstRequest.parts.map((p) => p.kind)).toEqual(['user-prompt', 'user-prompt']);
    // Instructions are recorded on the request as sent, not as a part.
    expect(firstRequest.kind === 'request' && firstRequest.instructions).toBe('Be brief.');
  });

  it('gives tools, instruction functions and output validators the run context', async () => {
    const seen: Record<string, unknown>[] = [];
    const record = (where: string, ctx: RunContext<{ id: number }, { user: string }>) =>
      seen.push({
        where,
        deps: ctx.deps,
        context: ctx.context,
        retry: ctx.retry,
        prompt: ctx.prompt,
        toolName: ctx.toolName,
        toolCallId: ctx.toolCallId,
        messages: ctx.messages.length,
        model: ctx.model.name,
        requests: ctx.usage.requests,
        runStep: ctx.runStep,
      });
    let calls = 0;
    const model = new FunctionModel(() => (calls++ === 0 ? [{ kind: 'tool-call', toolName: 'probe', args: {}, toolCallId: 'p1' }] : 'ok'), { name: 'fn' });
    const a = agent<{ id: number }, string, { user: string }>({
      name: 'ctx',
      model,
      context: { type: 'object', properties: { user: { type: 'string' } }, required: ['user'] },
      // A system prompt function runs once, before the first request (instructions: see instructions.test.ts).
      systemPrompt: [(ctx) => (record('instructions', ctx), `User ${ctx.context.user}.`)],
      tools: [
        defineTool<Record<string, never>, string, { id: number }, { user: string }>({
          name: 'probe',
          parameters: { type: 'object' },
          handler: (ctx) => (record('tool', ctx), 'probed'),
        }),
      ],
      outputValidators: [(ctx, output) => (record('validator', ctx), output)],
    });
    const result = await a.run('Go', { deps: { id: 7 }, context: { user: 'Ann' } });
    expect(result.output).toBe('ok');
    expect(seen).toEqual([
      {
        where: 'instructions',
        deps: { id: 7 },
        context: { user: 'Ann' },
        retry: 0,
        prompt: 'Go',
        toolName: undefined,
        toolCallId: undefined,
        messages: 0,
        model: 'fn',
        requests: 0,
        runStep: 0,
      },
      {
        where: 'tool',
        deps: { id: 7 },
        context: { user: 'Ann' },
        retry: 0,
        prompt: 'Go',
        toolName: 'probe',
        toolCallId: 'p1',
        messages: 2,
        model: 'fn',
        requests: 1,
        runStep: 1,
      },
      {
        where: 'validator',
        deps: { id: 7 },
        context: { user: 'Ann' },
        retry: 0,
        prompt: 'Go',
        toolName: undefined,
        toolCallId: undefined,
        messages: 4,
        model: 'fn',
        requests: 2,
        runStep: 2,
      },
    ]);
  });

  it('runs the tool calls of one response concurrently and keeps their returns in call order', async () => {
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = defineTool<{ id: string }, string>({
      name: 'slow',
      parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      handler: async (_ctx, { id }) => {
        started.push(id);
        if (started.length === 3) release();
        await gate; // resolves only once all three have started: they run concurrently
        await new Promise((r) => setTimeout(r, id === 'a' ? 20 : 0));
        return `done ${id}`;
      },
    });
    const model = new FunctionModel((messages) =>
      messages.length === 1 ? ['a', 'b', 'c'].map((id, i) => ({ kind: 'tool-call' as const, toolName: 'slow', args: { id }, toolCallId: `c${i}` })) : 'ok',
    );
    const result = await agent({ name: 'par', model, tools: [slow] }).run('go');
    const returns = result.allMessages()[2]!;
    expect(returns.kind === 'request' && returns.parts.map((p) => (p.kind === 'tool-return' ? p.content : p.kind))).toEqual(['done a', 'done b', 'done c']);
  });

  it('lets a prepare hook hide or change a tool for a step, and rejects calls to a hidden tool', async () => {
    const seen: AgentInfo[] = [];
    const model = new FunctionModel((messages, info) => {
      seen.push(info);
      return messages.length === 1 ? [{ kind: 'tool-call', toolName: 'secret', args: {}, toolCallId: 's1' }] : 'fine';
    });
    const secret = defineTool<Record<string, never>, string, number>({
      name: 'secret',
      description: 'A secret.',
      parameters: { type: 'object' },
      prepare: (ctx, def) => (ctx.deps === 42 ? { ...def, description: 'The answer.' } : undefined),
      handler: () => 'shh',
    });
    const a = agent<number>({ name: 'prep', model, tools: [secret] });
    const hidden = await a.run('?', { deps: 41 });
    expect(seen[0]!.functionTools).toEqual([]);
    expect(masked(hidden.allMessages()[2]!)).toEqual({
      kind: 'request',
      parts: [
        {
          kind: 'retry-prompt',
          content: 'Unknown tool name: "secret". No tools are available.\n\nFix the errors and try again.',
          toolName: 'secret',
          toolCallId: 's1',
          timestamp: '<timestamp>',
        },
      ],
    });
    seen.length = 0;
    const shown = await a.run('?', { deps: 42 });
    expect(seen[0]!.functionTools.map((t) => t.description)).toEqual(['The answer.']);
    expect(shown.allMessages()[2]!.kind === 'request' && shown.allMessages()[2]!.parts[0]!.kind).toBe('tool-return');
  });
});

describe('a continued conversation', () => {
  it('sends system prompts once, refreshes dynamic ones, and records the history', async () => {
    let day = 'Monday';
    const model = new FunctionModel((messages) => `Reply ${messages.filter((m) => m.kind === 'request').length}`);
    const a = agent({ name: 'chat', model, systemPrompt: ['Be helpful.', { dynamic: true, key: 'day', render: () => `Today is ${day}.` }] });
    const first = await a.run('Hello');
    day = 'Tuesday';
    const second = await a.run('And now?', { messageHistory: first.allMessagesJson() });
    expect(second.newMessages()).toHaveLength(2);
    expect(masked(second.allMessages())).toMatchInlineSnapshot(`
      [
        {
          "kind": "request",
          "parts": [
            {
              "content": "Be helpful.",
              "kind": "system-prompt",
              "timestamp": "<timestamp>",
            },
            {
              "content": "Today is Tuesday.",
              "dynamicRef": "day",
              "kind": "system-prompt",
              "timestamp": "<timestamp>",
            },
            {
              "content": "Hello",
              "kind": "user-prompt",
              "timestamp": "<timestamp>",
            },
          ],
        },
        {
          "kind": "response",
          "modelName": "function:anonymous",
          "parts": [
            {
              "content": "Reply 1",
              "kind": "text",
            },
          ],
          "timestamp": "<timestamp>",
          "usage": {
            "inputTokens": 59,
            "outputTokens": 2,
          },
        },
        {
          "kind": "request",
          "parts": [
            {
              "content": "And now?",
              "kind": "user-prompt",
              "timestamp": "<timestamp>",
            },
          ],
        },
        {
          "kind": "response",
          "modelName": "function:anonymous",
          "parts": [
            {
              "content": "Reply 2",
              "kind": "text",
            },
          ],
          "timestamp": "<timestamp>",
          "usage": {
            "inputTokens": 64,
            "outputTokens": 2,
          },
        },
      ]
    `);
    // The first run's own history is untouched by the refresh.
    expect(JSON.stringify(first.allMessages())).toContain('Today is Monday.');
  });

  it('runs on TestModel with a history from another model', async () => {
    const history: ModelMessage[] = (await agent({ name: 'a', model: new FunctionModel(() => 'first') }).run('one')).allMessages();
    const result = await agent({ name: 'b', model: new TestModel({ customOutputText: 'second' }) }).run('two', { messageHistory: history });
    expect(result.output).toBe('second');
    expect(result.allMessages().map((m) => m.kind)).toEqual(['request', 'response', 'request', 'response']);
  });
});

describe('cancellation', () => {
  it('stops a run when its signal aborts, before the next step, and passes the signal on', async () => {
    const controller = new AbortController();
    const seenSignals: (AbortSignal | undefined)[] = [];
    const slow = defineTool({
      name: 'slow',
      parameters: { type: 'object' },
      handler: async (ctx) => {
        seenSignals.push(ctx.signal);
        controller.abort(new Error('user left'));
        return 'late';
      },
    });
    let requests = 0;
    const model = new FunctionModel(() => (requests++ === 0 ? [{ kind: 'tool-call', toolName: 'slow', args: {}, toolCallId: 's' }] : 'never'));
    await expect(agent({ name: 'c', model, tools: [slow] }).run('go', { signal: controller.signal })).rejects.toThrow('user left');
    expect(requests).toBe(1);
    expect(seenSignals).toEqual([controller.signal]);
    const aborted = AbortSignal.abort(new Error('already gone'));
    await expect(agent({ name: 'c', model: new TestModel() }).run('go', { signal: aborted })).rejects.toThrow('already gone');
  });
});
