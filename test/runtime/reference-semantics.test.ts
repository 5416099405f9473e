/**
 * Behaviour taken from the reference framework (PydanticAI 2.x), checked against what it does:
 * the end strategies (`graceful` the default, `early`, `exhaustive`), tool-call counting (only
 * calls that ran successfully count), the default request limit of 50, and the closing line of
 * every retry prompt.
 */
import { describe, expect, it } from 'vitest';
import { agent, defineTool, ModelRetry, UsageLimitExceeded, type ModelMessage, type ModelRequest, type ResponsePart } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { retryPromptText } from '../../runtime/contract/messages.js';
import { generateFrom, problemLines } from '../helpers/pipeline.js';

const sql = { type: 'object', properties: { sql: { type: 'string', minLength: 1 } }, required: ['sql'], additionalProperties: false };

const FIX = '\n\nFix the errors and try again.';

/** A model that gives its answers in turn (the last one again once they run out). */
function scripted(...answers: (string | ResponsePart[])[]): FunctionModel {
  let i = 0;
  return new FunctionModel(() => answers[Math.min(i++, answers.length - 1)]!);
}

const out = (id: string, value: string): ResponsePart => ({ kind: 'tool-call', toolName: 'final_result', args: { sql: value }, toolCallId: id });
const call = (name: string, id: string, args: string | object = {}): ResponsePart => ({ kind: 'tool-call', toolName: name, args, toolCallId: id });

/** A tool that records its calls in `log` (and throws ModelRetry when `retry` says so). */
function logTool(log: string[], name = 'log', retry?: (n: number) => boolean) {
  let n = 0;
  return defineTool({
    name,
    parameters: { type: 'object' },
    handler: async () => {
      const k = n++;
      await new Promise((r) => setTimeout(r, 5));
      if (retry?.(k)) throw new ModelRetry(`${name} wants another try`);
      log.push(name);
      return `${name} done`;
    },
  });
}

/** What each part of a request says: a tool return's content, or a retry prompt's. */
function contents(message: ModelMessage | undefined): unknown[] {
  expect(message?.kind).toBe('request');
  return (message as ModelRequest).parts.map((p) => (p.kind === 'tool-return' || p.kind === 'retry-prompt' ? p.content : p.kind));
}

describe('end strategy graceful (the default)', () => {
  it('runs the function tools called with the output tool, before and after it, and ends with the output', async () => {
    const log: string[] = [];
    const order: string[] = [];
    const a = agent<undefined, { sql: string }>({
      name: 'g',
      model: scripted([call('before', 'b1'), out('o1', 'SELECT 1'), call('after', 'a1')]),
      output: sql,
      tools: [logTool(log, 'before'), logTool(log, 'after')],
      outputValidators: [(_ctx, o) => (order.push(`output after ${log.join(',') || 'nothing'}`), o)],
    });
    const result = await a.run('q');
    expect(result.output).toEqual({ sql: 'SELECT 1' });
    expect(log).toEqual(['before', 'after']);
    // Emission order: the tool called before the output tool ran before the output was read.
    expect(order).toEqual(['output after before']);
    expect(contents(result.allMessages().at(-1))).toEqual(['before done', 'Final result processed.', 'after done']);
    expect(result.usage().toolCalls).toBe(2);
  });

  it('skips output tool calls after the first valid one without reading them', async () => {
    let validated = 0;
    const a = agent<undefined, { sql: string }>({
      name: 'g',
      model: scripted([out('o1', ''), out('o2', 'SELECT 2'), out('o3', 'SELECT 3'), out('o4', '')]),
      output: sql,
      outputValidators: [(_ctx, o) => (validated++, o)],
    });
    const result = await a.run('q');
    expect(result.output).toEqual({ sql: 'SELECT 2' });
    expect(validated).toBe(1);
    expect(contents(result.allMessages().at(-1))).toEqual([
      [{ path: '/sql', message: 'must NOT have fewer than 1 characters' }],
      'Final result processed.',
      'Output tool not used - a final result was already processed.',
      'Output tool not used - a final result was already processed.',
    ]);
  });

  it('puts a retry of a function tool first: the output is set aside and the model asked again', async () => {
    const log: string[] = [];
    const a = agent<undefined, { sql: string }>({
      name: 'g',
      model: scripted([out('o1', 'SELECT 1'), call('check', 'c1')], [out('o2', 'SELECT 2'), call('check', 'c2')]),
      output: sql,
      tools: [logTool(log, 'check', (n) => n === 0)],
    });
    const result = await a.run('q');
    expect(result.output).toEqual({ sql: 'SELECT 2' });
    const messages = result.allMessages();
    expect(contents(messages[2])).toEqual([
      'Output not used as the final result - addressing tool retries from this round first.',
      `check wants another try${FIX}`,
    ]);
    expect(contents(messages[4])).toEqual(['Final result processed.', 'check done']);
  });

  it('is the default end strategy', async () => {
    const log: string[] = [];
    const result = await agent<undefined, { sql: string }>({
      name: 'g',
      model: scripted([out('o1', 'SELECT 1'), call('log', 'l1')]),
      output: sql,
      tools: [logTool(log)],
    }).run('q');
    expect(log).toEqual(['log']);
    expect(contents(result.allMessages().at(-1))).toEqual(['Final result processed.', 'log done']);
  });
});

