/**
 * Gemini's schema variant prepared at generate time, for agents whose definition names a Gemini
 * model and the tools and delegates they use: emitted beside a tool's parameters, a delegate's and
 * an output member's schema only when Gemini's subset differs from the schema as written; each
 * keyword dropped is a located `not-gemini` warning, once per place it is written. Agents of other
 * providers generate as before, with no variant and no warning.
 */
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../codegen/compiler/problems.js';
import { generateFrom, problemLines, yaml } from '../helpers/pipeline.js';

/** The definitions, every agent's `model` being `model` (a Gemini id, or another provider's). */
const definitionsFor = (model: string) => yaml`
  spec: schemantic/v1
  types:
    Code:
      type: string
      pattern: '^[A-Z]{3}$'
  tools:
    lookup:
      parameters:
        type: object
        properties:
          code: { $ref: '#/types/Code' }
          note:
            type: string
            minLength: 1
        required: [code]
  agents:
    coder:
      description: Finds a code.
      model: ${model}
      tools: [lookup]
      output:
        type: object
        properties:
          code: { $ref: '#/types/Code' }
          kind: { const: airport }
        required: [code, kind]
    router:
      model: ${model}
      tools: [coder]
      output: { $ref: '#/types/Code' }
`;

const definitions = definitionsFor('google:gemini-2.5-flash');

/** Definitions Gemini takes as they are: nothing to drop, nothing to rewrite. */
const plain = yaml`
  spec: schemantic/v1
  tools:
    search:
      parameters:
        type: object
        properties:
          query: { type: string, description: What to look for. }
        required: [query]
  agents:
    helper:
      model: gemini:gemini-2.5-flash
      tools: [search]
      output:
        type: object
        properties:
          answer: { type: string }
        required: [answer]
`;

describe('Gemini variants', () => {
  it('emits the variant where Gemini’s subset differs: keywords dropped, const as enum', async () => {
    const result = await generateFrom({ 'a.yaml': definitions });
    const lookup = result.files.get('tools/lookup.ts')!;
    await expect(lookup).toMatchFileSnapshot('./__snapshots__/gemini/tools-lookup.ts.snap');
    const variant = lookup.slice(lookup.indexOf('geminiParameters: {'));
    expect(variant).toContain('"note": { "type": "string" }');
    expect(variant).toContain('"Code": { "type": "string" }');
    expect(variant).not.toContain('pattern');
    expect(variant).not.toContain('minLength');
    const coder = result.files.get('agents/coder.ts')!;
    await expect(coder).toMatchFileSnapshot('./__snapshots__/gemini/agents-coder.ts.snap');
    const member = coder.slice(coder.indexOf('geminiSchema: {'));
    expect(member).toContain('"kind": { "enum": ["airport"] }');
    // The delegate's arguments carry no dropped keyword: no variant for them.
    expect(coder).not.toContain('geminiParameters');
    // The strict variant is still there, beside it.
    expect(coder).toContain('strictSchema: {');
    expect(result.files.get('agents/router.ts')).toContain('geminiSchema: {');
  });

  it('warns, located at each keyword dropped, once per place it is written', async () => {
    const result = await generateFrom({ 'a.yaml': definitions });
    const gemini = result.problems.filter((p) => p.code === 'not-gemini');
    // `pattern` is written once, in type Code, which three schemas use.
    expect(problemLines({ ...result, problems: gemini })).toEqual([
      'not-gemini schemas/a.yaml:5:5 /types/Code/pattern',
      'not-gemini schemas/a.yaml:14:11 /tools/lookup/parameters/properties/note/minLength',
    ]);
    expect(gemini.every((p) => p.severity === 'warning')).toBe(true);
    expect(formatProblem(gemini[0]!)).toBe(
      "schemas/a.yaml:5:5 warning not-gemini /types/Code/pattern: Gemini's JSON Schema subset has no pattern: it is left out of the schema sent to Gemini, which then does not enforce it while sampling (replies are still validated against it)",
    );
    expect(result.files.size).toBeGreaterThan(0);
  });

  it('locates a keyword dropped from a delegate’s context in the agent’s context', async () => {
    const result = await generateFrom({
      'a.yaml': yaml`
        spec: schemantic/v1
        agents:
          helper:
            instructions: 'Help {{name}}.'
            context:
              type: object
              properties:
                name:
                  type: string
                  maxLength: 20
              required: [name]
          boss:
            model: google:gemini-2.5-flash
            tools: [helper]
      `,
    });
    expect(problemLines(result).filter((l) => l.startsWith('not-gemini'))).toEqual([
      'not-gemini schemas/a.yaml:10:11 /agents/helper/context/properties/name/maxLength',
    ]);
    expect(result.files.get('agents/helper.ts')).toContain('geminiParameters: {');
  });

  it('emits no variant and warns of nothing for agents whose model is not Gemini', async () => {
    const result = await generateFrom({ 'a.yaml': definitionsFor('openai:gpt-4o') });
    expect(result.problems).toEqual([]);
    expect(result.files.size).toBeGreaterThan(0);
    for (const text of result.files.values()) {
      expect(text).not.toContain('geminiSchema');
      expect(text).not.toContain('geminiParameters');
    }
    // The strict variant does not depend on the model.
    expect(result.files.get('agents/coder.ts')).toContain('strictSchema: {');
  });

  it('re-emits a tool when an agent using it moves to or from Gemini, and only then', async () => {
    const toolPrint = async (model: string) => (await generateFrom({ 'a.yaml': definitionsFor(model) })).outputs!.fingerprints.get('tools/lookup.ts');
    const openai = await toolPrint('openai:gpt-4o');
    expect(await toolPrint('anthropic:claude-sonnet-5-5')).toBe(openai);
    expect(await toolPrint('google:gemini-2.5-flash')).not.toBe(openai);
  });

  it('gives a tool shared with another provider’s agent its variant, warned once', async () => {
    const result = await generateFrom({
      'a.yaml': yaml`
        spec: schemantic/v1
        tools:
          find:
            parameters:
              type: object
              properties:
                q: { type: string, minLength: 2 }
              required: [q]
        agents:
          gem:
            model: google:gemini-2.5-flash
            tools: [find]
          gpt:
            model: openai:gpt-4o
            tools: [find]
            output:
              type: object
              properties:
                n: { type: integer, multipleOf: 2 }
              required: [n]
      `,
    });
    expect(problemLines(result).filter((l) => l.startsWith('not-gemini'))).toEqual([
      'not-gemini schemas/a.yaml:7:28 /tools/find/parameters/properties/q/minLength',
    ]);
    expect(result.files.get('tools/find.ts')).toContain('geminiParameters: {');
    // The OpenAI agent's own output keeps no Gemini form (its multipleOf is not warned of).
    expect(result.files.get('agents/gpt.ts')).not.toContain('geminiSchema');
  });

  it('emits nothing more, and warns of nothing, for schemas Gemini takes as they are', async () => {
    const result = await generateFrom({ 'a.yaml': plain });
    expect(result.problems).toEqual([]);
    for (const text of result.files.values()) {
      expect(text).not.toContain('geminiSchema');
      expect(text).not.toContain('geminiParameters');
    }
  });
});
