/**
 * Issue 10, "all problems at once, really": a mistake in one part of an entry does not hide the
 * problems of its other parts, placeholder problems point at the placeholder, and YAML syntax
 * errors at the line that is broken.
 */
import { describe, expect, it } from 'vitest';
import { generateFrom, problemLines, yaml } from '../helpers/pipeline.js';

describe('every problem that can be found is reported', () => {
  it('an agent with a wrong model still has its unknown tool and placeholders checked', async () => {
    const result = await generateFrom({
      'a.yaml': yaml`
        spec: schemantic/v1
        agents:
          helper:
            model: gpt-4o
            instructions: Help {{user}}.
            tools: [lookup]
      `,
    });
    expect(problemLines(result)).toEqual([
      'invalid-value schemas/a.yaml:4:12 /agents/helper/model',
      'unknown-placeholder schemas/a.yaml:5:24 /agents/helper/instructions',
      'unknown-tool schemas/a.yaml:6:13 /agents/helper/tools/0',
    ]);
  });

  it('a tool with a keyword typo still has its dangling $ref reported', async () => {
    const result = await generateFrom({
      'a.yaml': yaml`
        spec: schemantic/v1
        tools:
          lookup:
            parameters:
              type: object
              properties:
                email: { type: string, minLenght: 3 }
                user: { $ref: '#/types/User' }
      `,
    });
    expect(problemLines(result)).toEqual([
      'unknown-keyword schemas/a.yaml:7:32 /tools/lookup/parameters/properties/email/minLenght',
      'dangling-ref schemas/a.yaml:8:23 /tools/lookup/parameters/properties/user/$ref',
    ]);
  });

  it('values of the wrong type where only build IR reads them do not hide the rest', async () => {
    const result = await generateFrom({
      'a.yaml': yaml`
        spec: schemantic/v1
        tools:
          t:
            description: 7
            retries: many
            parameters: { type: object, properties: { a: { $ref: '#/types/A' } } }
        agents:
          helper:
            model: 5
            description: [x]
            output_mode: 1
            instructions: Hi {{name}}.
            tools: [t, nope]
      `,
    });
    expect(problemLines(result)).toEqual([
      'wrong-type schemas/a.yaml:4:18 /tools/t/description',
      'wrong-type schemas/a.yaml:5:14 /tools/t/retries',
      'dangling-ref schemas/a.yaml:6:58 /tools/t/parameters/properties/a/$ref',
      'wrong-type schemas/a.yaml:9:12 /agents/helper/model',
      'wrong-type schemas/a.yaml:10:18 /agents/helper/description',
      'invalid-value schemas/a.yaml:11:18 /agents/helper/output_mode',
      'unknown-placeholder schemas/a.yaml:12:22 /agents/helper/instructions',
      'unknown-tool schemas/a.yaml:13:16 /agents/helper/tools/1',
    ]);
  });

  it('a tool without parameters is still a tool its agents can use', async () => {
    const result = await generateFrom({
      'a.yaml': 'spec: schemantic/v1\ntools:\n  t:\n    description: x\nagents:\n  a:\n    tools: [t, u]\n',
    });
    expect(problemLines(result)).toEqual(['missing-key schemas/a.yaml:4:5 /tools/t', 'unknown-tool schemas/a.yaml:7:16 /agents/a/tools/1']);
  });

  it('an entry whose shape is broken stays out, and is not reported again as unknown', async () => {
    const result = await generateFrom({
      'a.yaml': 'spec: schemantic/v1\ntools:\n  t:\n    parameters: 5\nagents:\n  a:\n    tools: [t]\n',
    });
    // Reported as it was (not a schema: the meta-schema's errors, and the format's), and not again as an unknown tool.
    expect(new Set(problemLines(result))).toEqual(
      new Set(['invalid-schema schemas/a.yaml:4:17 /tools/t/parameters', 'wrong-type schemas/a.yaml:4:17 /tools/t/parameters']),
    );
  });
});