describe('end strategy in definitions', () => {
  it('accepts end_strategy: graceful and hands it to the runtime', async () => {
    const definition = (strategy: string) =>
      `spec: schemantic/v1\nagents:\n  helper:\n    model: test\n    instructions: Help.\n    end_strategy: ${strategy}\n`;
    const result = await generateFrom({ 'a.yaml': definition('graceful') });
    expect(problemLines(result)).toEqual([]);
    expect(result.ir?.agents[0]?.endStrategy).toBe('graceful');
    expect([...result.files.values()].some((text) => text.includes('endStrategy: "graceful"'))).toBe(true);
    expect(problemLines(await generateFrom({ 'a.yaml': definition('lazy') }))).not.toEqual([]);
  });
});

describe('end strategy exhaustive', () => {
  it('reads every output tool call: the first valid one wins, the others are answered as processed or retried', async () => {
    const log: string[] = [];
    let validated = 0;
    const a = agent<undefined, { sql: string }>({
      name: 'x',
      model: scripted([out('o1', ''), call('log', 'l1'), out('o2', 'SELECT 2'), out('o3', 'SELECT 3')]),
      output: sql,
      tools: [logTool(log)],
      outputValidators: [(_ctx, o) => (validated++, o)],
      endStrategy: 'exhaustive',
    });
    const result = await a.run('q');
    expect(result.output).toEqual({ sql: 'SELECT 2' });
    expect(log).toEqual(['log']);
    expect(validated).toBe(2);
    expect(contents(result.allMessages().at(-1))).toEqual([
      [{ path: '/sql', message: 'must NOT have fewer than 1 characters' }],
      'log done',
      'Final result processed.',
      'Output tool processed, but its value will not be the final result of the agent run.',
    ]);
  });

  it('also sets the output aside when a function tool asks for a retry', async () => {
    const a = agent<undefined, { sql: string }>({
      name: 'x',
      model: scripted([call('check', 'c1'), out('o1', 'SELECT 1')], [out('o2', 'SELECT 2')]),
      output: sql,
      tools: [logTool([], 'check', (n) => n === 0)],
      endStrategy: 'exhaustive',
    });
    const result = await a.run('q');
    expect(result.output).toEqual({ sql: 'SELECT 2' });
    expect(contents(result.allMessages()[2])).toEqual([
      `check wants another try${FIX}`,
      'Output not used as the final result - addressing tool retries from this round first.',
    ]);
  });
});

describe('end strategy early', () => {
  it('answers function tools and unknown tools of the final response as not executed', async () => {
    const log: string[] = [];
    const result = await agent<undefined, { sql: string }>({
      name: 'e',
      model: scripted([call('log', 'l1'), out('o1', 'SELECT 1'), call('nope', 'n1')]),
      output: sql,
      tools: [logTool(log)],
      endStrategy: 'early',
    }).run('q');
    expect(log).toEqual([]);
    expect(contents(result.allMessages().at(-1))).toEqual([
      'Tool not executed - a final result was already processed.',
      'Final result processed.',
      'Tool not executed - a final result was already processed.',
    ]);
  });

  it('ends with valid native output that comes with function tool calls (graceful runs the tools instead)', async () => {
    const answer = (): ResponsePart[] => [{ kind: 'text', content: '{"sql": "SELECT 1"}' }, call('log', 'l1')];
    const log: string[] = [];
    const early = await agent<undefined, { sql: string }>({
      name: 'n',
      model: scripted(answer()),
      output: sql,
      outputMode: 'native',
      tools: [logTool(log)],
      endStrategy: 'early',
    }).run('q');
    expect(early.output).toEqual({ sql: 'SELECT 1' });
    expect(log).toEqual([]);
    expect(contents(early.allMessages().at(-1))).toEqual(['Tool not executed - a final result was already processed.']);

    const graceful = await agent<undefined, { sql: string }>({
      name: 'n',
      model: scripted(answer(), '{"sql": "SELECT 2"}'),
      output: sql,
      outputMode: 'native',
      tools: [logTool(log)],
    }).run('q');
    expect(graceful.output).toEqual({ sql: 'SELECT 2' });
    expect(log).toEqual(['log']);
  });
});

