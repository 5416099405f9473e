/**
 * The sampling settings a definition may set besides the first ones: `top_k`, `presence_penalty`,
 * `frequency_penalty` and `logit_bias`. They reach the IR under their runtime names, the emitted
 * spec as the runtime's `ModelSettings`, the docs page and `schemantic diff`; values out of range
 * are located problems.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../codegen/targets/typescript/pipeline.js';
import { memoryReader } from '../../codegen/compiler/load.js';
import { renderDocs } from '../../codegen/targets/docs/render-docs.js';
import { generateFrom, problemLines, yaml } from '../helpers/pipeline.js';
import { brief, diffDocs } from './diff/helpers.js';

const definitions = (settings: string) => yaml`
  spec: schemantic/v1
  agents:
    writer:
      model: openai:gpt-4o
      instructions: Write.
      model_settings: ${settings}
`;

const ALL = '{ temperature: 0.2, top_k: 40, presence_penalty: 0.5, frequency_penalty: -0.5, logit_bias: { "50256": -100, "1734": 5 } }';

describe('model_settings', () => {
  it('takes top_k, presence_penalty, frequency_penalty and logit_bias into the IR and the emitted spec', async () => {
    const result = await generateFrom({ 'defs.yaml': definitions(ALL) });
    expect(result.problems).toEqual([]);
    expect(result.ir!.agents[0]!.modelSettings).toEqual({
      temperature: 0.2,
      topK: 40,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      logitBias: { '50256': -100, '1734': 5 },
    });
    const module = [...result.files].find(([file]) => file.endsWith('writer.ts') && !file.includes('validators'))![1];
    expect(module.replace(/\s+/g, ' ')).toContain(
      'modelSettings: { "temperature": 0.2, "topK": 40, "presencePenalty": 0.5, "frequencyPenalty": -0.5, "logitBias": { "1734": 5, "50256": -100 }, },',
    );
  });

  it.each([
    ['top_k: 0', '{ top_k: 0 }', '/agents/writer/model_settings/top_k'],
    ['top_k: 2.5', '{ top_k: 2.5 }', '/agents/writer/model_settings/top_k'],
    ['presence_penalty: 3', '{ presence_penalty: 3 }', '/agents/writer/model_settings/presence_penalty'],
    ['frequency_penalty: -2.5', '{ frequency_penalty: -2.5 }', '/agents/writer/model_settings/frequency_penalty'],
    ['a logit_bias past 100', '{ logit_bias: { "50256": 101 } }', '/agents/writer/model_settings/logit_bias/50256'],
    ['a logit_bias key that is no token id', '{ logit_bias: { hello: 1 } }', '/agents/writer/model_settings/logit_bias/hello'],
  ])('rejects %s, at the key', async (_name, settings, pointer) => {
    const result = await generateFrom({ 'defs.yaml': definitions(settings) });
    expect(result.files.size).toBe(0);
    expect(problemLines(result).map((line) => line.split(' ').pop())).toContain(pointer);
    expect(result.problems.every((p) => p.severity === 'error')).toBe(true);
  });

  it('says what a logit_bias key must be', async () => {
    const result = await generateFrom({ 'defs.yaml': definitions('{ logit_bias: { hello: 1 } }') });
    expect(result.problems.map((p) => p.message)).toEqual(['invalid name "hello": a logit_bias key is a token id, written in digits']);
  });

  it('shows the new settings on the agent page, the bias as written', async () => {
    const analysis = await analyze({ reader: memoryReader({ 'defs.yaml': definitions(ALL) }), displayPrefix: 'schemas' });
    const page = renderDocs(analysis.ir).get('agents/writer.md')!;
    expect(page).toMatch(/`top_k`[^\n]*40/);
    expect(page).toMatch(/`presence_penalty`[^\n]*0\.5/);
    expect(page).toMatch(/`frequency_penalty`[^\n]*-0\.5/);
    expect(page).toContain('`{"1734":5,"50256":-100}`');
    expect(page).not.toContain('[object Object]');
  });

  it('are compared by schemantic diff, a changed bias included', async () => {
    const findings = await diffDocs(
      { 'defs.yaml': definitions('{ top_k: 40, logit_bias: { "50256": -100 } }') },
      { 'defs.yaml': definitions('{ top_k: 20, logit_bias: { "50256": -50 } }') },
    );
    expect(findings.map(brief)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/setting-changed agent:writer \/model_settings\/top_k$/),
        expect.stringMatching(/setting-changed agent:writer \/model_settings\/logit_bias$/),
      ]),
    );
    const messages = findings.map((f) => f.message);
    expect(messages).toEqual(expect.arrayContaining(['top_k changed from 40 to 20', 'logit_bias changed from {"50256":-100} to {"50256":-50}']));
  });
});
