/**
 * Every kind of bad definition gets a located problem with a stable code, all problems of a run
 * are reported together, and nothing is generated.
 */
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../codegen/compiler/problems.js';
import { generateFrom, problemLines, yaml } from '../helpers/pipeline.js';

const tool = yaml`
  spec: schemantic/v1
  tools:
    get_lat_lng:
      description: Geocode.
      parameters:
        type: object
        properties:
          location: { type: string }
        required: [location]
`;

interface Case {
  name: string;
  files: Record<string, string>;
  /** `code file:line:col pointer` of every expected problem. */
  expected: string[];
  /** A fragment the first problem's message must contain. */
  message?: string;
}

const cases: Case[] = [
  {
    name: 'bad YAML syntax',
    files: { 'a.yaml': 'spec: schemantic/v1\ntypes:\n  A: { type: string\n' },
    expected: ['yaml-syntax schemas/a.yaml:3:6 '],
  },
  {
    name: 'a duplicate key in one mapping',
    files: { 'a.yaml': 'spec: schemantic/v1\ntypes:\n  A: { type: string }\n  A: { type: number }\n' },
    expected: ['duplicate-key schemas/a.yaml:4:3 '],
  },
  {
    name: 'a value JSON cannot hold',
    files: { 'a.yaml': 'spec: schemantic/v1\ntypes:\n  A: { type: number, maximum: .inf }\n' },
    expected: ['not-json schemas/a.yaml:3:31 /types/A/maximum'],
  },
  {
    name: 'an unknown key, with a suggestion',
    files: {
      'a.yaml': yaml`
      spec: schemantic/v1
      agents:
        helper:
          modle: openai:gpt-4o
    `,
    },
    expected: ['unknown-key schemas/a.yaml:4:5 /agents/helper/modle'],
    message: 'unknown key "modle" (did you mean "model"?)',
  },
  {
    name: 'a value of the wrong type',
    files: {
      'a.yaml': yaml`
      spec: schemantic/v1
      agents:
        helper:
          retries: many
    `,
    },
    expected: ['wrong-type schemas/a.yaml:4:14 /agents/helper/retries'],
    message: 'expected a integer, found the string "many"',
  },
  {
    name: 'a missing spec and an unsupported spec version',
    files: { 'a.yaml': 'types: {}\n', 'b.yaml': 'spec: schemantic/v9\n' },
    expected: ['missing-key schemas/a.yaml:1:1 ', 'unsupported-spec schemas/b.yaml:1:7 /spec'],
  },
  {
    name: 'an invalid name',
    files: { 'a.yaml': 'spec: schemantic/v1\ntools:\n  "get weather":\n    parameters: { type: object }\n' },
    expected: ['invalid-name schemas/a.yaml:3:3 /tools/get weather'],
  },
  {
    name: 'an embedded schema that is not a JSON Schema',
    files: { 'a.yaml': 'spec: schemantic/v1\ntypes:\n  A: { type: object, required: yes }\n' },
    expected: ['invalid-schema schemas/a.yaml:3:32 /types/A/required'],
  },
  {
    name: 'a dangling $ref, with a suggestion',
    files: {
      'a.yaml': yaml`
      spec: schemantic/v1
      types:
        LatLng: { type: object }
        Place:
          type: object
          properties:
            where: { $ref: '#/types/LatLgn' }
    `,
    },
    expected: ['dangling-ref schemas/a.yaml:7:22 /types/Place/properties/where/$ref'],
    message: 'did you mean "LatLng"?',
  },
  {
    name: 'a $ref to a missing file',
    files: {
      'a.yaml': "spec: schemantic/v1\ntypes:\n  A: { $ref: './comon.yaml#/types/B' }\n",
      'common.yaml': 'spec: schemantic/v1\ntypes:\n  B: { type: string }\n',
    },
    expected: ['dangling-ref schemas/a.yaml:3:14 /types/A/$ref'],
    message: 'no definitions file comon.yaml (did you mean "common.yaml"?)',
  },
  {
    name: 'a $ref to a value that is not a schema',
    files: { 'a.yaml': "spec: schemantic/v1\ntypes:\n  A: { type: string, examples: [x] }\n  B: { $ref: '#/types/A/examples/0' }\n" },
    expected: ['dangling-ref schemas/a.yaml:4:14 /types/B/$ref'],
    message: 'does not point to a schema',
  },
  {
    name: 'a remote $ref',
    files: { 'a.yaml': "spec: schemantic/v1\ntypes:\n  A: { $ref: 'https://example.com/a.json' }\n" },
    expected: ['unsupported-keyword schemas/a.yaml:3:14 /types/A/$ref'],
  },
  {
    name: 'duplicate type, tool and agent names across files',
    files: {
      'a.yaml': 'spec: schemantic/v1\ntypes:\n  Money: { type: number }\nagents:\n  helper: {}\n',
      'b.yaml': 'spec: schemantic/v1\ntypes:\n  Money: { type: string }\ntools:\n  helper:\n    parameters: { type: object }\n',
      'c.yaml': tool,
      'd.yaml': tool,
    },
    expected: [
      'duplicate-name schemas/b.yaml:3:3 /types/Money',
      'duplicate-name schemas/b.yaml:5:3 /tools/helper',
      'duplicate-name schemas/d.yaml:3:3 /tools/get_lat_lng',
    ],
    message: 'type "Money" is already defined at schemas/a.yaml:3:3',
  },
  {
    name: 'two names that become the same TypeScript identifier',
    files: { 'a.yaml': tool, 'b.yaml': tool.replace('get_lat_lng', 'getLatLng') },
    expected: ['name-collision schemas/b.yaml:3:3 /tools/getLatLng'],
    message: 'tool "getLatLng" becomes "GetLatLngArgs", which tool "get_lat_lng" at schemas/a.yaml:3:3 also becomes; rename one',
  },
  {
    name: 'a type that would shadow a global type',
    files: { 'a.yaml': 'spec: schemantic/v1\ntypes:\n  Promise: { type: string }\n' },
    expected: ['reserved-name schemas/a.yaml:3:3 /types/Promise'],
  },
  {
    name: 'an unknown placeholder, with a suggestion',
    files: {
      'a.yaml': yaml`
      spec: schemantic/v1
      agents:
        greeter:
          instructions: Greet {{user_nmae}}.
          context:
            type: object
            properties:
              user_name: { type: string }
    `,
    },
    expected: ['unknown-placeholder schemas/a.yaml:4:25 /agents/greeter/instructions'],
    message: '{{user_nmae}}: the context defines no "user_nmae" (did you mean "user_name"?)',
  },
  {
    name: 'a placeholder without a context',
    files: { 'a.yaml': 'spec: schemantic/v1\nagents:\n  greeter:\n    instructions: Greet {{name}}.\n' },
    expected: ['unknown-placeholder schemas/a.yaml:4:25 /agents/greeter/instructions'],
  },
  {
    name: 'a malformed placeholder',
    files: { 'a.yaml': 'spec: schemantic/v1\nagents:\n  greeter:\n    instructions: Greet {{ two words }}.\n' },
    expected: ['invalid-value schemas/a.yaml:4:25 /agents/greeter/instructions'],
  },
  {
    name: 'a tool referenced but not defined',
    files: { 'a.yaml': tool + 'agents:\n  helper:\n    tools: [get_lat_lng, get_weather]\n' },
    expected: ['unknown-tool schemas/a.yaml:12:26 /agents/helper/tools/1'],
  },
  {
    name: 'cyclic delegation',
    files: {
      'a.yaml': yaml`
      spec: schemantic/v1
      agents:
        planner:
          tools: [researcher]
        researcher:
          tools: [writer]
        writer:
          tools: [planner]
    `,
    },
    expected: ['cyclic-delegation schemas/a.yaml:8:13 /agents/writer/tools/0'],
    message: 'cyclic delegation: planner -> researcher -> writer -> planner',
  },
  {
    name: 'keywords the toolchain cannot honour',
    files: {
      'a.yaml': yaml`
      spec: schemantic/v1
      types:
        Tree:
          $dynamicAnchor: node
          type: object
          properties:
            children: { type: array, items: { $dynamicRef: '#node' } }
            size: { type: integer, minimun: 0 }
            stamp: { type: string, format: timestamp }
    `,
    },
    expected: [
      'unsupported-keyword schemas/a.yaml:4:5 /types/Tree/$dynamicAnchor',
      'unsupported-keyword schemas/a.yaml:7:41 /types/Tree/properties/children/items/$dynamicRef',
      'unknown-keyword schemas/a.yaml:8:30 /types/Tree/properties/size/minimun',
      'unknown-format schemas/a.yaml:9:38 /types/Tree/properties/stamp/format',
    ],
  },
  {
    name: 'a pattern the validator compiler rejects',
    files: { 'a.yaml': "spec: schemantic/v1\ntools:\n  t:\n    parameters: { type: object, properties: { a: { type: string, pattern: '(?<=x' } } }\n" },
    expected: ['invalid-schema schemas/a.yaml:4:75 /tools/t/parameters/properties/a/pattern'],
  },
  {
    name: 'a property named __proto__',
    files: { 'a.yaml': 'spec: schemantic/v1\ntypes:\n  A:\n    type: object\n    properties: { __proto__: { type: string } }\n    required: [__proto__]\n' },
    expected: ['reserved-name schemas/a.yaml:5:19 /types/A/properties/__proto__', 'reserved-name schemas/a.yaml:6:16 /types/A/required/0'],
  },
  {
    name: 'tool parameters that are not an object',
    files: { 'a.yaml': 'spec: schemantic/v1\ntools:\n  t:\n    parameters: { type: string }\n' },
    expected: ['not-an-object schemas/a.yaml:4:17 /tools/t/parameters'],
  },
  {
    name: 'an unnamed member of an output union',
    files: { 'a.yaml': 'spec: schemantic/v1\nagents:\n  a:\n    output:\n      - { type: object }\n      - { type: array }\n' },
    expected: ['output-name schemas/a.yaml:5:9 /agents/a/output/0', 'output-name schemas/a.yaml:6:9 /agents/a/output/1'],
  },
  {
    name: 'a tool or agent named like an output tool',
    files: { 'a.yaml': 'spec: schemantic/v1\ntools:\n  final_result:\n    parameters: { type: object }\nagents:\n  final_result_Extra: {}\n' },
    expected: ['reserved-name schemas/a.yaml:3:3 /tools/final_result', 'reserved-name schemas/a.yaml:6:3 /agents/final_result_Extra'],
  },
  {
    name: 'two output union members with the same name',
    files: { 'a.yaml': 'spec: schemantic/v1\nagents:\n  a:\n    output:\n      - { title: Pick, type: object }\n      - { title: Pick, type: array }\n' },
    expected: ['output-name schemas/a.yaml:6:9 /agents/a/output/1'],
    message: 'two members of the output union of agent "a" are named Pick',
  },
  {
    name: 'a $defs key that cannot become a type name',
    files: { 'a.yaml': "spec: schemantic/v1\ntools:\n  t:\n    parameters:\n      type: object\n      $defs:\n        'bad key': { type: string }\n" },
    expected: ['invalid-name schemas/a.yaml:7:9 /tools/t/parameters/$defs/bad key'],
  },
  {
    name: 'a $ref cycle through unnamed schemas',
    files: {
      'a.yaml': "spec: schemantic/v1\ntools:\n  t:\n    parameters:\n      type: object\n      properties:\n        a: { $ref: '#/tools/t/parameters' }\n",
    },
    expected: ['ref-cycle schemas/a.yaml:7:20 /tools/t/parameters/properties/a/$ref'],
  },
];