describe('tool call counting', () => {
  it('counts only calls that ran successfully: a malformed call then a good one fit a limit of 1', async () => {
    const log: string[] = [];
    const model = scripted([call('log', 'l1', '{"oops": ')], [call('log', 'l2')], 'done');
    const result = await agent({ name: 'u', model, tools: [logTool(log)], usageLimits: { toolCalls: 1 } }).run('go');
    expect(result.output).toBe('done');
    expect(log).toEqual(['log']);
    expect(result.usage().toolCalls).toBe(1);
  });

  it('does not count a call whose handler asked for a retry', async () => {
    const model = scripted([call('check', 'c1')], [call('check', 'c2')], 'done');
    const result = await agent({ name: 'u', model, tools: [logTool([], 'check', (n) => n === 0)], usageLimits: { toolCalls: 1 } }).run('go');
    expect(result.usage().toolCalls).toBe(1);
  });
});

describe('the default request limit', () => {
  /** A model that calls a tool at every request (failing the test, rather than looping on, past 200). */
  const looping = (counter: { requests: number }) =>
    new FunctionModel(() => {
      if (++counter.requests > 200) throw new Error('no request limit stopped the run');
      return [call('log', `l${counter.requests}`)];
    });

  it('stops a model that never stops calling tools at 50 requests', async () => {
    const counter = { requests: 0 };
    const model = looping(counter);
    const run = agent({ name: 'loop', model, tools: [logTool([])] }).run('go');
    await expect(run).rejects.toThrow(UsageLimitExceeded);
    await expect(run).rejects.toMatchObject({ limit: 'requests', value: 51, max: 50 });
    expect(counter.requests).toBe(50);
  });

  it('can be raised, lowered or lifted with usageLimits.requests', async () => {
    let requests = 0;
    const model = new FunctionModel(() => (requests++ < 60 ? [call('log', `l${requests}`)] : 'done'));
    const a = agent({ name: 'loop', model, tools: [logTool([])] });
    await expect(a.run('go', { usageLimits: { requests: 3 } })).rejects.toMatchObject({ limit: 'requests', max: 3 });
    requests = 0;
    expect((await a.run('go', { usageLimits: { requests: 61 } })).output).toBe('done');
    requests = 0;
    expect((await a.run('go', { usageLimits: { requests: Infinity } })).usage().requests).toBe(61);
  });

  it('holds when other limits are set', async () => {
    const model = looping({ requests: 0 });
    await expect(agent({ name: 'loop', model, tools: [logTool([])], usageLimits: { totalTokens: 1_000_000 } }).run('go')).rejects.toMatchObject({
      limit: 'requests',
      max: 50,
    });
  });
});

describe('retry prompts', () => {
  it('end with "Fix the errors and try again." for ModelRetry from a tool or an output validator, and for validation errors', async () => {
    let tries = 0;
    const a = agent<undefined, { sql: string }>({
      name: 'r',
      model: scripted([call('check', 'c1')], [out('o1', 'DELETE')], [out('o2', '')], 'plain text', [out('o3', 'SELECT 1')]),
      output: sql,
      tools: [logTool([], 'check', (n) => n === 0)],
      retries: 5,
      outputValidators: [
        (_ctx, o) => {
          if (o.sql === 'DELETE' && tries++ === 0) throw new ModelRetry('Only SELECT is allowed.');
          return o;
        },
      ],
    });
    const result = await a.run('q');
    const retries = result
      .allMessages()
      .flatMap((m) => (m.kind === 'request' ? m.parts : []))
      .filter((p) => p.kind === 'retry-prompt');
    expect(retries.map((p) => p.content)).toEqual([
      `check wants another try${FIX}`,
      `Only SELECT is allowed.${FIX}`,
      [{ path: '/sql', message: 'must NOT have fewer than 1 characters' }],
      `Plain text responses are not permitted, please include your response in a tool call.${FIX}`,
    ]);
    // What the model is shown: every retry prompt ends with the same line, validation errors too.
    for (const part of retries) expect(retryPromptText(part)).toMatch(/\S\n\nFix the errors and try again\.$/);
  });
});
