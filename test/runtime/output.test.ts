/**
 * Output: tool mode (one output tool per union member, non-object members wrapped), native mode,
 * prompted mode (JSON read leniently), plain text; output validators; the output retry budget;
 * end strategies.
 */
import { describe, expect, it } from 'vitest';
import { agent, defineTool, ModelRetry, UnexpectedModelBehavior, type ResponsePart } from 'schemantic';
import { FunctionModel, type AgentInfo } from 'schemantic/testing';
import { masked } from '../helpers/messages.js';

const success = { type: 'object', properties: { sql: { type: 'string', minLength: 1 } }, required: ['sql'], additionalProperties: false };
const invalid = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'], additionalProperties: false };
type Result = { sql: string } | { error: string };

function scripted(seen: AgentInfo[], ...answers: (string | ResponsePart[])[]): FunctionModel {
  let i = 0;
  return new FunctionModel((_messages, info) => {
    seen.push(info);
    return answers[Math.min(i++, answers.length - 1)]!;
  });
}

describe('tool mode', () => {
  it('offers one output tool per union member and ends with the first valid call', async () => {
    const seen: AgentInfo[] = [];
    const model = scripted(seen, [{ kind: 'tool-call', toolName: 'final_result_Invalid', args: { error: 'vague' }, toolCallId: 'o1' }]);
    const a = agent<undefined, Result>({
      name: 'sql',
      model,
      output: {
        members: [
          { name: 'Success', schema: success },
          { name: 'Invalid', schema: invalid, description: 'When SQL cannot be written.' },
        ],
      },
    });
    const result = await a.run('rows?');
    expect(result.output).toEqual({ error: 'vague' });
    expect(seen[0]!.outputTools.map((t) => [t.name, t.description])).toEqual([
      ['final_result_Success', 'Success: The final response which ends this conversation'],
      ['final_result_Invalid', 'When SQL cannot be written.'],
    ]);
    expect(seen[0]!.allowText).toBe(false);
    expect(masked(result.allMessages().at(-1)!)).toEqual({
      kind: 'request',
      parts: [{ kind: 'tool-return', toolName: 'final_result_Invalid', toolCallId: 'o1', content: 'Final result processed.', timestamp: '<timestamp>' }],
    });
    expect(result.allMessages({ outputToolReturnContent: 'Try another.' }).at(-1)).toMatchObject({ parts: [{ content: 'Try another.' }] });
  });

  it('wraps a non-object output as {"response": ...} and unwraps the answer', async () => {
    const seen: AgentInfo[] = [];
    const model = scripted(seen, [{ kind: 'tool-call', toolName: 'final_result', args: { response: ['a', 'b'] }, toolCallId: 'o1' }]);
    const result = await agent<undefined, string[]>({ name: 'tags', model, output: { type: 'array', items: { type: 'string' } } }).run('tags?');
    expect(result.output).toEqual(['a', 'b']);
    expect(seen[0]!.outputTools[0]!.parametersJsonSchema).toEqual({
      type: 'object',
      properties: { response: { type: 'array', items: { type: 'string' } } },
      required: ['response'],
      additionalProperties: false,
    });
  });

  it('asks again after plain text, and after output that fails its schema, within the output budget', async () => {
    const seen: AgentInfo[] = [];
    const model = scripted(
      seen,
      'SELECT 1',
      [{ kind: 'tool-call', toolName: 'final_result', args: { sql: '' }, toolCallId: 'o1' }],
      [{ kind: 'tool-call', toolName: 'final_result', args: { sql: 'SELECT 1' }, toolCallId: 'o2' }],
    );
    const result = await agent<undefined, { sql: string }>({ name: 'sql', model, output: success, outputRetries: 2 }).run('sql?');
    expect(result.output).toEqual({ sql: 'SELECT 1' });
    const retries = result
      .allMessages()
      .filter((m) => m.kind === 'request')
      .slice(1, 3)
      .map((m) => m.parts[0]);
    expect(masked(retries)).toEqual([
      {
        kind: 'retry-prompt',
        content: 'Plain text responses are not permitted, please include your response in a tool call.\n\nFix the errors and try again.',
        timestamp: '<timestamp>',
      },
      {
        kind: 'retry-prompt',
        content: [{ path: '/sql', message: 'must NOT have fewer than 1 characters' }],
        toolName: 'final_result',
        toolCallId: 'o1',
        timestamp: '<timestamp>',
      },
    ]);

    const stubborn = scripted([], 'no');
    await expect(agent({ name: 'sql', model: stubborn, output: success, outputRetries: 1 }).run('sql?')).rejects.toThrow(UnexpectedModelBehavior);
  });

  it('reads a null for an optional output property as absent', async () => {
    const schema = { type: 'object', properties: { sql: { type: 'string' }, comment: { type: 'string' } }, required: ['sql'], additionalProperties: false };
    const model = scripted([], [{ kind: 'tool-call', toolName: 'final_result', args: '{"sql":"SELECT 1","comment":null}', toolCallId: 'o1' }]);
    const result = await agent<undefined, { sql: string; comment?: string }>({ name: 'sql', model, output: schema }).run('q');
    expect(result.output).toEqual({ sql: 'SELECT 1' });
  });

  it('lets text end the run when the union includes text', async () => {
    const seen: AgentInfo[] = [];
    const result = await agent<undefined, Result | string>({
      name: 'sql',
      model: scripted(seen, 'Which table?'),
      output: { members: [{ name: 'Success', schema: success }], allowsText: true },
    }).run('rows?');
    expect(result.output).toBe('Which table?');
    expect(seen[0]!.allowText).toBe(true);
  });

  it('runs output validators, which may transform the output or ask again with ModelRetry', async () => {
    const model = scripted(
      [],
      [{ kind: 'tool-call', toolName: 'final_result', args: { sql: 'DELETE FROM t' }, toolCallId: 'o1' }],
      [{ kind: 'tool-call', toolName: 'final_result', args: { sql: 'select 1' }, toolCallId: 'o2' }],
    );
    const retries: number[] = [];
    const a = agent<undefined, { sql: string }>({
      name: 'sql',
      model,
      output: success,
      outputValidators: [
        async (ctx, out) => {
          retries.push(ctx.retry);
          if (!/^select/i.test(out.sql)) throw new ModelRetry('Please create a SELECT query');
          return { sql: out.sql.toUpperCase() };
        },
      ],
    });
    const result = await a.run('q');
    expect(result.output).toEqual({ sql: 'SELECT 1' });
    expect(retries).toEqual([0, 1]);
    expect(result.allMessages()[2]).toMatchObject({
      parts: [{ kind: 'retry-prompt', content: 'Please create a SELECT query\n\nFix the errors and try again.', toolName: 'final_result', toolCallId: 'o1' }],
    });
  });
});