describe('placeholder problems point at the placeholder', () => {
  const agent = (instructions: string) => `spec: schemantic/v1\nagents:\n  a:\n    instructions: ${instructions}\n`;

  it.each([
    ['a plain scalar', agent('Hello {{a}}\n      and {{b}}'), ['4:25', '5:11']],
    ['a literal block', agent('|  # not {{this}}\n      Hello there.\n        You are {{a.b}} and {{ c }}.'), ['6:17', '6:29']],
    ['a folded block', agent('>-\n      Hello {{a}}\n\n      then\n      {{b}}'), ['5:13', '8:7']],
    // In YAML, `\\{{b}}` is a backslash, then `{{b}}`: an escaped placeholder.
    ['a double-quoted scalar, escapes included', agent('"Hi \\x7b{a}} \\\\{{b}} and\\n {{c}} \\\n      {{d}}"'), ['4:23', '4:46', '5:7']],
    ['a single-quoted scalar', agent("'It''s {{a}}\n      {{b}}'"), ['4:26', '5:7']],
    ['an escaped placeholder', agent('Say \\{{literal}} then {{b}}'), ['4:41']],
  ])('in %s', async (_name, text, positions) => {
    const result = await generateFrom({ 'a.yaml': text });
    expect(result.problems.map((p) => `${p.line}:${p.col}`)).toEqual(positions);
    expect(result.problems.every((p) => p.code === 'unknown-placeholder' && p.pointer === '/agents/a/instructions')).toBe(true);
  });

  it('in JSON, escapes included', async () => {
    const result = await generateFrom({
      'a.json': '{\n  "spec": "schemantic/v1",\n  "agents": { "a": {\n    "instructions": "x \\u007b{a}}\\n{{b}}"\n  } }\n}\n',
    });
    expect(problemLines(result)).toEqual([
      'unknown-placeholder schemas/a.json:4:24 /agents/a/instructions',
      'unknown-placeholder schemas/a.json:4:36 /agents/a/instructions',
    ]);
  });

  it('a malformed placeholder, and one the context lacks', async () => {
    const result = await generateFrom({
      'a.yaml': yaml`
        spec: schemantic/v1
        agents:
          a:
            instructions: |
              Dear {{ customer.name }},
              see {{ two words }}.
            context: { type: object, properties: { customer: { type: object, properties: { id: { type: string } } } } }
      `,
    });
    expect(problemLines(result)).toEqual([
      'unknown-placeholder schemas/a.yaml:5:12 /agents/a/instructions',
      'invalid-value schemas/a.yaml:6:11 /agents/a/instructions',
    ]);
    expect(result.problems[0]!.message).toBe('{{customer.name}}: the context defines no "name"');
  });
});

describe('YAML syntax errors point at the line that is broken', () => {
  it.each([
    ['an unclosed flow sequence', 'spec: schemantic/v1\nagents:\n  a:\n    tools: [a, b\n    model: test\n', '4:12'],
    ['an unclosed flow mapping', 'spec: schemantic/v1\ntypes:\n  A: { type: string\n  B: { type: number }\n', '3:6'],
    ['an unclosed double quote', 'spec: schemantic/v1\nagents:\n  a:\n    instructions: "Hello\n    model: test\n', '4:19'],
    ['an unclosed single quote', "spec: schemantic/v1\nagents:\n  a:\n    instructions: 'It''s\n    model: test\n", '4:19'],
    ['a quote that only looks closed', 'spec: schemantic/v1\nagents:\n  a:\n    instructions: "x\\"\n', '4:19'],
    ['a closed sequence inside an open one', 'spec: schemantic/v1\nagents:\n  a:\n    tools: [a, [b]\n', '4:12'],
    ['a bad indentation (where it is found)', 'spec: schemantic/v1\ntypes:\n  A: { type: string }\n B: { type: string }\n', '4:1'],
  ])('%s', async (_name, text, position) => {
    const result = await generateFrom({ 'a.yaml': text });
    expect(result.problems[0]!.code).toBe('yaml-syntax');
    expect(`${result.problems[0]!.line}:${result.problems[0]!.col}`).toBe(position);
  });
});

describe('a pattern the regex engine rejects', () => {
  it('leaves its schema in the IR: the dangling $ref beside it is reported too', async () => {
    const result = await generateFrom({
      'a.yaml':
        "spec: schemantic/v1\ntypes:\n  A:\n    type: object\n    properties:\n      a: { type: string, pattern: '(' }\n      b: { $ref: '#/types/B' }\n",
    });
    expect(problemLines(result)).toEqual([
      'invalid-schema schemas/a.yaml:6:35 /types/A/properties/a/pattern',
      'dangling-ref schemas/a.yaml:7:18 /types/A/properties/b/$ref',
    ]);
  });
});
