/**
 * The generator's Gemini variants on their way to a model: an output member's and a tool's
 * variant reach the request parameters shaped as their schemas are (root `$ref` inlined, a
 * union's envelope around its members), for the Gemini adapter to send as they are.
 */
import { describe, expect, it } from 'vitest';
import { defineAgent, VERSION, type AgentSpec, type Validator } from 'schemantic';
import { FunctionModel, type AgentInfo } from 'schemantic/testing';

const pass = ((_: unknown) => true) as Validator<never>;

function spec(members: AgentSpec['output'], tools: AgentSpec['tools'] = []): AgentSpec {
  return {
    runtime: `^${VERSION}`,
    name: 'shapes',
    validators: () => Promise.resolve({ validateOutputA: pass, validateOutputB: pass, validateOutput: pass }),
    tools,
    delegates: [],
    output: members,
  };
}

async function infoOf(agentSpec: AgentSpec, answer: string): Promise<AgentInfo> {
  let seen: AgentInfo | undefined;
  const model = new FunctionModel((_, info) => ((seen = info), answer));
  await defineAgent(agentSpec, { model, tools: { t: () => 'ok' } }).run('go');
  return seen!;
}

describe('Gemini variants in the request parameters', () => {
  it('puts a union’s variants in a native envelope in Gemini’s subset (kind as enum), members without one as written', async () => {
    const a = { type: 'object', properties: { n: { type: 'integer', multipleOf: 2 } }, required: ['n'] };
    const b = { type: 'object', properties: { s: { type: 'string' } }, required: ['s'] };
    const info = await infoOf(
      spec({
        kind: 'structured',
        mode: 'native',
        allowsText: false,
        members: [
          {
            toolName: 'final_result_A',
            schema: a,
            geminiSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
            validator: 'validateOutputA',
          },
          { toolName: 'final_result_B', schema: b, validator: 'validateOutputB' },
        ],
      }),
      '{"result": {"kind": "B", "data": {"s": "x"}}}',
    );
    const alternatives = (info.outputObject!.geminiJsonSchema as { properties: { result: { anyOf: unknown[] } } }).properties.result.anyOf;
    expect(alternatives).toEqual([
      {
        type: 'object',
        properties: { kind: { enum: ['A'] }, data: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } },
        required: ['kind', 'data'],
        additionalProperties: false,
      },
      { type: 'object', properties: { kind: { enum: ['B'] }, data: b }, required: ['kind', 'data'], additionalProperties: false },
    ]);
  });

  it('leaves the envelope to the adapter when no member has a variant', async () => {
    const b = { type: 'object', properties: { s: { type: 'string' } }, required: ['s'] };
    const members = [
      { toolName: 'final_result_A', schema: b, validator: 'validateOutputA' as const },
      { toolName: 'final_result_B', schema: b, validator: 'validateOutputB' as const },
    ];
    const info = await infoOf(spec({ kind: 'structured', mode: 'native', allowsText: false, members }), '{"result": {"kind": "B", "data": {"s": "x"}}}');
    expect(info.outputObject!.geminiJsonSchema).toBeUndefined();
  });

  it('inlines the root $ref of a tool’s variant, as of its parameters', async () => {
    const defs = { $defs: { Args: { type: 'object', properties: { q: { type: 'string' } } } } };
    const tool = {
      name: 't',
      parameters: { $ref: '#/$defs/Args', $defs: { Args: { type: 'object', properties: { q: { type: 'string', pattern: 'x' } } } } },
      geminiParameters: { $ref: '#/$defs/Args', ...defs },
      validators: () => Promise.resolve({ validateArgs: pass }),
    };
    const info = await infoOf(spec({ kind: 'text' }, [{ key: 't', tool }]), 'done');
    expect(info.functionTools[0]!.geminiParametersJsonSchema).toEqual({ type: 'object', properties: { q: { type: 'string' } } });
  });
});