describe('end strategy', () => {
  const both: ResponsePart[] = [
    { kind: 'tool-call', toolName: 'final_result', args: { sql: 'SELECT 1' }, toolCallId: 'o1' },
    { kind: 'tool-call', toolName: 'log', args: {}, toolCallId: 'l1' },
    { kind: 'tool-call', toolName: 'final_result', args: { sql: 'SELECT 2' }, toolCallId: 'o2' },
  ];
  const log = (calls: string[]) => defineTool({ name: 'log', parameters: { type: 'object' }, handler: () => (calls.push('log'), 'logged') });

  it('early: the first valid output ends the run, other tools are not executed', async () => {
    const calls: string[] = [];
    const result = await agent<undefined, { sql: string }>({
      name: 'e',
      model: scripted([], both),
      output: success,
      tools: [log(calls)],
      endStrategy: 'early',
    }).run('q');
    expect(result.output).toEqual({ sql: 'SELECT 1' });
    expect(calls).toEqual([]);
    expect(
      result.allMessages().at(-1)!.kind === 'request' && (result.allMessages().at(-1) as { parts: { content: unknown }[] }).parts.map((p) => p.content),
    ).toEqual([
      'Final result processed.',
      'Tool not executed - a final result was already processed.',
      'Output tool not used - a final result was already processed.',
    ]);
  });

  it('exhaustive: the function tools of the final response run too, and every output tool call is read', async () => {
    const calls: string[] = [];
    const result = await agent<undefined, { sql: string }>({
      name: 'e',
      model: scripted([], both),
      output: success,
      tools: [log(calls)],
      endStrategy: 'exhaustive',
    }).run('q');
    expect(result.output).toEqual({ sql: 'SELECT 1' });
    expect(calls).toEqual(['log']);
    expect((result.allMessages().at(-1) as { parts: { content: unknown }[] }).parts.map((p) => p.content)).toEqual([
      'Final result processed.',
      'logged',
      'Output tool processed, but its value will not be the final result of the agent run.',
    ]);
  });
});

