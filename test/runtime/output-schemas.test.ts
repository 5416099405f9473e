/**
 * Output schemas as sent: the output tool and the native response format carry the output type's
 * own name and description (as the reference does), and no copy of the type left unused in `$defs`.
 */
import { describe, expect, it } from 'vitest';
import { agent } from 'schemantic';
import { toOpenAIStrict } from 'schemantic/internal';
import { createBankSupportAgent } from '../../generated/agents/bank-support.js';
import { bankSupportSpec } from '../../generated/agents/bank-support.js';
import { anthropicModel, openaiModel, sentBodies, withReplay } from '../providers/harness.js';
import type { Exchange } from '../providers/replay-server.js';

const path = '/v1/chat/completions';
const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };

function chatReply(message: Record<string, unknown>): Exchange {
  const body = {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o',
    choices: [{ index: 0, finish_reason: message['tool_calls'] ? 'tool_calls' : 'stop', message: { role: 'assistant', content: null, ...message } }],
    usage,
  };
  return { request: { method: 'POST', path }, response: { kind: 'json', status: 200, body } };
}

const answer = { support_advice: 'Your card is safe.', block_card: false, risk: 1 };
const finalCall = chatReply({ tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'final_result', arguments: JSON.stringify(answer) } }] });

/** Every `$defs` name a schema holds, and every name its `$ref`s use. */
function defsAndRefs(schema: unknown): { defs: string[]; refs: string[] } {
  const defs: string[] = [];
  const refs: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v === null || typeof v !== 'object') return;
    for (const [k, sub] of Object.entries(v)) {
      if (k === '$defs') defs.push(...Object.keys(sub as object));
      if (k === '$ref' && typeof sub === 'string') refs.push(sub.replace('#/$defs/', ''));
      walk(sub);
    }
  };
  walk(schema);
  return { defs, refs };
}

const booking = {
  $ref: '#/$defs/Booking',
  $defs: {
    Booking: {
      description: 'A confirmed booking.',
      type: 'object',
      properties: { reference: { type: 'string' }, seat: { $ref: '#/$defs/Seat' } },
      required: ['reference', 'seat'],
      additionalProperties: false,
    },
    Seat: { type: 'object', properties: { row: { type: 'integer' } }, required: ['row'], additionalProperties: false },
  },
};

describe('output schemas as sent', () => {
  it('OpenAI tool mode: final_result described by the output type, no unused $defs (generated agent)', async () => {
    await withReplay([finalCall], async (server) => {
      const bank = createBankSupportAgent({ model: openaiModel(server, 'gpt-4o'), tools: { customerBalance: () => '100' } });
      const result = await bank.run('Is my card safe?', { context: { customer_name: 'John' } });
      expect(result.output).toEqual(answer);
      const tools = (server.requests[0]!.body as { tools: { function: { name: string; description?: string; parameters: Record<string, unknown> } }[] }).tools;
      const output = tools.find((t) => t.function.name === 'final_result')!.function;
      expect(output.description).toBe("The agent's answer to the customer, and what the bank should do.");
      expect(output.parameters['$defs']).toBeUndefined();
      expect(output.parameters['description']).toBeUndefined();
      expect(output.parameters['type']).toBe('object');
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/output-schemas-openai-tool.json');
    });
  });

  it('the generated strict form of an output schema keeps no copy of itself in $defs', () => {
    const member = bankSupportSpec.output.kind === 'structured' ? bankSupportSpec.output.members[0]! : undefined;
    expect(member?.strictSchema).toBeDefined();
    expect((member!.strictSchema as Record<string, unknown>)['$defs']).toBeUndefined();
    // A root reference to a type that refers to others keeps only those others.
    const strict = toOpenAIStrict(booking);
    expect(strict.ok).toBe(true);
    const { defs, refs } = defsAndRefs(strict.ok ? strict.schema : undefined);
    expect(defs).toEqual(['Seat']);
    expect(refs).toEqual(['Seat']);
  });

  it('OpenAI native mode: response_format named and described by the output type, only the $defs it uses', async () => {
    const reply = chatReply({ content: JSON.stringify({ reference: 'AB12', seat: { row: 3 } }) });
    await withReplay([reply], async (server) => {
      const result = await agent({ name: 'booker', model: openaiModel(server, 'gpt-4o'), output: booking, outputMode: 'native' }).run('Book it');
      expect(result.output).toEqual({ reference: 'AB12', seat: { row: 3 } });
      const format = (server.requests[0]!.body as { response_format: { json_schema: { name: string; description?: string; schema: unknown } } }).response_format
        .json_schema;
      expect(format.name).toBe('Booking');
      expect(format.description).toBe('A confirmed booking.');
      expect(defsAndRefs(format.schema)).toEqual({ defs: ['Seat'], refs: ['Seat'] });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/output-schemas-openai-native.json');
    });
  });

  it('Anthropic tool mode: the output tool described by the output type, only the $defs it uses', async () => {
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      stop_reason: 'tool_use',
      stop_sequence: null,
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'final_result', input: { reference: 'AB12', seat: { row: 3 } } }],
      usage: { input_tokens: 10, output_tokens: 5 },
    };
    await withReplay([{ request: { method: 'POST', path: '/v1/messages' }, response: { kind: 'json', status: 200, body: message } }], async (server) => {
      const result = await agent({ name: 'booker', model: anthropicModel(server, 'claude-sonnet-4-5'), output: booking }).run('Book it');
      expect(result.output).toEqual({ reference: 'AB12', seat: { row: 3 } });
      const tool = (server.requests[0]!.body as { tools: { name: string; description?: string; input_schema: unknown }[] }).tools[0]!;
      expect(tool.name).toBe('final_result');
      expect(tool.description).toBe('A confirmed booking.');
      expect(defsAndRefs(tool.input_schema)).toEqual({ defs: ['Seat'], refs: ['Seat'] });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/output-schemas-anthropic-tool.json');
    });
  });

  it('constraints moved into a description read as a parenthesis after it', () => {
    const strict = toOpenAIStrict({
      type: 'object',
      properties: { body: { type: 'string', description: 'as markdown', default: '', maxLength: 500 } },
      required: ['body'],
    });
    expect(strict.ok && (strict.schema as { properties: { body: unknown } }).properties.body).toEqual({
      type: 'string',
      description: 'as markdown (default: "", maxLength: 500)',
    });
    const bare = toOpenAIStrict({ type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'] });
    expect(bare.ok && (bare.schema as { properties: { n: unknown } }).properties.n).toEqual({ type: 'integer', minimum: 1 });
  });
});
