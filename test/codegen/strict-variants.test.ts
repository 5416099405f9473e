/**
 * Per-provider schema variants prepared at generate time: the OpenAI strict form is emitted next
 * to a tool's parameters and an output's schema when it differs from them; what cannot take that
 * form is a located warning (generation goes on) and the tool is sent without strict mode.
 */
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../codegen/compiler/problems.js';
import { generateFrom, yaml } from '../helpers/pipeline.js';

const definitions = yaml`
  spec: schemantic/v1
  tools:
    search:
      parameters:
        type: object
        properties:
          query: { type: string }
          limit: { type: integer, minimum: 1 }
        required: [query]
    tag:
      parameters:
        type: object
        properties:
          labels:
            type: object
            additionalProperties: { type: string }
    quiet:
      strict: false
      parameters:
        type: object
        properties:
          labels: { type: object, additionalProperties: { type: string } }
  agents:
    helper:
      tools: [search, tag, quiet]
      output:
        type: object
        properties:
          answer: { type: string }
          confidence: { type: number }
        required: [answer]
`;

describe('strict variants', () => {
  it('emits the strict form where it differs: every property required, optional ones nullable', async () => {
    const result = await generateFrom({ 'a.yaml': definitions });
    const search = result.files.get('tools/search.ts')!;
    expect(search).toContain('strictParameters: {');
    expect(search).toContain('"required": ["query", "limit"]');
    expect(search).toContain('"anyOf": [{ "type": "integer", "minimum": 1 }, { "type": "null" }]');
    const helper = result.files.get('agents/helper.ts')!;
    expect(helper).toContain('strictSchema: {');
  });

  it('warns, with the location, when a schema cannot take the strict form, and leaves the variant out', async () => {
    const result = await generateFrom({ 'a.yaml': definitions });
    expect(result.problems.map(formatProblem)).toEqual([
      'schemas/a.yaml:16:11 warning not-strict /tools/tag/parameters/properties/labels/additionalProperties: tool "tag" cannot use strict mode (OpenAI): an open object (additionalProperties) cannot be strict; it is sent without it (set strict: false to say so)',
    ]);
    expect(result.files.get('tools/tag.ts')).not.toContain('strictParameters');
    // strict: false says so: no variant, no warning.
    expect(result.files.get('tools/quiet.ts')).not.toContain('strictParameters');
    expect(result.files.size).toBeGreaterThan(0);
  });
});
