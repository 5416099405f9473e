/**
 * Instructions and system prompts, as in the reference (PydanticAI 2.x): instructions are the
 * current agent's, recorded on each request and sent only from the latest one; system prompts
 * are stored in the history and replayed with it. And `agent.override` replacing instructions,
 * system prompts and tools, for evals.
 */
import { describe, expect, it } from 'vitest';
import { agent, defineTool, parseClientMessages, type ModelMessage } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { requestBody as openaiBody } from '../../runtime/providers/openai/map-request.js';
import { requestBody as anthropicBody } from '../../runtime/providers/anthropic/map-request.js';
import { openAICompatibleProfile } from '../../runtime/providers/openai/profiles.js';
import type { ModelRequestParameters } from '../../runtime/contract/model.js';

const openai = openAICompatibleProfile('openai')!;
const noTools: ModelRequestParameters = { functionTools: [], outputTools: [], outputMode: 'text', allowText: true };

/** What the OpenAI and Anthropic adapters would send for a conversation: system texts and the rest. */
function sent(messages: readonly ModelMessage[]): { openaiSystem: string[]; anthropicSystem: string } {
  const o = openaiBody('gpt-4o', openai, messages, undefined, noTools);
  const a = anthropicBody('claude', messages, undefined, noTools) as { system?: string };
  return {
    openaiSystem: o.messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => m.content as string),
    anthropicSystem: a.system ?? '',
  };
}

/** A model that records every conversation it is sent and answers `answer`. */
function recorder(answer = 'ok'): { model: FunctionModel; seen: ModelMessage[][] } {
  const seen: ModelMessage[][] = [];
  const model = new FunctionModel((messages) => {
    seen.push(structuredClone([...messages]));
    return answer;
  });
  return { model, seen };
}

describe('instructions', () => {
  it('a history from agent A continued by agent B sends B instructions, not A', async () => {
    const a = agent({ name: 'a', instructions: 'Answer in English.' });
    const b = agent({ name: 'b', instructions: 'Answer in French.' });
    const first = await a.run('Hi', { model: recorder().model });
    const { model, seen } = recorder();
    await b.run('And now?', { model, messageHistory: first.allMessages() });
    const conversation = seen[0]!;
    const { openaiSystem, anthropicSystem } = sent(conversation);
    expect(openaiSystem).toEqual(['Answer in French.']);
    expect(anthropicSystem).toBe('Answer in French.');
    // A's instructions stay on A's request, as a record; never sent again.
    expect(conversation[0]).toMatchObject({ kind: 'request', instructions: 'Answer in English.' });
    expect(JSON.stringify(openaiBody('gpt-4o', openai, conversation, undefined, noTools))).not.toContain('English');
  });

  it('are not duplicated across the turns of one conversation', async () => {
    const a = agent({ name: 'a', instructions: ['Be brief.', () => 'Dynamic.'] });
    let result = await a.run('one', { model: recorder().model });
    result = await a.run('two', { model: recorder().model, messageHistory: result.allMessages() });
    const { model, seen } = recorder();
    await a.run('three', { model, messageHistory: result.allMessagesJson() });
    const { openaiSystem, anthropicSystem } = sent(seen[0]!);
    expect(openaiSystem).toEqual(['Be brief.\n\nDynamic.']);
    expect(anthropicSystem).toBe('Be brief.\n\nDynamic.');
    // Not stored as system-prompt parts either.
    expect(seen[0]!.some((m) => m.kind === 'request' && m.parts.some((p) => p.kind === 'system-prompt'))).toBe(false);
  });

  it('are rendered for every request of a run (tool steps included)', async () => {
    let step = 0;
    const tool = defineTool({ name: 'ping', parameters: { type: 'object' }, handler: () => 'pong' });
    const seen: (string | undefined)[] = [];
    const model = new FunctionModel((messages) => {
      const last = messages.at(-1);
      seen.push(last?.kind === 'request' ? last.instructions : undefined);
      return seen.length === 1 ? [{ kind: 'tool-call', toolName: 'ping', args: {}, toolCallId: 'c1' }] : 'done';
    });
    const a = agent({ name: 'a', tools: [tool], instructions: (ctx) => `step ${(step = ctx.runStep)}` });
    await a.run('go', { model });
    expect(seen).toEqual(['step 1', 'step 2']);
    expect(step).toBe(2);
  });

  it('a sanitized client history still gets the agent instructions', async () => {
    const a = agent({ name: 'a', instructions: 'Answer in French.', systemPrompt: 'You are a bot.' });
    const first = await a.run('Hi', { model: recorder().model });
    const client = parseClientMessages(JSON.parse(first.allMessagesJson()));
    expect(JSON.stringify(client)).not.toContain('French');
    const { model, seen } = recorder();
    await a.run('Again', { model, messageHistory: client });
    expect(sent(seen[0]!).openaiSystem).toEqual(['Answer in French.']);
  });

  it('prompted-output instructions follow the same rule', async () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };
    const a = agent<undefined, { n: number }>({ name: 'a', instructions: 'Count.', output: schema, outputMode: 'prompted' });
    const first = await a.run('one', { model: recorder('{"n": 1}').model });
    const { model, seen } = recorder('{"n": 2}');
    await a.run('two', { model, messageHistory: first.allMessages() });
    const system = sent(seen[0]!).openaiSystem;
    expect(system).toHaveLength(1);
    expect(system[0]).toMatch(/^Count\.\n\nAlways respond with a JSON object/);
    expect(seen[0]!.some((m) => m.kind === 'request' && m.parts.some((p) => p.kind === 'system-prompt'))).toBe(false);
  });
});