describe('problems', () => {
  it.each(cases)('$name', async ({ files, expected, message }) => {
    const result = await generateFrom(files);
    expect(problemLines(result)).toEqual(expected);
    if (message) expect(result.problems[0]!.message).toContain(message);
    expect(result.problems.every((p) => p.severity === 'error')).toBe(true);
    expect(result.files.size).toBe(0);
  });

  it('reports every problem of a run together, sorted by file and position', async () => {
    const result = await generateFrom({
      'b.yaml': 'spec: schemantic/v1\nagents:\n  helper:\n    tools: [nothing]\n    modle: x\n',
      'a.yaml': 'spec: schemantic/v1\ntypes:\n  A: { $ref: "#/types/B" }\n',
    });
    expect(problemLines(result)).toEqual([
      'dangling-ref schemas/a.yaml:3:14 /types/A/$ref',
      'unknown-tool schemas/b.yaml:4:13 /agents/helper/tools/0',
      'unknown-key schemas/b.yaml:5:5 /agents/helper/modle',
    ]);
  });

  it('formats a problem as path:line:col severity code pointer: message', async () => {
    const result = await generateFrom({ 'a.yaml': 'spec: schemantic/v1\nagents:\n  helper:\n    modle: x\n' });
    expect(formatProblem(result.problems[0]!)).toBe('schemas/a.yaml:4:5 error unknown-key /agents/helper/modle: unknown key "modle" (did you mean "model"?)');
  });

  it('does not cascade: a tool with an error is still known to the agents that use it', async () => {
    const result = await generateFrom({
      'a.yaml': 'spec: schemantic/v1\ntools:\n  t:\n    parameters: { type: object }\n    retries: -1\nagents:\n  a:\n    tools: [t]\n',
    });
    expect(result.problems.map((p) => p.code)).toEqual(['invalid-value']);
  });
});