describe('native and prompted modes', () => {
  it('native: asks for the JSON Schema response format and reads a union envelope', async () => {
    const seen: AgentInfo[] = [];
    const model = scripted(seen, '{"result": {"kind": "Nope", "data": {}}}', '{"result": {"kind": "Success", "data": {"sql": "SELECT 1"}}}');
    const a = agent<undefined, Result>({
      name: 'sql',
      model,
      outputMode: 'native',
      output: {
        members: [
          { name: 'Success', schema: success },
          { name: 'Invalid', schema: invalid },
        ],
      },
    });
    const result = await a.run('q');
    expect(result.output).toEqual({ sql: 'SELECT 1' });
    expect(seen[0]!.outputTools).toEqual([]);
    expect(seen[0]!.outputMode).toBe('native');
    expect(seen[0]!.outputObject).toMatchObject({
      name: 'final_result',
      jsonSchema: {
        type: 'object',
        required: ['result'],
        properties: { result: { anyOf: [{ properties: { kind: { const: 'Success' } } }, { properties: { kind: { const: 'Invalid' } } }] } },
      },
    });
    expect(result.allMessages()[2]).toMatchObject({
      parts: [{ kind: 'retry-prompt', content: [{ path: '/result/kind', message: 'must be one of "Success", "Invalid"' }] }],
    });
  });

  it('native: reads a non-object union member from the envelope as it is', async () => {
    const model = scripted([], '{"result": {"kind": "Tags", "data": ["a", "b"]}}');
    const a = agent<undefined, string[] | { sql: string }>({
      name: 'mixed',
      model,
      outputMode: 'native',
      output: {
        members: [
          { name: 'Success', schema: success },
          { name: 'Tags', schema: { type: 'array', items: { type: 'string' } } },
        ],
      },
    });
    expect((await a.run('q')).output).toEqual(['a', 'b']);
  });

  it('native: text that is not a valid output is the answer when the union includes text', async () => {
    // `42` parses as JSON but is no output member: it is the model's text answer.
    const model = scripted([], '42');
    const a = agent<undefined, { sql: string } | string>({
      name: 'sql',
      model,
      outputMode: 'native',
      output: { members: [{ name: 'Success', schema: success }], allowsText: true },
    });
    expect((await a.run('q')).output).toBe('42');
    const json = agent<undefined, { sql: string } | string>({
      name: 'sql',
      model: scripted([], '{"sql": "SELECT 1"}'),
      outputMode: 'native',
      output: { members: [{ name: 'Success', schema: success }], allowsText: true },
    });
    expect((await json.run('q')).output).toEqual({ sql: 'SELECT 1' });
  });

  it('prompted: describes the schema in the instructions and reads JSON leniently', async () => {
    const seen: AgentInfo[] = [];
    const model = scripted(seen, 'Sure! Here it is:\n```json\n{"sql": "SELECT 1"}\n```\nAnything else?');
    const result = await agent<undefined, { sql: string }>({ name: 'sql', model, outputMode: 'prompted', output: success, instructions: 'Write SQL.' }).run(
      'q',
    );
    expect(result.output).toEqual({ sql: 'SELECT 1' });
    // Prompted-output instructions join the agent's instructions on the request (not stored as system prompts).
    const first = result.allMessages()[0]!;
    const instructions = first.kind === 'request' ? first.instructions : undefined;
    expect(first.kind === 'request' && first.parts.some((p) => p.kind === 'system-prompt')).toBe(false);
    expect(instructions).toMatch(/^Write SQL\.\n\n/);
    expect(instructions).toContain("Always respond with a JSON object that's compatible with this schema:");
    expect(instructions).toContain('"required":["sql"]');
    const bare = await agent<undefined, { sql: string }>({
      name: 'sql',
      model: scripted([], 'The answer is {"sql": "SELECT 2"} as you asked.'),
      outputMode: 'prompted',
      output: success,
    }).run('q');
    expect(bare.output).toEqual({ sql: 'SELECT 2' });
  });
});