describe('system prompts', () => {
  it('are stored in the history and replayed, not added again', async () => {
    const a = agent({ name: 'a', systemPrompt: 'You are A.' });
    const b = agent({ name: 'b', systemPrompt: 'You are B.', instructions: 'Answer in French.' });
    const first = await a.run('Hi', { model: recorder().model });
    expect(first.allMessages()[0]).toMatchObject({ kind: 'request', parts: [{ kind: 'system-prompt', content: 'You are A.' }, { kind: 'user-prompt' }] });
    const { model, seen } = recorder();
    await b.run('Again', { model, messageHistory: first.allMessagesJson() });
    // A's system prompt is part of the conversation; B's is not added; B's instructions come after.
    expect(sent(seen[0]!).openaiSystem).toEqual(['You are A.', 'Answer in French.']);
    expect(sent(seen[0]!).anthropicSystem).toBe('You are A.\n\nAnswer in French.');
  });

  it('dynamic system prompts are refreshed in a continued history', async () => {
    let n = 0;
    const a = agent({ name: 'a', systemPrompt: { dynamic: true, key: 'count', render: () => `run ${++n}` } });
    const first = await a.run('one', { model: recorder().model });
    const { model, seen } = recorder();
    await a.run('two', { model, messageHistory: first.allMessages() });
    expect(sent(seen[0]!).openaiSystem).toEqual(['run 2']);
  });
});

describe('override', () => {
  it('replaces the instructions', async () => {
    const a = agent({ name: 'a', instructions: 'Original.' });
    const { model, seen } = recorder();
    await a.override({ model, instructions: 'Replaced.' }, () => a.run('x'));
    expect(sent(seen[0]!).openaiSystem).toEqual(['Replaced.']);
    const after = recorder();
    await a.run('x', { model: after.model });
    expect(sent(after.seen[0]!).openaiSystem).toEqual(['Original.']);
  });

  it('replaces the system prompt', async () => {
    const a = agent({ name: 'a', systemPrompt: 'Original.' });
    const { model, seen } = recorder();
    await a.override({ model, systemPrompt: [() => 'Replaced.'] }, () => a.run('x'));
    expect(sent(seen[0]!).openaiSystem).toEqual(['Replaced.']);
  });

  it('replaces the tools', async () => {
    const real = defineTool({ name: 'lookup', parameters: { type: 'object' }, handler: () => 'real' });
    const fake = defineTool({ name: 'lookup', parameters: { type: 'object' }, handler: () => 'fake' });
    const extra = defineTool({ name: 'extra', parameters: { type: 'object' }, handler: () => 'extra' });
    const names: string[][] = [];
    const model = new FunctionModel((messages, info) => {
      names.push(info.functionTools.map((t) => t.name));
      const last = messages.at(-1)!;
      if (last.kind === 'request' && last.parts.some((p) => p.kind === 'tool-return')) {
        const ret = last.parts.find((p) => p.kind === 'tool-return')!;
        return `got ${String((ret as { content: unknown }).content)}`;
      }
      return [{ kind: 'tool-call', toolName: 'lookup', args: {}, toolCallId: 'c1' }];
    });
    const a = agent({ name: 'a', tools: [real] });
    const overridden = await a.override({ model, tools: [fake, extra] }, () => a.run('x'));
    expect(overridden.output).toBe('got fake');
    expect(names[0]).toEqual(['lookup', 'extra']);
    const plain = await a.run('x', { model });
    expect(plain.output).toBe('got real');
  });
});

describe('system_prompt in definitions', () => {
  it('is carried into the spec, its placeholders checked like the instructions', async () => {
    const { runPipeline, memoryReader, formatProblem } = await import('@schemantic/cli');
    const yaml = (systemPrompt: string) =>
      [
        'spec: schemantic/v1',
        'agents:',
        '  helper:',
        '    instructions: Answer in French.',
        `    system_prompt: ${JSON.stringify(systemPrompt)}`,
        '    context: { type: object, properties: { user: { type: string } }, required: [user] }',
        '',
      ].join('\n');
    const ok = await runPipeline({ reader: memoryReader({ 'a.yaml': yaml('You help {{user}}.') }), displayPrefix: 'defs' });
    expect(ok.problems).toEqual([]);
    const module = ok.files.get('agents/helper.ts')!;
    expect(module).toContain('systemPrompt: ["You help ", { "path": ["user"] }, "."],');
    expect(module).toContain('instructions: ["Answer in French."]');
    const bad = await runPipeline({ reader: memoryReader({ 'a.yaml': yaml('You help {{usr}}.') }), displayPrefix: 'defs' });
    expect(bad.problems.map(formatProblem).join('\n')).toContain('/agents/helper/system_prompt');
  });
});

describe('histories written before instructions were recorded per request', () => {
  it('do not get the same instructions twice: a stored system-prompt part with their text stands for them', async () => {
    // Older runtimes stored instructions as system-prompt parts and no `instructions` field.
    const old: ModelMessage[] = [
      {
        kind: 'request',
        parts: [
          { kind: 'system-prompt', content: 'Be brief.', timestamp: '2026-01-01T00:00:00Z' },
          { kind: 'user-prompt', content: 'hi', timestamp: '2026-01-01T00:00:00Z' },
        ],
      },
      {
        kind: 'response',
        parts: [{ kind: 'text', content: 'Hello.' }],
        modelName: 'm',
        timestamp: '2026-01-01T00:00:01Z',
        usage: { inputTokens: 1, outputTokens: 1 },
      },
    ];
    const { model, seen } = recorder();
    await agent({ name: 'x', model, instructions: ['Be brief.', 'Answer in French.'] }).run('again', { messageHistory: old });
    expect(sent(seen[0]!).openaiSystem).toEqual(['Be brief.', 'Answer in French.']);
  });
});
